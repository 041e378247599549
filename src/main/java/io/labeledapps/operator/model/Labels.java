package io.labeledapps.operator.model;

import io.labeledapps.operator.api.LabeledAppSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The one place that knows the labels the operator puts on what it makes, and its selector. */
public final class Labels {
  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";

  /**
   * On the pods of sets that name their Service ({@code spec.service.name}), and on that Service:
   * the Service selects on it, so that it selects the pods of every set sharing it and no others.
   */
  public static final String SERVICE = "labeledapps.io/service";

  /** Label keys the operator owns; a set may not give them other values. */
  public static final Set<String> RESERVED = Set.of(NAME, INSTANCE, MANAGED_BY);

  /** The value of {@link #MANAGED_BY} on everything the operator makes. */
  public static final String MANAGER = "labeledappset-operator";

  /** What informers filter on: everything this operator made, and nothing else. */
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGER;

  private Labels() {}

  /**
   * Labels that never change for the life of the set: the Service selects on these, so a pod
   * relabeled by a user or a template change never drops out of the Service by accident.
   */
  public static Map<String, String> selector(LabeledAppSet set) {
    return labels(INSTANCE, set.getMetadata().getName(), Map.of(MANAGED_BY, MANAGER));
  }

  /**
   * The selector of the set's Service: {@link #selector} for a Service of the set's own, or {@link
   * #SERVICE} and {@code managed-by} for a Service the set names (and may share).
   */
  public static Map<String, String> serviceSelector(LabeledAppSet set) {
    if (!Names.namesService(set)) {
      return selector(set);
    }
    return labels(SERVICE, Names.service(set), Map.of(MANAGED_BY, MANAGER));
  }

  /**
   * Labels of the set's Service: the standard ones for a Service of its own; for a Service the set
   * names, {@code app.kubernetes.io/name} and {@link #SERVICE} with the Service's name (the same
   * for every set sharing it) and {@code managed-by}.
   */
  public static Map<String, String> service(LabeledAppSet set) {
    if (!Names.namesService(set)) {
      return standard(set);
    }
    return labels(NAME, Names.service(set), serviceSelector(set));
  }

  /** The standard labels: {@link #selector} plus {@code app.kubernetes.io/name}. */
  public static Map<String, String> standard(LabeledAppSet set) {
    return labels(NAME, set.getMetadata().getName(), selector(set));
  }

  /** {@code key} with {@code value} first, then {@code rest} in its order; a new, mutable map. */
  private static Map<String, String> labels(String key, String value, Map<String, String> rest) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(key, value);
    labels.putAll(rest);
    return labels;
  }

  /** Labels of every pod: the spec's labels, then the standard ones (which win). */
  public static Map<String, String> pod(LabeledAppSet set) {
    return pod(set, Map.of());
  }

  /**
   * Labels of every pod: the spec's labels, those the namespace hands down, then the standard ones
   * (which win).
   */
  public static Map<String, String> pod(LabeledAppSet set, Map<String, String> inherited) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (set.getSpec().getLabels() != null) {
      labels.putAll(set.getSpec().getLabels());
    }
    labels.putAll(inherited);
    // only a set naming the Service may carry its label: anything else would join a Service it does
    // not share
    labels.remove(SERVICE);
    labels.putAll(standard(set));
    if (Names.namesService(set)) {
      labels.put(SERVICE, Names.service(set));
    }
    return labels;
  }

  /** The selector in the string form of the scale subresource and {@code kubectl -l}. */
  public static String selectorString(LabeledAppSet set) {
    return selector(set).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  /** True when {@code labels} carry every selector label of the set with its value. */
  public static boolean matchesSelector(LabeledAppSet set, Map<String, String> labels) {
    if (labels == null) {
      return false;
    }
    return selector(set).entrySet().stream()
        .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
  }
}

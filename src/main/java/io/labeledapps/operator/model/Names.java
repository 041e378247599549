package io.labeledapps.operator.model;

import io.labeledapps.operator.api.LabeledAppSet;
import java.util.List;
import java.util.OptionalInt;

/**
 * Names of the objects a set owns. Deterministic, so a repeated create is a 409, never a duplicate.
 */
public final class Names {
  private Names() {}

  /** The pod of slot {@code slot}: {@code <set>-<slot>}. */
  public static String pod(LabeledAppSet set, int slot) {
    return set.getMetadata().getName() + "-" + slot;
  }

  /** The slot a pod name stands for, if it is one of the set's pod names. */
  public static OptionalInt slotOf(LabeledAppSet set, String podName) {
    String prefix = set.getMetadata().getName() + "-";
    if (podName == null || !podName.startsWith(prefix)) {
      return OptionalInt.empty();
    }
    String rest = podName.substring(prefix.length());
    if (rest.isEmpty()
        || rest.length() > 9
        || !rest.chars().allMatch(Character::isDigit)
        || (rest.length() > 1 && rest.charAt(0) == '0')) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Integer.parseInt(rest));
  }

  /** Name of a sets cache index on {@link #serviceKeys}. */
  public static final String BY_SERVICE = "service";

  /**
   * The key of the set's Service in an index across namespaces: {@link #serviceKey}; none when the
   * set has no namespace or name yet.
   */
  public static List<String> serviceKeys(LabeledAppSet set) {
    if (set.getMetadata() == null
        || set.getMetadata().getNamespace() == null
        || set.getMetadata().getName() == null) {
      return List.of();
    }
    return List.of(serviceKey(set.getMetadata().getNamespace(), service(set)));
  }

  /** A Service's key in the index {@link #BY_SERVICE}: namespace/name. */
  public static String serviceKey(String namespace, String name) {
    return namespace + "/" + name;
  }

  /** The Service: {@code spec.service.name}, by default the set's name. */
  public static String service(LabeledAppSet set) {
    var service = set.getSpec() == null ? null : set.getSpec().getService();
    return service != null && service.getName() != null
        ? service.getName()
        : set.getMetadata().getName();
  }

  /**
   * True when the set names its Service ({@code spec.service.name}): such a Service may be shared
   * with other sets of the namespace that name it too. A set that does not keeps a Service of its
   * own, as before the field existed (same selector, same pods).
   */
  public static boolean namesService(LabeledAppSet set) {
    return set.getSpec() != null
        && set.getSpec().getService() != null
        && set.getSpec().getService().getName() != null;
  }

  /** The PodDisruptionBudget: named after the set. */
  public static String disruptionBudget(LabeledAppSet set) {
    return set.getMetadata().getName();
  }
}

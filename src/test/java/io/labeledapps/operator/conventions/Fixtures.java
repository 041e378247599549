package io.labeledapps.operator.conventions;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.labeledapps.operator.api.ContainerPortSpec;
import io.labeledapps.operator.api.ContainerSpec;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetSpec;
import io.labeledapps.operator.api.ServicePortSpec;
import io.labeledapps.operator.api.ServiceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Sets, namespaces and resources for the conventions' unit tests. */
final class Fixtures {
  static final String NS = "team-a";

  private Fixtures() {}

  /**
   * A set {@code name} in {@link #NS}: one container "web" without resources, labels app=name, a
   * ClusterIP Service.
   */
  static LabeledAppSet set(String name) {
    LabeledAppSet set = new LabeledAppSet();
    set.getMetadata().setName(name);
    set.getMetadata().setNamespace(NS);
    set.getMetadata().setUid("uid-" + name);
    LabeledAppSetSpec spec = new LabeledAppSetSpec();
    spec.setReplicas(3);
    spec.setLabels(new LinkedHashMap<>(Map.of("app", name)));
    spec.setContainers(new ArrayList<>(List.of(container("web", null))));
    ServiceSpec service = new ServiceSpec();
    service.setPorts(List.of(new ServicePortSpec("http", 80, new IntOrString(8080))));
    spec.setService(service);
    set.setSpec(spec);
    return set;
  }

  /** {@link #set(String)} whose container declares these resources ("requests.cpu=100m" style). */
  static LabeledAppSet setWithResources(String name, String... resourcePairs) {
    LabeledAppSet set = set(name);
    set.getSpec().getContainers().get(0).setResources(resources(resourcePairs));
    return set;
  }

  static ContainerSpec container(String name, ResourceRequirements resources) {
    ContainerSpec c = new ContainerSpec();
    c.setName(name);
    c.setImage("nginx:1.27");
    c.setPorts(List.of(new ContainerPortSpec("http", 8080)));
    c.setResources(resources);
    return c;
  }

  /** Requirements from "requests.cpu=100m" style pairs. */
  static ResourceRequirements resources(String... pairs) {
    Map<String, Quantity> requests = new LinkedHashMap<>();
    Map<String, Quantity> limits = new LinkedHashMap<>();
    for (String pair : pairs) {
      String[] kv = pair.split("=", 2);
      String[] kind = kv[0].split("\\.", 2);
      ("requests".equals(kind[0]) ? requests : limits).put(kind[1], new Quantity(kv[1]));
    }
    ResourceRequirements r = new ResourceRequirements();
    r.setRequests(requests.isEmpty() ? null : requests);
    r.setLimits(limits.isEmpty() ? null : limits);
    return r;
  }

  /** Quantities from "requests.cpu=100m" style pairs, in order. */
  static Map<String, Quantity> quantities(String... pairs) {
    Map<String, Quantity> out = new LinkedHashMap<>();
    pairs(pairs).forEach((k, v) -> out.put(k, new Quantity(v)));
    return out;
  }

  /** A map from "key=value" pairs, in order. */
  static Map<String, String> pairs(String... pairs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : pairs) {
      String[] kv = pair.split("=", 2);
      out.put(kv[0], kv[1]);
    }
    return out;
  }

  /**
   * Namespace {@link #NS} with the given labels, and annotations named without the labeledapps.io/
   * prefix.
   */
  static Namespace namespace(Map<String, String> labels, Map<String, String> annotations) {
    Map<String, String> prefixed = new LinkedHashMap<>();
    annotations.forEach((k, v) -> prefixed.put(Conventions.PREFIX + k, v));
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(NS)
        .withLabels(labels)
        .withAnnotations(prefixed)
        .endMetadata()
        .build();
  }

  /** An enabled namespace with extra labels. */
  static Namespace enabled(String... labelPairs) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("labeledapps.io/enabled", "true");
    labels.putAll(pairs(labelPairs));
    return namespace(labels, Map.of());
  }

  /** An enabled namespace with annotations named without the labeledapps.io/ prefix. */
  static Namespace enabledWithAnnotations(Map<String, String> annotations) {
    return namespace(Map.of("labeledapps.io/enabled", "true"), annotations);
  }

  static List<String> rules(ConventionVerdict verdict) {
    return verdict.violations().stream().map(ConventionViolation::rule).toList();
  }

  static String messages(ConventionVerdict verdict) {
    return String.join(
        "\n", verdict.violations().stream().map(ConventionViolation::message).toList());
  }

  static ConventionViolation only(ConventionVerdict verdict, String rule) {
    List<ConventionViolation> found =
        verdict.violations().stream().filter(v -> v.rule().equals(rule)).toList();
    if (found.size() != 1) {
      throw new AssertionError("expected exactly one " + rule + " in " + verdict.violations());
    }
    return found.get(0);
  }
}

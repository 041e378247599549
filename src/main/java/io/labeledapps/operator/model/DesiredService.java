package io.labeledapps.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.ServiceSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** The Service a set wants, if any. Pure. */
public final class DesiredService {
  /**
   * The keys of {@code spec.service.annotations} the operator last put on the Service,
   * comma-separated: an annotation removed from the spec is removed from the Service, and
   * annotations others add are kept.
   */
  public static final String MANAGED_ANNOTATIONS = "labeledapps.io/service-annotations";

  private DesiredService() {}

  /** The Service without namespace conventions. */
  public static Optional<Service> of(LabeledAppSet set) {
    return of(set, PodAdditions.NONE);
  }

  /**
   * The Service selecting exactly the set's pods (or, when the set names it, the pods of every set
   * naming it), or empty when the spec has no service. A Service of the set's own has a controller
   * reference to it; a named one, which other sets may share, an ownerReference that is not a
   * controller's (each sharing set adds its own, and garbage collection removes the Service after
   * the last).
   */
  public static Optional<Service> of(LabeledAppSet set, PodAdditions verdict) {
    ServiceSpec spec = set.getSpec().getService();
    if (spec == null) {
      return Optional.empty();
    }
    ServiceSpec.Type type = spec.getType() == null ? ServiceSpec.Type.ClusterIP : spec.getType();
    boolean nodePorts = type != ServiceSpec.Type.ClusterIP;
    boolean loadBalancer = type == ServiceSpec.Type.LoadBalancer;
    // @formatter:off
    return Optional.of(new ServiceBuilder()
        .withNewMetadata()
          .withName(Names.service(set))
          .withNamespace(set.getMetadata().getNamespace())
          .withLabels(labels(set, verdict))
          .withAnnotations(annotations(spec))
          .withOwnerReferences(ownerReference(set))
        .endMetadata()
        .withNewSpec()
          .withType(type.name())
          .withSelector(Labels.serviceSelector(set))
          .withPorts(ports(spec, nodePorts))
          .withExternalTrafficPolicy(externalTrafficPolicy(spec, nodePorts))
          .withLoadBalancerSourceRanges(loadBalancer ? sourceRanges(spec) : null)
          .withLoadBalancerClass(loadBalancer ? spec.getLoadBalancerClass() : null)
        .endSpec()
        .build());
    // @formatter:on
  }

  /**
   * The set's reference on its Service: the controller's for a Service of its own, a plain owner's
   * for a named one.
   */
  public static OwnerReference ownerReference(LabeledAppSet set) {
    OwnerReference controller = DesiredPods.controllerReference(set);
    if (!Names.namesService(set)) {
      return controller;
    }
    return new OwnerReferenceBuilder(controller).withController(false).build();
  }

  private static Map<String, String> labels(LabeledAppSet set, PodAdditions verdict) {
    Map<String, String> labels = new LinkedHashMap<>(verdict.inheritedLabels());
    labels.putAll(Labels.service(set));
    return labels;
  }

  /**
   * {@code spec.service.annotations} and the list of their keys; null (no change at all) without
   * any.
   */
  private static Map<String, String> annotations(ServiceSpec spec) {
    if (spec.getAnnotations() == null || spec.getAnnotations().isEmpty()) {
      return null;
    }
    Map<String, String> annotations = new LinkedHashMap<>(spec.getAnnotations());
    annotations.put(
        MANAGED_ANNOTATIONS, String.join(",", new TreeSet<>(spec.getAnnotations().keySet())));
    return annotations;
  }

  private static List<String> sourceRanges(ServiceSpec spec) {
    List<String> ranges = spec.getLoadBalancerSourceRanges();
    return ranges == null || ranges.isEmpty() ? null : List.copyOf(ranges);
  }

  /**
   * Explicit for NodePort and LoadBalancer, so removing {@code Local} from the spec puts {@code
   * Cluster} back.
   */
  private static String externalTrafficPolicy(ServiceSpec spec, boolean nodePorts) {
    if (!nodePorts) {
      return null;
    }
    return spec.getExternalTrafficPolicy() == null
        ? ServiceSpec.ExternalTrafficPolicy.Cluster.name()
        : spec.getExternalTrafficPolicy().name();
  }

  private static List<ServicePort> ports(ServiceSpec spec, boolean nodePorts) {
    return spec.getPorts().stream()
        .map(
            p ->
                new ServicePortBuilder()
                    .withName(p.getName())
                    .withPort(p.getPort())
                    // always explicit: kube-apiserver 1.20 rejects server-side apply of ports
                    // without protocol
                    .withProtocol(DesiredPods.protocol(p.getProtocol()))
                    .withTargetPort(
                        p.getTargetPort() == null
                            ? new IntOrString(p.getPort())
                            : p.getTargetPort())
                    .withNodePort(nodePorts ? p.getNodePort() : null)
                    .build())
        .toList();
  }
}

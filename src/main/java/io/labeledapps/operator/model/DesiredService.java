package io.labeledapps.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.ServiceSpec;
import io.labeledapps.operator.conventions.ConventionVerdict;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Service a set wants, if any. Pure. */
public final class DesiredService {
  private DesiredService() {}

  /** The Service without namespace conventions. */
  public static Optional<Service> of(LabeledAppSet set) {
    return of(set, ConventionVerdict.NONE);
  }

  /** The Service selecting exactly the set's pods, or empty when the spec has no service. */
  public static Optional<Service> of(LabeledAppSet set, ConventionVerdict verdict) {
    ServiceSpec spec = set.getSpec().getService();
    if (spec == null) {
      return Optional.empty();
    }
    ServiceSpec.Type type = spec.getType() == null ? ServiceSpec.Type.ClusterIP : spec.getType();
    boolean nodePort = type == ServiceSpec.Type.NodePort;
    // @formatter:off
    return Optional.of(new ServiceBuilder()
        .withNewMetadata()
          .withName(Names.service(set))
          .withNamespace(set.getMetadata().getNamespace())
          .withLabels(labels(set, verdict))
          .withOwnerReferences(DesiredPods.controllerReference(set))
        .endMetadata()
        .withNewSpec()
          .withType(type.name())
          .withSelector(Labels.selector(set))
          .withPorts(ports(spec, nodePort))
          .withExternalTrafficPolicy(externalTrafficPolicy(spec, nodePort))
        .endSpec()
        .build());
    // @formatter:on
  }

  private static Map<String, String> labels(LabeledAppSet set, ConventionVerdict verdict) {
    Map<String, String> labels = new LinkedHashMap<>(verdict.inheritedLabels());
    labels.putAll(Labels.standard(set));
    return labels;
  }

  /** Explicit for NodePort, so removing {@code Local} from the spec puts {@code Cluster} back. */
  private static String externalTrafficPolicy(ServiceSpec spec, boolean nodePort) {
    if (!nodePort) {
      return null;
    }
    return spec.getExternalTrafficPolicy() == null
        ? ServiceSpec.ExternalTrafficPolicy.Cluster.name()
        : spec.getExternalTrafficPolicy().name();
  }

  private static List<ServicePort> ports(ServiceSpec spec, boolean nodePort) {
    return spec.getPorts().stream()
        .map(p -> new ServicePortBuilder()
            .withName(p.getName())
            .withPort(p.getPort())
            // always explicit: kube-apiserver 1.20 rejects server-side apply of ports without protocol
            .withProtocol(DesiredPods.protocol(p.getProtocol()))
            .withTargetPort(p.getTargetPort() == null ? new IntOrString(p.getPort()) : p.getTargetPort())
            .withNodePort(nodePort ? p.getNodePort() : null)
            .build())
        .toList();
  }
}

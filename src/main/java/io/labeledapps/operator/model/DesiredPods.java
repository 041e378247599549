package io.labeledapps.operator.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.labeledapps.operator.api.ContainerPortSpec;
import io.labeledapps.operator.api.ContainerSpec;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.Protocol;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The pods a set wants. Pure: no client, no clock. */
public final class DesiredPods {
  private DesiredPods() {}

  /**
   * The pod template: labels, annotations and spec, without name or hash, with what the namespace's
   * conventions add (inherited labels, resource defaults).
   */
  public static PodTemplateSpec template(LabeledAppSet set, PodAdditions verdict) {
    var spec = set.getSpec();
    Map<String, String> annotations = new LinkedHashMap<>();
    if (spec.getAnnotations() != null) {
      annotations.putAll(spec.getAnnotations());
    }
    // @formatter:off
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
          .withLabels(Labels.pod(set, verdict.inheritedLabels()))
          .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
          .withNodeSelector(emptyToNull(spec.getNodeSelector()))
          .withSecurityContext(SecurityDefaults.pod(spec.getSecurityContext(), verdict.restrictedPodSecurity()))
          .withServiceAccountName(spec.getServiceAccountName())
          .withAutomountServiceAccountToken(spec.getAutomountServiceAccountToken())
          .withImagePullSecrets(spec.getImagePullSecrets())
          .withTolerations(spec.getTolerations())
          .withAffinity(spec.getAffinity())
          .withTopologySpreadConstraints(spec.getTopologySpreadConstraints())
          .withPriorityClassName(spec.getPriorityClassName())
          .withTerminationGracePeriodSeconds(spec.getTerminationGracePeriodSeconds())
          .withVolumes(spec.getVolumes())
          .withInitContainers(containers(spec.getInitContainers(), verdict))
          .withContainers(containers(spec.getContainers(), verdict))
        .endSpec()
        .build();
    // @formatter:on
  }

  /**
   * The pods of one pass share the template's spec object instead of a deep copy each (a builder
   * copies every nested object): pods are only ever serialized, and copying the spec 500 times was
   * most of the work between a scale-up and its first create in a JVM that had just started.
   */
  static Pod stamp(LabeledAppSet set, int slot, PodTemplateSpec template, String hash) {
    Map<String, String> annotations = new LinkedHashMap<>(template.getMetadata().getAnnotations());
    annotations.put(TemplateHash.ANNOTATION, hash);
    ObjectMeta metadata = new ObjectMeta();
    metadata.setName(Names.pod(set, slot));
    metadata.setNamespace(set.getMetadata().getNamespace());
    metadata.setLabels(template.getMetadata().getLabels());
    metadata.setAnnotations(annotations);
    metadata.setOwnerReferences(List.of(controllerReference(set)));
    Pod pod = new Pod();
    pod.setMetadata(metadata);
    pod.setSpec(template.getSpec());
    return pod;
  }

  /** A controller ownerReference to the set: garbage collection removes what it points from. */
  public static OwnerReference controllerReference(LabeledAppSet set) {
    return new OwnerReferenceBuilder()
        .withApiVersion(set.getApiVersion())
        .withKind(set.getKind())
        .withName(set.getMetadata().getName())
        .withUid(set.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  static List<Container> containers(List<ContainerSpec> specs, PodAdditions verdict) {
    if (specs == null) {
      return List.of();
    }
    return specs.stream().map(c -> container(c, verdict)).toList();
  }

  static Container container(ContainerSpec c, PodAdditions verdict) {
    // @formatter:off
    return new ContainerBuilder()
        .withName(c.getName())
        .withImage(c.getImage())
        .withImagePullPolicy(c.getImagePullPolicy() == null ? null : c.getImagePullPolicy().name())
        .withCommand(c.getCommand())
        .withArgs(c.getArgs())
        .withEnv(c.getEnv())
        .withEnvFrom(c.getEnvFrom())
        .withPorts(ports(c.getPorts()))
        .withResources(Quantities.withDefaults(c.getResources(), verdict.resourceDefaults()))
        .withLivenessProbe(c.getLivenessProbe())
        .withReadinessProbe(c.getReadinessProbe())
        .withStartupProbe(c.getStartupProbe())
        .withLifecycle(c.getLifecycle())
        .withVolumeMounts(c.getVolumeMounts())
        .withSecurityContext(SecurityDefaults.container(c.getSecurityContext(), verdict.restrictedPodSecurity()))
        .build();
    // @formatter:on
  }

  private static List<ContainerPort> ports(List<ContainerPortSpec> ports) {
    if (ports == null) {
      return List.of();
    }
    return ports.stream()
        .map(
            p ->
                new ContainerPortBuilder()
                    .withName(p.getName())
                    .withContainerPort(p.getContainerPort())
                    .withProtocol(protocol(p.getProtocol()))
                    .build())
        .toList();
  }

  static String protocol(Protocol protocol) {
    return protocol == null ? Protocol.TCP.name() : protocol.name();
  }

  private static Map<String, String> emptyToNull(Map<String, String> map) {
    return map == null || map.isEmpty() ? null : map;
  }
}

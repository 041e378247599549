package io.labeledapps.operator.reconciler;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.labeledapps.operator.model.DesiredService;
import io.labeledapps.operator.model.Owners;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The fields of a Service the operator owns: whether a Service carries them ({@link #matches}) and
 * the Service with them set ({@link #merge}), keeping what the API server allocated (clusterIP,
 * ipFamilies, node ports the user left open) and what others added. Pure.
 */
final class ServiceFields {
  private ServiceFields() {}

  /**
   * True when {@code actual} carries everything the operator owns in {@code desired}, and no label
   * of {@code ownedKeys} that desired lacks.
   */
  static boolean matches(Service desired, Service actual, Set<String> ownedKeys) {
    return metadataMatches(desired, actual, ownedKeys)
        && specMatches(desired.getSpec(), actual.getSpec());
  }

  private static boolean metadataMatches(Service desired, Service actual, Set<String> ownedKeys) {
    Map<String, String> labels =
        actual.getMetadata().getLabels() == null ? Map.of() : actual.getMetadata().getLabels();
    if (!labels.entrySet().containsAll(desired.getMetadata().getLabels().entrySet())) {
      return false;
    }
    if (ownedKeys.stream()
        .anyMatch(
            k -> labels.containsKey(k) && !desired.getMetadata().getLabels().containsKey(k))) {
      return false;
    }
    if (!annotations(actual, desired)
        .equals(
            actual.getMetadata().getAnnotations() == null
                ? Map.of()
                : actual.getMetadata().getAnnotations())) {
      return false;
    }
    OwnerReference own = desired.getMetadata().getOwnerReferences().get(0);
    return Owners.setOwners(actual).stream()
        .anyMatch(
            r ->
                Objects.equals(r.getUid(), own.getUid())
                    && Objects.equals(r.getController(), own.getController()));
  }

  private static boolean specMatches(ServiceSpec d, ServiceSpec a) {
    if (!Objects.equals(d.getType(), a.getType())
        || !Objects.equals(d.getSelector(), a.getSelector())
        || !Objects.equals(d.getExternalTrafficPolicy(), a.getExternalTrafficPolicy())
        || !Objects.equals(
            orEmpty(d.getLoadBalancerSourceRanges()), orEmpty(a.getLoadBalancerSourceRanges()))) {
      return false;
    }
    // loadBalancerClass is not compared: it can only be set on creation, and API servers before
    // 1.22 drop it
    if (a.getPorts() == null || d.getPorts().size() != a.getPorts().size()) {
      return false;
    }
    for (int i = 0; i < d.getPorts().size(); i++) {
      ServicePort dp = d.getPorts().get(i);
      ServicePort ap = a.getPorts().get(i);
      if (!Objects.equals(dp.getName(), ap.getName())
          || !Objects.equals(dp.getPort(), ap.getPort())
          || !Objects.equals(dp.getProtocol(), ap.getProtocol())
          || !Objects.equals(dp.getTargetPort(), ap.getTargetPort())
          || (dp.getNodePort() != null && !Objects.equals(dp.getNodePort(), ap.getNodePort()))
          || (!hasNodePorts(d.getType()) && ap.getNodePort() != null)) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasNodePorts(String type) {
    return "NodePort".equals(type) || "LoadBalancer".equals(type);
  }

  private static List<String> orEmpty(List<String> list) {
    return list == null ? List.of() : list;
  }

  /**
   * The annotations {@code actual} should have: its own, without those the operator put there
   * before (listed in {@link DesiredService#MANAGED_ANNOTATIONS}), plus the desired ones.
   */
  static Map<String, String> annotations(Service actual, Service desired) {
    Map<String, String> annotations = new LinkedHashMap<>();
    if (actual.getMetadata().getAnnotations() != null) {
      annotations.putAll(actual.getMetadata().getAnnotations());
    }
    String managed = annotations.remove(DesiredService.MANAGED_ANNOTATIONS);
    if (managed != null) {
      for (String key : managed.split(",")) {
        annotations.remove(key);
      }
    }
    if (desired.getMetadata().getAnnotations() != null) {
      annotations.putAll(desired.getMetadata().getAnnotations());
    }
    return annotations;
  }

  /**
   * {@code actual} with the operator's fields set from {@code desired}, allocated fields kept,
   * labels of {@code ownedKeys} that desired lacks dropped.
   */
  static Service merge(Service desired, Service actual, Set<String> ownedKeys) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (actual.getMetadata().getLabels() != null) {
      labels.putAll(actual.getMetadata().getLabels());
    }
    labels
        .keySet()
        .removeIf(k -> ownedKeys.contains(k) && !desired.getMetadata().getLabels().containsKey(k));
    labels.putAll(desired.getMetadata().getLabels());
    // immutable once set; set with the type, dropped with it
    String loadBalancerClass =
        !"LoadBalancer".equals(desired.getSpec().getType())
            ? null
            : "LoadBalancer".equals(actual.getSpec().getType())
                ? actual.getSpec().getLoadBalancerClass()
                : desired.getSpec().getLoadBalancerClass();
    // @formatter:off
    return new ServiceBuilder(actual)
        .editMetadata()
          .withLabels(labels)
          .withAnnotations(annotations(actual, desired))
          .withOwnerReferences(owners(desired, actual))
        .endMetadata()
        .editSpec()
          .withType(desired.getSpec().getType())
          .withSelector(desired.getSpec().getSelector())
          .withPorts(ports(desired, actual))
          .withExternalTrafficPolicy(desired.getSpec().getExternalTrafficPolicy())
          .withLoadBalancerSourceRanges(desired.getSpec().getLoadBalancerSourceRanges())
          .withLoadBalancerClass(loadBalancerClass)
        .endSpec()
        .build();
    // @formatter:on
  }

  /** The desired ports, each with the node port the server allocated when the user left it open. */
  private static List<ServicePort> ports(Service desired, Service actual) {
    boolean nodePort = hasNodePorts(desired.getSpec().getType());
    List<ServicePort> ports = new ArrayList<>();
    for (ServicePort dp : desired.getSpec().getPorts()) {
      Integer allocated =
          actual.getSpec().getPorts() == null
              ? null
              : actual.getSpec().getPorts().stream()
                  .filter(
                      ap ->
                          Objects.equals(ap.getName(), dp.getName())
                              && Objects.equals(ap.getPort(), dp.getPort()))
                  .map(ServicePort::getNodePort)
                  .filter(Objects::nonNull)
                  .findFirst()
                  .orElse(null);
      ports.add(
          new ServicePortBuilder(dp)
              .withNodePort(
                  !nodePort ? null : dp.getNodePort() != null ? dp.getNodePort() : allocated)
              .build());
    }
    return ports;
  }

  /** The set's own reference in its place (or last), the others' as they are. */
  private static List<OwnerReference> owners(Service desired, Service actual) {
    OwnerReference own = desired.getMetadata().getOwnerReferences().get(0);
    List<OwnerReference> owners = new ArrayList<>();
    if (actual.getMetadata().getOwnerReferences() != null) {
      actual
          .getMetadata()
          .getOwnerReferences()
          .forEach(r -> owners.add(Objects.equals(r.getUid(), own.getUid()) ? own : r));
    }
    if (owners.stream().noneMatch(r -> r == own)) {
      owners.add(own);
    }
    return owners;
  }
}

package io.labeledapps.operator.status;

import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.LoadBalancerStatusBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.ServiceStatus;
import io.labeledapps.operator.model.Owners;
import java.util.List;
import java.util.Objects;

/** {@code status.service} and {@code status.loadBalancer}: the Service as the API server has it. */
final class ServiceSummary {
  private ServiceSummary() {}

  static ServiceStatus of(LabeledAppSet set, Service service) {
    if (service == null) {
      return null;
    }
    ServiceStatus s = new ServiceStatus();
    s.setName(service.getMetadata().getName());
    s.setType(service.getSpec().getType());
    s.setClusterIP(service.getSpec().getClusterIP());
    List<Integer> nodePorts =
        service.getSpec().getPorts() == null
            ? List.of()
            : service.getSpec().getPorts().stream()
                .map(ServicePort::getNodePort)
                .filter(Objects::nonNull)
                .toList();
    s.setNodePorts(nodePorts.isEmpty() ? null : nodePorts);
    if ("LoadBalancer".equals(service.getSpec().getType())) {
      List<String> addresses = externalAddresses(service);
      s.setExternalIP(addresses.isEmpty() ? "<pending>" : String.join(",", addresses));
    }
    List<String> others =
        Owners.setOwners(service).stream()
            .filter(r -> !Objects.equals(r.getUid(), set.getMetadata().getUid()))
            .map(r -> r.getName())
            .sorted()
            .toList();
    s.setSharedWith(others.isEmpty() ? null : others);
    return s;
  }

  /** The Service's load balancer addresses (ip and hostname only), or null while it has none. */
  static LoadBalancerStatus loadBalancer(Service service) {
    if (service == null
        || !"LoadBalancer".equals(service.getSpec().getType())
        || externalAddresses(service).isEmpty()) {
      return null;
    }
    return new LoadBalancerStatusBuilder()
        .withIngress(
            service.getStatus().getLoadBalancer().getIngress().stream()
                .filter(i -> i.getIp() != null || i.getHostname() != null)
                .map(
                    i ->
                        new LoadBalancerIngressBuilder()
                            .withIp(i.getIp())
                            .withHostname(i.getHostname())
                            .build())
                .toList())
        .build();
  }

  /** The load balancer's IPs or host names, in the Service's order. */
  static List<String> externalAddresses(Service service) {
    if (service.getStatus() == null
        || service.getStatus().getLoadBalancer() == null
        || service.getStatus().getLoadBalancer().getIngress() == null) {
      return List.of();
    }
    return service.getStatus().getLoadBalancer().getIngress().stream()
        .map(i -> i.getIp() != null ? i.getIp() : i.getHostname())
        .filter(Objects::nonNull)
        .toList();
  }
}

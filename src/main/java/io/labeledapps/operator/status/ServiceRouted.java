package io.labeledapps.operator.status;

import static io.labeledapps.operator.status.Conditions.SERVICE_ROUTED;
import static io.labeledapps.operator.status.Conditions.condition;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.Labels;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What ServiceRouted says: whether the set's ready pods are endpoints of its Service, with a hint
 * on how to reach it (node ports, the minikube command, the load balancer's address).
 */
public final class ServiceRouted {
  private ServiceRouted() {}

  static Condition of(LabeledAppSet set, StatusFacts o, int readyPods, long generation) {
    Service service = o.service();
    Problem serviceProblem =
        o.problems().stream()
            .filter(p -> p.reason().equals("ServiceConflict") || p.reason().equals("ServiceFailed"))
            .findFirst()
            .orElse(null);
    if (serviceProblem != null && service == null) {
      return condition(
          SERVICE_ROUTED, "False", serviceProblem.reason(), serviceProblem.message(), generation);
    }
    if (service == null) {
      return condition(
          SERVICE_ROUTED, "False", "ServiceMissing", "the Service does not exist", generation);
    }
    String hint =
        hint(set, service) + (o.serviceHandover() == null ? "" : "; " + o.serviceHandover());
    if (readyPods == 0) {
      return condition(
          SERVICE_ROUTED,
          "False",
          "NoReadyPods",
          "the selector " + Labels.selectorString(set) + " matches no ready pod" + hint,
          generation);
    }
    return endpoints(o, readyPods, hint, generation);
  }

  /** Whether each of the set's {@code readyPods} ready pods is an endpoint of its Service. */
  private static Condition endpoints(StatusFacts o, int readyPods, String hint, long generation) {
    Set<String> ownReady =
        o.counted().stream()
            .filter(PodState::isReady)
            .map(p -> p.getMetadata().getName())
            .collect(Collectors.toSet());
    int endpoints = readyEndpoints(o.endpoints(), ownReady);
    if (endpoints < readyPods) {
      return condition(
          SERVICE_ROUTED,
          "False",
          "EndpointsPending",
          endpoints + " of " + readyPods + " ready pods are endpoints of the Service" + hint,
          generation);
    }
    return condition(
        SERVICE_ROUTED,
        "True",
        "EndpointsReady",
        endpoints + " ready endpoint" + (endpoints == 1 ? "" : "s") + hint,
        generation);
  }

  /**
   * How to reach the Service: node ports (and the minikube command), the load balancer's address.
   */
  static String hint(LabeledAppSet set, Service service) {
    String hint = "";
    String type = service.getSpec().getType();
    if (("NodePort".equals(type) || "LoadBalancer".equals(type))
        && service.getSpec().getPorts() != null) {
      hint =
          "; node ports "
              + service.getSpec().getPorts().stream()
                  .map(ServicePort::getNodePort)
                  .filter(Objects::nonNull)
                  .map(String::valueOf)
                  .collect(Collectors.joining(", "))
              + ("NodePort".equals(type)
                  ? " (minikube service "
                      + service.getMetadata().getName()
                      + " -n "
                      + set.getMetadata().getNamespace()
                      + ")"
                  : "");
    }
    return "LoadBalancer".equals(type) ? hint + loadBalancerHint(set, service) : hint;
  }

  private static String loadBalancerHint(LabeledAppSet set, Service service) {
    List<String> addresses = ServiceSummary.externalAddresses(service);
    String hint =
        addresses.isEmpty()
            ? "; waiting for the load balancer's external address (the cluster's cloud provider or load balancer"
                + " plugin assigns it; on minikube run 'minikube tunnel')"
            : "; external address " + String.join(", ", addresses);
    String wantedClass =
        set.getSpec().getService() == null
            ? null
            : set.getSpec().getService().getLoadBalancerClass();
    if (wantedClass != null && service.getSpec().getLoadBalancerClass() == null) {
      hint +=
          "; the API server did not keep loadBalancerClass "
              + wantedClass
              + " (Kubernetes before 1.22 does not know the field): the cluster's default load balancer serves it";
    }
    return hint;
  }

  /**
   * Distinct ready addresses over all subsets (one per pod, whatever its number of ports), counting
   * only the pods named in {@code pods} (a set's own, when other sets share its Service); all of
   * them when {@code pods} is null.
   */
  public static int readyEndpoints(Endpoints endpoints, Set<String> pods) {
    if (endpoints == null || endpoints.getSubsets() == null) {
      return 0;
    }
    return (int)
        endpoints.getSubsets().stream()
            .filter(s -> s.getAddresses() != null)
            .flatMap(s -> s.getAddresses().stream())
            .filter(
                a ->
                    pods == null
                        || (a.getTargetRef() != null && pods.contains(a.getTargetRef().getName())))
            .map(a -> a.getTargetRef() != null ? a.getTargetRef().getName() : a.getIp())
            .distinct()
            .count();
  }
}

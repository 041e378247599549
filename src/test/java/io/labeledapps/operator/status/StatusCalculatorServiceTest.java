package io.labeledapps.operator.status;

import static io.labeledapps.operator.reconciler.TestPods.ready;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetStatus;
import io.labeledapps.operator.api.ServiceSpec;
import io.labeledapps.operator.model.DesiredService;
import io.labeledapps.operator.model.TestDesired;
import io.labeledapps.operator.model.TestSets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ServiceRouted condition and the Service's part of the status: LoadBalancer addresses, shared
 * Services.
 */
class StatusCalculatorServiceTest {
  private static final String NOW = "2024-05-01T10:00:00Z";

  private static LabeledAppSet set(ServiceSpec.Type type, String serviceName) {
    LabeledAppSet set = TestSets.web("web", 2);
    ServiceSpec service = TestSets.service(type, "http");
    service.setName(serviceName);
    set.getSpec().setService(service);
    return set;
  }

  private static Service allocated(LabeledAppSet set) {
    Service service = DesiredService.of(set).orElseThrow();
    service.getSpec().setClusterIP("10.96.12.34");
    if (!"ClusterIP".equals(service.getSpec().getType())) {
      service.getSpec().getPorts().get(0).setNodePort(30080);
    }
    return service;
  }

  /** Endpoints holding the named pods as ready addresses. */
  private static Endpoints endpoints(String... pods) {
    EndpointsBuilder builder =
        new EndpointsBuilder().withNewMetadata().withName("web").endMetadata();
    var subset = builder.addNewSubset();
    for (int i = 0; i < pods.length; i++) {
      subset
          .addNewAddress()
          .withIp("10.244.0." + (i + 1))
          .withNewTargetRef()
          .withKind("Pod")
          .withName(pods[i])
          .endTargetRef()
          .endAddress();
    }
    return subset.endSubset().build();
  }

  private static LabeledAppSetStatus compute(
      LabeledAppSet set, Service service, Endpoints endpoints, List<Problem> problems) {
    List<Pod> pods = List.of(ready(set, 0), ready(set, 1));
    return StatusCalculator.compute(
        set,
        StatusFacts.of(pods, pods, TestDesired.templateHash(set))
            .withService(service)
            .withEndpoints(endpoints)
            .withProblems(problems),
        NOW,
        null);
  }

  private static Condition routed(LabeledAppSetStatus status) {
    return Conditions.find(status, Conditions.SERVICE_ROUTED);
  }

  @Test
  void aLoadBalancerWithoutAnAddressSaysItIsWaitingAndHowToGetOneOnMinikube() {
    LabeledAppSet set = set(ServiceSpec.Type.LoadBalancer, null);
    LabeledAppSetStatus status =
        compute(set, allocated(set), endpoints("web-0", "web-1"), List.of());
    assertEquals("<pending>", status.getService().getExternalIP());
    assertNull(status.getLoadBalancer());
    assertEquals(List.of(30080), status.getService().getNodePorts());
    Condition routed = routed(status);
    assertEquals("True", routed.getStatus());
    assertTrue(
        routed.getMessage().contains("waiting for the load balancer's external address"),
        routed.getMessage());
    assertTrue(routed.getMessage().contains("minikube tunnel"), routed.getMessage());
  }

  @Test
  void aLoadBalancerAddressIsShownInTheStatusAndTheColumnsField() {
    LabeledAppSet set = set(ServiceSpec.Type.LoadBalancer, null);
    Service service = allocated(set);
    service.setStatus(
        new io.fabric8.kubernetes.api.model.ServiceStatusBuilder()
            .withNewLoadBalancer()
            .withIngress(
                new LoadBalancerIngressBuilder().withIp("203.0.113.7").build(),
                new LoadBalancerIngressBuilder().withHostname("lb.example.com").build())
            .endLoadBalancer()
            .build());
    LabeledAppSetStatus status = compute(set, service, endpoints("web-0", "web-1"), List.of());
    assertEquals("203.0.113.7,lb.example.com", status.getService().getExternalIP());
    assertEquals("203.0.113.7", status.getLoadBalancer().getIngress().get(0).getIp());
    assertEquals("lb.example.com", status.getLoadBalancer().getIngress().get(1).getHostname());
    assertTrue(
        routed(status).getMessage().contains("external address 203.0.113.7, lb.example.com"),
        routed(status).getMessage());
  }

  @Test
  void aLoadBalancerClassTheApiServerDroppedIsReported() {
    LabeledAppSet set = set(ServiceSpec.Type.LoadBalancer, null);
    set.getSpec().getService().setLoadBalancerClass("example.com/internal");
    Service service = allocated(set);
    service.getSpec().setLoadBalancerClass(null);
    String message =
        routed(compute(set, service, endpoints("web-0", "web-1"), List.of())).getMessage();
    assertTrue(message.contains("did not keep loadBalancerClass example.com/internal"), message);
  }

  @Test
  void otherTypesHaveNoExternalAddress() {
    LabeledAppSet set = set(ServiceSpec.Type.NodePort, null);
    LabeledAppSetStatus status =
        compute(set, allocated(set), endpoints("web-0", "web-1"), List.of());
    assertNull(status.getService().getExternalIP());
    assertNull(status.getLoadBalancer());
  }

  @Test
  void onlyTheSetsOwnPodsCountAmongTheEndpointsOfASharedService() {
    LabeledAppSet set = set(ServiceSpec.Type.ClusterIP, "shared");
    Service service = allocated(set);
    // the canary's pods are endpoints too; one of ours is not yet
    Condition routed =
        routed(compute(set, service, endpoints("web-0", "canary-0", "canary-1"), List.of()));
    assertEquals("False", routed.getStatus());
    assertEquals("EndpointsPending", routed.getReason());
    assertTrue(routed.getMessage().startsWith("1 of 2 ready pods"), routed.getMessage());

    Condition all =
        routed(compute(set, service, endpoints("web-0", "canary-0", "web-1"), List.of()));
    assertEquals("True", all.getStatus());
    assertTrue(all.getMessage().startsWith("2 ready endpoints"), all.getMessage());
  }

  @Test
  void theOtherSetsSharingTheServiceAreListed() {
    LabeledAppSet set = set(ServiceSpec.Type.ClusterIP, "shared");
    Service service = allocated(set);
    service
        .getMetadata()
        .getOwnerReferences()
        .add(
            0,
            new OwnerReferenceBuilder()
                .withKind("LabeledAppSet")
                .withName("web-stable")
                .withUid("uid-stable")
                .build());
    assertEquals(
        List.of("web-stable"), compute(set, service, null, List.of()).getService().getSharedWith());
    assertNull(compute(set, allocated(set), null, List.of()).getService().getSharedWith());
  }

  @Test
  void aServiceConflictIsServiceRoutedsReasonToo() {
    LabeledAppSet set = set(ServiceSpec.Type.ClusterIP, "shared");
    Problem conflict =
        new Problem("ServiceConflict", "Service shared is defined by set web-stable (...)");
    Condition routed = routed(compute(set, null, null, List.of(conflict)));
    assertEquals("False", routed.getStatus());
    assertEquals("ServiceConflict", routed.getReason());
    assertEquals(conflict.message(), routed.getMessage());
  }
}

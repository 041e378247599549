package io.labeledapps.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.DesiredService;
import io.labeledapps.operator.model.TestSets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ServiceReconciler#matches} and {@link ServiceReconciler#merge}: what is compared and what
 * is kept.
 */
class ServiceReconcilerTest {

  /** A set named web whose Service is {@code service} (indented under {@code service:}). */
  private static LabeledAppSet set(String service) {
    return TestSets.withSpec(
        "web",
        """
        containers:
          - name: web
            image: nginx:1.27
            ports:
              - {name: http, containerPort: 8080}
              - {name: admin, containerPort: 9000}
        service:
        %s
        """
            .formatted(service.indent(2)));
  }

  private static final String NODE_PORT =
      """
      type: NodePort
      ports:
        - {name: http, port: 80, targetPort: http}
        - {name: admin, port: 9000, nodePort: 31000}
      """;

  private static final String CLUSTER_IP =
      """
      ports:
        - {name: http, port: 80, targetPort: http}
        - {name: admin, port: 9000}
      """;

  private static Service desired(String service) {
    return DesiredService.of(set(service)).orElseThrow();
  }

  /**
   * The NodePort Service as a GET returns it after the operator created it from {@link #NODE_PORT}.
   */
  private static Service actualNodePort() {
    return Serialization.unmarshal(
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: apps
          uid: 77f1c0de-0000-4000-8000-000000000077
          resourceVersion: "4711"
          creationTimestamp: "2024-05-01T10:00:00Z"
          labels:
            app.kubernetes.io/instance: web
            app.kubernetes.io/managed-by: labeledappset-operator
            app.kubernetes.io/name: web
            added-by: a-user
          annotations:
            example.com/note: keep me
          ownerReferences:
            - apiVersion: labeledapps.io/v1alpha1
              kind: LabeledAppSet
              name: web
              uid: %s
              controller: true
              blockOwnerDeletion: true
        spec:
          type: NodePort
          clusterIP: 10.96.40.41
          clusterIPs: [10.96.40.41]
          ipFamilies: [IPv4]
          ipFamilyPolicy: SingleStack
          internalTrafficPolicy: Cluster
          externalTrafficPolicy: Cluster
          sessionAffinity: None
          selector:
            app.kubernetes.io/managed-by: labeledappset-operator
            app.kubernetes.io/instance: web
          ports:
            - {name: http, port: 80, protocol: TCP, targetPort: http, nodePort: 32123}
            - {name: admin, port: 9000, protocol: TCP, targetPort: 9000, nodePort: 31000}
        status:
          loadBalancer: {}
        """
            .formatted(TestSets.UID),
        Service.class);
  }

  /**
   * The ClusterIP Service as a GET returns it after the operator created it from {@link
   * #CLUSTER_IP}.
   */
  private static Service actualClusterIp() {
    Service service = actualNodePort();
    service.getSpec().setType("ClusterIP");
    service.getSpec().setExternalTrafficPolicy(null);
    service.getSpec().getPorts().forEach(p -> p.setNodePort(null));
    return service;
  }

  @Test
  void nodePortServiceWithAllocatedFieldsMatches() {
    assertTrue(ReservedServiceFields.matches(desired(NODE_PORT), actualNodePort()));
  }

  @Test
  void clusterIpServiceWithAllocatedFieldsMatches() {
    assertTrue(ReservedServiceFields.matches(desired(CLUSTER_IP), actualClusterIp()));
  }

  static Stream<Arguments> nodePortDrift() {
    return Stream.of(
        drift("port", s -> port(s, 0).setPort(8080)),
        drift("port name", s -> port(s, 0).setName("web")),
        drift("protocol", s -> port(s, 0).setProtocol("UDP")),
        drift("targetPort", s -> port(s, 0).setTargetPort(new IntOrString(8080))),
        drift("requested nodePort", s -> port(s, 1).setNodePort(31001)),
        drift(
            "a port more",
            s ->
                s.getSpec()
                    .getPorts()
                    .add(new ServicePort(null, "extra", 31002, 81, "TCP", new IntOrString(81)))),
        drift("a port less", s -> s.getSpec().getPorts().remove(1)),
        drift("no ports", s -> s.getSpec().setPorts(null)),
        drift("port order", s -> s.getSpec().setPorts(List.of(port(s, 1), port(s, 0)))),
        drift("type", s -> s.getSpec().setType("LoadBalancer")),
        drift("externalTrafficPolicy", s -> s.getSpec().setExternalTrafficPolicy("Local")),
        drift(
            "selector value",
            s -> s.getSpec().getSelector().put("app.kubernetes.io/instance", "other")),
        drift("selector key added", s -> s.getSpec().getSelector().put("app", "web")),
        drift(
            "selector key removed",
            s -> s.getSpec().getSelector().remove("app.kubernetes.io/managed-by")),
        drift(
            "standard label removed",
            s -> s.getMetadata().getLabels().remove("app.kubernetes.io/name")),
        drift(
            "standard label changed",
            s -> s.getMetadata().getLabels().put("app.kubernetes.io/managed-by", "x")),
        drift("no labels", s -> s.getMetadata().setLabels(null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nodePortDrift")
  void driftInAnOwnedFieldDoesNotMatchAndMergeRepairsIt(String what, Consumer<Service> drift) {
    Service desired = desired(NODE_PORT);
    Service actual = actualNodePort();
    drift.accept(actual);
    assertFalse(ReservedServiceFields.matches(desired, actual));
    assertTrue(
        ReservedServiceFields.matches(desired, ReservedServiceFields.merge(desired, actual)));
  }

  @Test
  void clusterIpWithANodePortDoesNotMatch() {
    Service actual = actualClusterIp();
    port(actual, 0).setNodePort(30500);
    assertFalse(ReservedServiceFields.matches(desired(CLUSTER_IP), actual));
  }

  @Test
  void changedSpecDoesNotMatch() {
    Service actual = actualNodePort();
    assertFalse(
        ReservedServiceFields.matches(desired(CLUSTER_IP), actual), "NodePort -> ClusterIP");
    assertFalse(
        ReservedServiceFields.matches(
            desired(NODE_PORT.replace("port: 80,", "port: 8080,")), actual));
    assertFalse(
        ReservedServiceFields.matches(
            desired(NODE_PORT + "externalTrafficPolicy: Local\n"), actual));
    assertFalse(
        ReservedServiceFields.matches(
            desired(NODE_PORT.replace("nodePort: 31000", "nodePort: 31001")), actual));
    assertFalse(
        ReservedServiceFields.matches(
            desired(NODE_PORT.replace("targetPort: http", "targetPort: 8080")), actual));
  }

  @Test
  void extraLabelsAnnotationsAndServerFieldsDoNotMatter() {
    Service actual = actualNodePort();
    actual.getMetadata().getLabels().put("another", "label");
    actual.getSpec().setSessionAffinity("ClientIP");
    actual.getSpec().setExternalIPs(List.of("192.0.2.10"));
    assertTrue(ReservedServiceFields.matches(desired(NODE_PORT), actual));
  }

  @Test
  void mergeKeepsWhatTheApiServerAllocated() {
    Service desired =
        desired(
            NODE_PORT.replace("port: 9000", "port: 9000, protocol: TCP")
                + "externalTrafficPolicy: Local\n");
    Service actual = actualNodePort();
    Service merged = ReservedServiceFields.merge(desired, actual);

    assertEquals("10.96.40.41", merged.getSpec().getClusterIP());
    assertEquals(List.of("10.96.40.41"), merged.getSpec().getClusterIPs());
    assertEquals(List.of("IPv4"), merged.getSpec().getIpFamilies());
    assertEquals("SingleStack", merged.getSpec().getIpFamilyPolicy());
    assertEquals("None", merged.getSpec().getSessionAffinity());
    assertEquals("4711", merged.getMetadata().getResourceVersion());
    assertEquals("77f1c0de-0000-4000-8000-000000000077", merged.getMetadata().getUid());
    assertEquals(Map.of("example.com/note", "keep me"), merged.getMetadata().getAnnotations());
    assertEquals("a-user", merged.getMetadata().getLabels().get("added-by"));
    assertEquals(
        actual.getMetadata().getOwnerReferences(), merged.getMetadata().getOwnerReferences());

    assertEquals("Local", merged.getSpec().getExternalTrafficPolicy());
    assertEquals(32123, port(merged, 0).getNodePort(), "allocated node port kept");
    assertEquals(31000, port(merged, 1).getNodePort());
    assertTrue(ReservedServiceFields.matches(desired, merged));
  }

  @Test
  void mergeDoesNotChangeItsInputs() {
    Service desired = desired(CLUSTER_IP);
    Service actual = actualNodePort();
    String before = Serialization.asJson(actual);
    String desiredBefore = Serialization.asJson(desired);
    ReservedServiceFields.merge(desired, actual);
    assertEquals(before, Serialization.asJson(actual));
    assertEquals(desiredBefore, Serialization.asJson(desired));
  }

  @Test
  void mergeTakesTheRequestedNodePortOverTheAllocatedOne() {
    Service merged =
        ReservedServiceFields.merge(
            desired(NODE_PORT.replace("targetPort: http}", "targetPort: http, nodePort: 30123}")),
            actualNodePort());
    assertEquals(30123, port(merged, 0).getNodePort());
  }

  @Test
  void mergeKeepsTheAllocatedNodePortOfAPortThatMovedInTheList() {
    Service desired =
        desired(
            """
        type: NodePort
        ports:
          - {name: admin, port: 9000}
          - {name: http, port: 80, targetPort: http}
        """);
    Service merged = ReservedServiceFields.merge(desired, actualNodePort());
    assertEquals(
        List.of("admin", "http"),
        merged.getSpec().getPorts().stream().map(ServicePort::getName).toList());
    assertEquals(31000, port(merged, 0).getNodePort());
    assertEquals(32123, port(merged, 1).getNodePort());
  }

  @Test
  void mergeToClusterIpClearsNodePortsAndExternalTrafficPolicy() {
    Service desired = desired(CLUSTER_IP);
    Service merged = ReservedServiceFields.merge(desired, actualNodePort());
    assertEquals("ClusterIP", merged.getSpec().getType());
    merged.getSpec().getPorts().forEach(p -> assertNull(p.getNodePort(), p.getName()));
    assertNull(merged.getSpec().getExternalTrafficPolicy());
    assertEquals("10.96.40.41", merged.getSpec().getClusterIP());
    assertEquals(List.of("10.96.40.41"), merged.getSpec().getClusterIPs());
    assertTrue(ReservedServiceFields.matches(desired, merged));
  }

  @Test
  void mergeFromClusterIpToNodePortLeavesUnrequestedNodePortsToTheApiServer() {
    Service desired = desired(NODE_PORT);
    Service merged = ReservedServiceFields.merge(desired, actualClusterIp());
    assertEquals("NodePort", merged.getSpec().getType());
    assertNull(port(merged, 0).getNodePort());
    assertEquals(31000, port(merged, 1).getNodePort());
    assertEquals("Cluster", merged.getSpec().getExternalTrafficPolicy());
    assertEquals("10.96.40.41", merged.getSpec().getClusterIP());
  }

  @Test
  void mergeSetsTheDesiredSelectorExactly() {
    Service actual = actualNodePort();
    actual.getSpec().getSelector().put("app", "web");
    Service merged = ReservedServiceFields.merge(desired(NODE_PORT), actual);
    assertEquals(
        Map.of(
            "app.kubernetes.io/instance",
            "web",
            "app.kubernetes.io/managed-by",
            "labeledappset-operator"),
        merged.getSpec().getSelector());
  }

  @Test
  void serviceAnnotationsAreAddedChangedAndRemovedAndOthersAnnotationsKept() {
    Service actual = actualNodePort();
    Service withTwo =
        desired(NODE_PORT + "annotations: {a.example.com/x: '1', b.example.com/y: '2'}\n");
    assertFalse(ReservedServiceFields.matches(withTwo, actual));
    Service merged = ReservedServiceFields.merge(withTwo, actual);
    assertTrue(ReservedServiceFields.matches(withTwo, merged));
    assertEquals(
        Map.of(
            "example.com/note",
            "keep me",
            "a.example.com/x",
            "1",
            "b.example.com/y",
            "2",
            "labeledapps.io/service-annotations",
            "a.example.com/x,b.example.com/y"),
        merged.getMetadata().getAnnotations());

    Service changed = desired(NODE_PORT + "annotations: {a.example.com/x: '3'}\n");
    assertFalse(ReservedServiceFields.matches(changed, merged));
    Service merged2 = ReservedServiceFields.merge(changed, merged);
    assertEquals(
        Map.of(
            "example.com/note",
            "keep me",
            "a.example.com/x",
            "3",
            "labeledapps.io/service-annotations",
            "a.example.com/x"),
        merged2.getMetadata().getAnnotations());

    Service none = desired(NODE_PORT);
    assertFalse(ReservedServiceFields.matches(none, merged2));
    assertEquals(
        Map.of("example.com/note", "keep me"),
        ReservedServiceFields.merge(none, merged2).getMetadata().getAnnotations());
  }

  @Test
  void aLoadBalancerKeepsItsAllocatedNodePortsAndItsClassIsNeitherComparedNorChanged() {
    Service desired =
        desired(
            NODE_PORT.replace("NodePort", "LoadBalancer")
                + "loadBalancerClass: example.com/a\nloadBalancerSourceRanges: [203.0.113.0/24]\n");
    Service actual = actualNodePort();
    actual.getSpec().setType("LoadBalancer");
    actual.getSpec().setLoadBalancerSourceRanges(List.of("203.0.113.0/24"));
    assertTrue(
        ReservedServiceFields.matches(desired, actual),
        "an API server that dropped the class is no drift");
    actual.getSpec().setLoadBalancerSourceRanges(null);
    Service merged = ReservedServiceFields.merge(desired, actual);
    assertEquals(32123, port(merged, 0).getNodePort());
    assertEquals(List.of("203.0.113.0/24"), merged.getSpec().getLoadBalancerSourceRanges());
    assertNull(merged.getSpec().getLoadBalancerClass(), "set on creation only");
    assertEquals(
        "example.com/a",
        ReservedServiceFields.merge(desired, actualNodePort()).getSpec().getLoadBalancerClass(),
        "set when the Service becomes a LoadBalancer");
  }

  private static ServicePort port(Service service, int index) {
    return service.getSpec().getPorts().get(index);
  }

  private static Arguments drift(String what, Consumer<Service> drift) {
    return Arguments.of(what, drift);
  }
}

package io.labeledapps.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.ServiceSpec;
import io.labeledapps.operator.testkit.SetBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DesiredServiceTest {
  private static final Map<String, String> SELECTOR =
      Map.of(
          "app.kubernetes.io/instance", "web",
          "app.kubernetes.io/managed-by", "labeledappset-operator");

  /** A set named web with container ports http (8080) and metrics (9090), and {@code service}. */
  private static LabeledAppSet withService(String service) {
    return SetBuilder.set("web")
        .namespace("apps")
        .uid("u-web")
        .replicas(2)
        .label("tier", "front")
        .spec(
            "containers: [{name: web, image: nginx:1.27, ports: [{name: http, containerPort: 8080}, {name: metrics, containerPort: 9090}]}]")
        .service(service)
        .build();
  }

  /** The Service desired for a set whose {@code spec.service} is this YAML. */
  private static Service desiredFor(String service) {
    return desired(withService(service));
  }

  private static Service desired(LabeledAppSet set) {
    Optional<Service> service = DesiredService.of(set);
    assertTrue(service.isPresent());
    return service.get();
  }

  static List<String> goldenCases() throws IOException {
    return Golden.cases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenCases")
  void serviceMatchesGoldenFile(String name) throws IOException {
    LabeledAppSet set = TestSets.fromYaml(Files.readString(Golden.in(name)));
    Optional<Service> service = DesiredService.of(set);
    if (set.getSpec().getService() == null) {
      assertTrue(service.isEmpty());
      assertFalse(
          Files.exists(Golden.out(name, "service")), "no Service wanted, yet a golden file exists");
    } else {
      Golden.assertMatches(Golden.out(name, "service"), service.orElseThrow());
    }
  }

  /** The Service's owner reference points at set web, as its controller or not. */
  private static void assertOwnedByWeb(Service service, boolean controller) {
    OwnerReference ref = service.getMetadata().getOwnerReferences().get(0);
    assertEquals("u-web", ref.getUid());
    assertEquals(controller, ref.getController());
  }

  @Test
  void noServiceWhenTheSpecHasNone() {
    assertEquals(Optional.empty(), DesiredService.of(TestSets.web("web", 2)));
  }

  @Test
  void serviceIsNamedAfterTheSetWithStandardLabelsAndControllerReference() {
    Service service = desiredFor("ports: [{port: 80}]");
    assertEquals("web", service.getMetadata().getName());
    assertEquals("apps", service.getMetadata().getNamespace());
    assertEquals(
        Map.of(
            "app.kubernetes.io/name", "web",
            "app.kubernetes.io/instance", "web",
            "app.kubernetes.io/managed-by", "labeledappset-operator"),
        service.getMetadata().getLabels());
    assertOwnedByWeb(service, true);
  }

  @Test
  void selectorIsExactlyInstanceAndManagedBy() {
    // neither spec labels nor app.kubernetes.io/name: those may change, and the Service must keep
    // its pods
    assertEquals(SELECTOR, desiredFor("ports: [{port: 80}]").getSpec().getSelector());
  }

  @Test
  void typeDefaultsToClusterIp() {
    assertEquals("ClusterIP", desiredFor("ports: [{port: 80}]").getSpec().getType());
    LabeledAppSet set = withService("ports: [{port: 80}]");
    set.getSpec().getService().setType(null);
    assertEquals("ClusterIP", desired(set).getSpec().getType());
  }

  @Test
  void portsGetTcpAndTargetPortDefaultsToPort() {
    Service service =
        desiredFor(
            """
        ports:
          - {name: http, port: 80, targetPort: http}
          - {name: metrics, port: 9090}
          - {name: syslog, port: 514, targetPort: 5514, protocol: UDP}
        """);
    List<ServicePort> ports = service.getSpec().getPorts();
    assertEquals(
        List.of("http", "metrics", "syslog"), ports.stream().map(ServicePort::getName).toList());
    assertEquals(List.of(80, 9090, 514), ports.stream().map(ServicePort::getPort).toList());
    assertEquals(
        List.of("TCP", "TCP", "UDP"), ports.stream().map(ServicePort::getProtocol).toList());
    assertEquals(new IntOrString("http"), ports.get(0).getTargetPort());
    assertEquals(new IntOrString(9090), ports.get(1).getTargetPort());
    assertEquals(9090, ports.get(1).getTargetPort().getIntVal());
    assertEquals(new IntOrString(5514), ports.get(2).getTargetPort());
  }

  @Test
  void clusterIpHasNoNodePortsAndNoExternalTrafficPolicy() {
    // both are invalid here (the validator says so); the desired Service still must not carry them
    Service service =
        desiredFor(
            """
        type: ClusterIP
        externalTrafficPolicy: Local
        ports:
          - {port: 80, nodePort: 30080}
        """);
    assertNull(service.getSpec().getPorts().get(0).getNodePort());
    assertNull(service.getSpec().getExternalTrafficPolicy());
  }

  @Test
  void nodePortKeepsRequestedNodePortsAndLeavesTheOthersToTheApiServer() {
    Service service =
        desiredFor(
            """
        type: NodePort
        ports:
          - {name: http, port: 80, targetPort: http, nodePort: 30080}
          - {name: metrics, port: 9090}
        """);
    assertEquals("NodePort", service.getSpec().getType());
    assertEquals(30080, service.getSpec().getPorts().get(0).getNodePort());
    assertNull(service.getSpec().getPorts().get(1).getNodePort());
  }

  @Test
  void nodePortExternalTrafficPolicyDefaultsToClusterAndKeepsLocal() {
    assertEquals(
        "Cluster",
        desiredFor("type: NodePort\nports: [{port: 80}]").getSpec().getExternalTrafficPolicy());
    LabeledAppSet local =
        withService("type: NodePort\nexternalTrafficPolicy: Local\nports: [{port: 80}]");
    assertEquals(
        ServiceSpec.ExternalTrafficPolicy.Local,
        local.getSpec().getService().getExternalTrafficPolicy());
    assertEquals("Local", desired(local).getSpec().getExternalTrafficPolicy());
  }

  @Test
  void aLoadBalancerPassesItsFieldsThrough() {
    Service service =
        desiredFor(
            """
        type: LoadBalancer
        externalTrafficPolicy: Local
        loadBalancerSourceRanges: [203.0.113.0/24]
        loadBalancerClass: example.com/internal
        annotations: {service.beta.kubernetes.io/aws-load-balancer-internal: "true"}
        ports: [{name: http, port: 80, targetPort: http, nodePort: 30080}]
        """);
    assertEquals("LoadBalancer", service.getSpec().getType());
    assertEquals("Local", service.getSpec().getExternalTrafficPolicy());
    assertEquals(List.of("203.0.113.0/24"), service.getSpec().getLoadBalancerSourceRanges());
    assertEquals("example.com/internal", service.getSpec().getLoadBalancerClass());
    assertEquals(30080, service.getSpec().getPorts().get(0).getNodePort());
    assertEquals(
        Map.of(
            "service.beta.kubernetes.io/aws-load-balancer-internal",
            "true",
            DesiredService.MANAGED_ANNOTATIONS,
            "service.beta.kubernetes.io/aws-load-balancer-internal"),
        service.getMetadata().getAnnotations());
  }

  @Test
  void aLoadBalancerDefaultsToTheClusterTrafficPolicyAndSendsNoEmptyFields() {
    Service service = desiredFor("{type: LoadBalancer, ports: [{port: 80}]}");
    assertEquals("Cluster", service.getSpec().getExternalTrafficPolicy());
    assertNull(service.getSpec().getLoadBalancerSourceRanges());
    assertNull(
        service.getSpec().getLoadBalancerClass(),
        "never sent unless asked for: API servers before 1.22 drop it");
    assertNull(service.getMetadata().getAnnotations());
  }

  @Test
  void aServiceWithoutTheNewFieldsIsAsBefore() {
    // sets from before spec.service.name: same name, selector, labels and a controller reference
    Service service = desiredFor("ports: [{port: 80}]");
    assertEquals("web", service.getMetadata().getName());
    assertEquals(SELECTOR, service.getSpec().getSelector());
    assertNull(service.getMetadata().getAnnotations());
    assertEquals(Boolean.TRUE, service.getMetadata().getOwnerReferences().get(0).getController());
  }

  @Test
  void aNamedServiceSelectsEverySetNamingItAndHasNoController() {
    Service service = desiredFor("{name: shop, ports: [{port: 80}]}");
    assertEquals("shop", service.getMetadata().getName());
    assertEquals(
        Map.of(
            "labeledapps.io/service",
            "shop",
            "app.kubernetes.io/managed-by",
            "labeledappset-operator"),
        service.getSpec().getSelector());
    assertEquals(
        Map.of(
            "labeledapps.io/service",
            "shop",
            "app.kubernetes.io/managed-by",
            "labeledappset-operator",
            "app.kubernetes.io/name",
            "shop"),
        service.getMetadata().getLabels());
    assertOwnedByWeb(service, false);
  }

  @Test
  void onlyPodsOfASetNamingItsServiceCarryTheServiceLabel() {
    LabeledAppSet named = withService("{name: shop, ports: [{port: 80}]}");
    assertEquals(
        "shop",
        TestDesired.pod(named, 0, io.labeledapps.operator.conventions.ConventionVerdict.NONE)
            .getMetadata()
            .getLabels()
            .get(Labels.SERVICE));
    LabeledAppSet own = withService("ports: [{port: 80}]");
    own.getSpec().getLabels().put(Labels.SERVICE, "shop");
    assertFalse(
        TestDesired.pod(own, 0, io.labeledapps.operator.conventions.ConventionVerdict.NONE)
            .getMetadata()
            .getLabels()
            .containsKey(Labels.SERVICE),
        "a label of spec.labels does not join a Service");
  }
}

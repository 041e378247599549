package io.labeledapps.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.labeledapps.operator.api.ContainerPortSpec;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetStatus;
import io.labeledapps.operator.api.ServiceSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DesiredPodsTest {

  private static LabeledAppSet full() {
    return TestSets.fromResource("model/in-full.yaml");
  }

  static List<String> goldenCases() throws IOException {
    return Golden.cases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenCases")
  void podMatchesGoldenFile(String name) throws IOException {
    LabeledAppSet set = TestSets.fromYaml(java.nio.file.Files.readString(Golden.in(name)));
    Golden.assertMatches(Golden.out(name, "pod"), TestDesired.pod(set, 0));
  }

  @Test
  void podIsNamedAfterSetAndSlotInTheSetsNamespace() {
    LabeledAppSet set = full();
    assertEquals("shop-0", TestDesired.pod(set, 0).getMetadata().getName());
    assertEquals("shop-17", TestDesired.pod(set, 17).getMetadata().getName());
    assertEquals("team-a", TestDesired.pod(set, 17).getMetadata().getNamespace());
  }

  @Test
  void labelsAreSpecLabelsPlusStandardLabels() {
    Pod pod = TestDesired.pod(full(), 0);
    assertEquals(
        Map.of(
            "tier", "frontend",
            "app", "shop",
            "app.kubernetes.io/name", "shop",
            "app.kubernetes.io/instance", "shop",
            "app.kubernetes.io/managed-by", "labeledappset-operator"),
        pod.getMetadata().getLabels());
  }

  @Test
  void standardLabelsWinOverSpecLabels() {
    LabeledAppSet set = full();
    set.getSpec().getLabels().put("app.kubernetes.io/instance", "someone-else");
    set.getSpec().getLabels().put("app.kubernetes.io/managed-by", "helm");
    set.getSpec().getLabels().put("app.kubernetes.io/name", "other");
    Map<String, String> labels = TestDesired.pod(set, 0).getMetadata().getLabels();
    assertEquals("shop", labels.get("app.kubernetes.io/instance"));
    assertEquals("labeledappset-operator", labels.get("app.kubernetes.io/managed-by"));
    assertEquals("shop", labels.get("app.kubernetes.io/name"));
    assertTrue(Labels.matchesSelector(set, labels));
  }

  @Test
  void annotationsAreSpecAnnotationsPlusTemplateHash() {
    LabeledAppSet set = full();
    Pod pod = TestDesired.pod(set, 0);
    assertEquals(
        Map.of(
            "example.com/owner", "team-a", TemplateHash.ANNOTATION, TestDesired.templateHash(set)),
        pod.getMetadata().getAnnotations());
    assertTrue(
        TestDesired.templateHash(set).matches("[0-9a-f]{10}"), TestDesired.templateHash(set));
  }

  @Test
  void templateCarriesNoHashAndNoName() {
    var template = TestDesired.template(full());
    assertFalse(template.getMetadata().getAnnotations().containsKey(TemplateHash.ANNOTATION));
    assertNull(template.getMetadata().getName());
  }

  @Test
  void everySlotGetsTheSameSpecAndHash() {
    LabeledAppSet set = full();
    Pod zero = TestDesired.pod(set, 0);
    Pod five = TestDesired.pod(set, 5);
    assertEquals(zero.getSpec(), five.getSpec());
    assertEquals(zero.getMetadata().getAnnotations(), five.getMetadata().getAnnotations());
  }

  @Test
  void nodeSelectorIsCopiedAndLeftOutWhenEmpty() {
    assertEquals(
        Map.of("disktype", "ssd", "gpu", "true"),
        TestDesired.pod(full(), 0).getSpec().getNodeSelector());
    LabeledAppSet set = full();
    set.getSpec().setNodeSelector(new LinkedHashMap<>());
    assertNull(TestDesired.pod(set, 0).getSpec().getNodeSelector());
  }

  @Test
  void containersKeepOrderImageCommandArgsEnvAndPullPolicy() {
    Pod pod = TestDesired.pod(full(), 0);
    List<Container> containers = pod.getSpec().getContainers();
    assertEquals(List.of("web", "dns"), containers.stream().map(Container::getName).toList());
    Container web = containers.get(0);
    assertEquals("shop/web:2.1", web.getImage());
    assertEquals("IfNotPresent", web.getImagePullPolicy());
    assertEquals(List.of("MODE", "POD_NAME"), web.getEnv().stream().map(EnvVar::getName).toList());
    assertEquals("production", web.getEnv().get(0).getValue());
    assertEquals("metadata.name", web.getEnv().get(1).getValueFrom().getFieldRef().getFieldPath());
    assertNull(containers.get(1).getImagePullPolicy());
    assertEquals(List.of("-conf", "/etc/Corefile"), containers.get(1).getArgs());

    Container migrate = pod.getSpec().getInitContainers().get(0);
    assertEquals(1, pod.getSpec().getInitContainers().size());
    assertEquals("migrate", migrate.getName());
    assertEquals("shop/migrate:2.1", migrate.getImage());
    assertEquals(List.of("/bin/migrate"), migrate.getCommand());
    assertEquals(List.of("--up", "--timeout=30s"), migrate.getArgs());
    assertEquals("db.team-a.svc", migrate.getEnv().get(0).getValue());
  }

  @Test
  void portsKeepNameAndNumberAndProtocolDefaultsToTcp() {
    List<Container> containers = TestDesired.pod(full(), 0).getSpec().getContainers();
    List<ContainerPort> web = containers.get(0).getPorts();
    assertEquals(2, web.size());
    assertEquals("http", web.get(0).getName());
    assertEquals(8080, web.get(0).getContainerPort());
    assertEquals("TCP", web.get(0).getProtocol(), "protocol left out in the spec");
    assertEquals("TCP", web.get(1).getProtocol());
    ContainerPort dns = containers.get(1).getPorts().get(0);
    assertEquals(53, dns.getContainerPort());
    assertEquals("UDP", dns.getProtocol());
  }

  @Test
  void initContainerPortsGetTheTcpDefaultToo() {
    LabeledAppSet set = full();
    set.getSpec().getInitContainers().get(0).getPorts().add(new ContainerPortSpec("warmup", 7000));
    ContainerPort port =
        TestDesired.pod(set, 0).getSpec().getInitContainers().get(0).getPorts().get(0);
    assertEquals(7000, port.getContainerPort());
    assertEquals("TCP", port.getProtocol());
  }

  @Test
  void resourcesAndProbesAreCopied() {
    Container web = TestDesired.pod(full(), 0).getSpec().getContainers().get(0);
    assertEquals(new Quantity("100m"), web.getResources().getRequests().get("cpu"));
    assertEquals(new Quantity("64Mi"), web.getResources().getRequests().get("memory"));
    assertEquals(new Quantity("1"), web.getResources().getLimits().get("cpu"));
    assertEquals(new Quantity("256Mi"), web.getResources().getLimits().get("memory"));

    assertEquals(List.of("cat", "/tmp/started"), web.getStartupProbe().getExec().getCommand());
    assertEquals(30, web.getStartupProbe().getFailureThreshold());
    assertEquals("/healthz", web.getLivenessProbe().getHttpGet().getPath());
    assertEquals(new IntOrString("http"), web.getLivenessProbe().getHttpGet().getPort());
    assertEquals(5, web.getLivenessProbe().getInitialDelaySeconds());
    assertEquals(new IntOrString(8080), web.getReadinessProbe().getTcpSocket().getPort());
    assertEquals(5, web.getReadinessProbe().getPeriodSeconds());
  }

  @Test
  void ownerReferenceMakesTheSetTheController() {
    List<OwnerReference> refs = TestDesired.pod(full(), 0).getMetadata().getOwnerReferences();
    assertEquals(1, refs.size());
    OwnerReference ref = refs.get(0);
    assertEquals("labeledapps.io/v1alpha1", ref.getApiVersion());
    assertEquals("LabeledAppSet", ref.getKind());
    assertEquals("shop", ref.getName());
    assertEquals("5f1d7a52-8c1e-4d5e-9a2b-0c3d4e5f6a7b", ref.getUid());
    assertEquals(Boolean.TRUE, ref.getController());
    assertEquals(Boolean.TRUE, ref.getBlockOwnerDeletion());
  }

  static Stream<Arguments> templateChanges() {
    return Stream.of(
        change("image", s -> s.getSpec().getContainers().get(0).setImage("shop/web:2.2")),
        change(
            "init container image",
            s -> s.getSpec().getInitContainers().get(0).setImage("shop/migrate:2.2")),
        change(
            "cpu limit",
            s ->
                s.getSpec()
                    .getContainers()
                    .get(0)
                    .getResources()
                    .getLimits()
                    .put("cpu", new Quantity("2"))),
        change(
            "memory request",
            s ->
                s.getSpec()
                    .getContainers()
                    .get(0)
                    .getResources()
                    .getRequests()
                    .put("memory", new Quantity("128Mi"))),
        change(
            "liveness probe path",
            s ->
                s.getSpec()
                    .getContainers()
                    .get(0)
                    .getLivenessProbe()
                    .getHttpGet()
                    .setPath("/live")),
        change(
            "readiness probe period",
            s -> s.getSpec().getContainers().get(0).getReadinessProbe().setPeriodSeconds(10)),
        change(
            "startup probe command",
            s ->
                s.getSpec()
                    .getContainers()
                    .get(0)
                    .getStartupProbe()
                    .getExec()
                    .setCommand(List.of("true"))),
        change("label value", s -> s.getSpec().getLabels().put("tier", "backend")),
        change("label added", s -> s.getSpec().getLabels().put("track", "canary")),
        change(
            "annotation value",
            s -> s.getSpec().getAnnotations().put("example.com/owner", "team-b")),
        change("nodeSelector value", s -> s.getSpec().getNodeSelector().put("disktype", "hdd")),
        change("nodeSelector removed", s -> s.getSpec().setNodeSelector(Map.of())),
        change(
            "env value", s -> s.getSpec().getContainers().get(0).getEnv().get(0).setValue("debug")),
        change(
            "args",
            s -> s.getSpec().getContainers().get(1).setArgs(List.of("-conf", "/etc/Other"))),
        change(
            "command",
            s -> s.getSpec().getInitContainers().get(0).setCommand(List.of("/bin/other"))),
        change(
            "container port",
            s -> s.getSpec().getContainers().get(0).getPorts().get(0).setContainerPort(8081)),
        change(
            "pull policy",
            s ->
                s.getSpec()
                    .getContainers()
                    .get(1)
                    .setImagePullPolicy(
                        io.labeledapps.operator.api.ContainerSpec.PullPolicy.Always)),
        change(
            "container order",
            s -> {
              var containers = new ArrayList<>(s.getSpec().getContainers());
              java.util.Collections.reverse(containers);
              s.getSpec().setContainers(containers);
            }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("templateChanges")
  void hashChangesWithThePodTemplate(String what, Consumer<LabeledAppSet> change) {
    Hashes h = hashes(change);
    assertNotEquals(h.before(), h.after());
    assertEquals(
        h.after(),
        TestDesired.pod(h.changed(), 0)
            .getMetadata()
            .getAnnotations()
            .get(TemplateHash.ANNOTATION));
  }

  /** The template hash of {@link #full()} before and after {@code change}, and the changed set. */
  private record Hashes(String before, String after, LabeledAppSet changed) {}

  private static Hashes hashes(Consumer<LabeledAppSet> change) {
    LabeledAppSet set = full();
    String before = TestDesired.templateHash(set);
    change.accept(set);
    return new Hashes(before, TestDesired.templateHash(set), set);
  }

  static Stream<Arguments> notTemplateChanges() {
    return Stream.of(
        change("replicas", s -> s.getSpec().setReplicas(7)),
        change("service port", s -> s.getSpec().getService().getPorts().get(0).setPort(8000)),
        change("service type", s -> s.getSpec().getService().setType(ServiceSpec.Type.ClusterIP)),
        change("service removed", s -> s.getSpec().setService(null)),
        change(
            "generation and resourceVersion",
            s -> {
              s.getMetadata().setGeneration(99L);
              s.getMetadata().setResourceVersion("99999");
            }),
        change(
            "status",
            s -> {
              LabeledAppSetStatus status = new LabeledAppSetStatus();
              status.setReplicas(3);
              s.setStatus(status);
            }),
        change("label order", s -> s.getSpec().setLabels(reversed(s.getSpec().getLabels()))),
        change(
            "nodeSelector order",
            s -> s.getSpec().setNodeSelector(reversed(s.getSpec().getNodeSelector()))),
        change(
            "resources order",
            s -> {
              var resources = s.getSpec().getContainers().get(0).getResources();
              resources.setLimits(reversed(resources.getLimits()));
              resources.setRequests(reversed(resources.getRequests()));
            }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notTemplateChanges")
  void hashStaysWhenThePodTemplateDoesNot(String what, Consumer<LabeledAppSet> change) {
    Hashes h = hashes(change);
    assertEquals(h.before(), h.after());
  }

  @Test
  void hashIgnoresTheOrderOfLabelsInTheYaml() {
    String yaml =
        """
        apiVersion: labeledapps.io/v1alpha1
        kind: LabeledAppSet
        metadata: {name: web, namespace: apps, uid: u-1}
        spec:
          labels:
            %s
            %s
          nodeSelector:
            %s
            %s
          containers:
            - name: web
              image: nginx:1.27
        """;
    LabeledAppSet ab = TestSets.fromYaml(yaml.formatted("a: '1'", "b: '2'", "x: 'y'", "z: 'w'"));
    LabeledAppSet ba = TestSets.fromYaml(yaml.formatted("b: '2'", "a: '1'", "z: 'w'", "x: 'y'"));
    assertEquals(List.of("a", "b"), List.copyOf(ab.getSpec().getLabels().keySet()));
    assertEquals(List.of("b", "a"), List.copyOf(ba.getSpec().getLabels().keySet()));
    assertEquals(TestDesired.templateHash(ab), TestDesired.templateHash(ba));
  }

  private static Arguments change(String what, Consumer<LabeledAppSet> change) {
    return Arguments.of(what, change);
  }

  private static <V> Map<String, V> reversed(Map<String, V> map) {
    List<String> keys = new ArrayList<>(map.keySet());
    assertTrue(keys.size() > 1, "reversing " + keys + " changes nothing");
    java.util.Collections.reverse(keys);
    Map<String, V> out = new LinkedHashMap<>();
    keys.forEach(k -> out.put(k, map.get(k)));
    return out;
  }
}

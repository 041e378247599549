package io.labeledapps.operator.conventions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.labeledapps.operator.LabeledAppSetOperator;
import io.labeledapps.operator.MockKubelet;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.status.Conditions;
import io.labeledapps.operator.status.PodState;
import io.labeledapps.operator.testkit.Await;
import io.labeledapps.operator.testkit.Edits;
import io.labeledapps.operator.testkit.MockOperator;
import io.labeledapps.operator.testkit.Quotas;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The conventions through the real Operator against fabric8's mock API server (CRUD mode): what a
 * refusal looks like, recovery when the namespace changes, running pods kept when a rule tightens.
 * The mock has no kubelet and no quota controller: the tests play both.
 */
@EnableKubernetesMockClient(crud = true)
class ConventionsMockTest {
  static KubernetesClient client;
  static io.fabric8.kubernetes.client.server.mock.KubernetesMockServer server;

  private LabeledAppSetOperator operator;

  @BeforeEach
  void startOperator() throws Exception {
    operator = MockOperator.start(client);
  }

  @AfterEach
  void stopOperator() {
    MockOperator.stopAndClean(operator, client);
  }

  static void namespace(String name, Map<String, String> labels, Map<String, String> annotations) {
    io.labeledapps.operator.MockDryRun.accept(server, name);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .withAnnotations(annotations)
                .endMetadata()
                .build())
        .createOr(r -> r.update());
  }

  static void editNamespace(
      String name, java.util.function.Consumer<io.fabric8.kubernetes.api.model.ObjectMeta> change) {
    client
        .namespaces()
        .withName(name)
        .edit(
            n -> {
              change.accept(n.getMetadata());
              return n;
            });
  }

  /** Three pods of one container without resources, labels app=name, a ClusterIP Service. */
  static LabeledAppSet create(String ns, String name) {
    LabeledAppSet set = Fixtures.set(name);
    set.getMetadata().setNamespace(ns);
    set.getMetadata().setUid(null);
    set.getSpec().getService().getPorts().get(0).setTargetPort(new IntOrString("http"));
    return client.resource(set).create();
  }

  static LabeledAppSet fetch(String ns, String name) {
    return client.resources(LabeledAppSet.class).inNamespace(ns).withName(name).get();
  }

  static List<Pod> ownedPods(String ns, String name) {
    LabeledAppSet set = fetch(ns, name);
    return client.pods().inNamespace(ns).list().getItems().stream()
        .filter(p -> PodState.isControlledBy(p, set))
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  static Condition condition(String ns, String name, String type) {
    LabeledAppSet s = fetch(ns, name);
    return s == null ? null : Conditions.find(s.getStatus(), type);
  }

  static boolean is(String ns, String name, String type, String status, String reason) {
    Condition c = condition(ns, name, type);
    return c != null && status.equals(c.getStatus()) && reason.equals(c.getReason());
  }

  static boolean ready(String ns, String name) {
    LabeledAppSet s = fetch(ns, name);
    return is(ns, name, Conditions.READY, "True", "AllPodsReady")
        && Objects.equals(s.getStatus().getObservedGeneration(), s.getMetadata().getGeneration());
  }

  /** The kubelet's part: every pod without a status becomes Running and Ready. */
  static void runPods(String ns) {
    MockKubelet.runPods(client, ns);
  }

  /** Waits, playing the kubelet, until set web in {@code ns} is Ready. */
  static void awaitWebReady(String ns) {
    await(
        "Ready",
        () -> {
          runPods(ns);
          return ready(ns, "web");
        });
  }

  static void await(String what, BooleanSupplier condition) {
    Await.until(what, Duration.ofSeconds(60), Await.MOCK_POLL, condition, () -> "");
  }

  static List<Event> warnings(String ns, String reason) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType()) && reason.equals(e.getReason()))
        .toList();
  }

  private double violations(String ns, String rule) {
    var counter =
        operator
            .registry()
            .find("labeledappset.convention.violations")
            .tags("namespace", ns, "rule", rule)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private static Set<String> uids(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
  }

  @Test
  void aSetInANamespaceNotOptedInIsRefusedThenConvergesOnceTheNamespaceIsLabeled() {
    String ns = "conv-optin";
    namespace(ns, Map.of(), Map.of());
    create(ns, "web");
    await(
        "ConventionsMet=False NamespaceNotEnabled",
        () -> is(ns, "web", Conditions.CONVENTIONS_MET, "False", "NamespaceNotEnabled"));
    Condition conventions = condition(ns, "web", Conditions.CONVENTIONS_MET);
    assertTrue(
        conventions
            .getMessage()
            .contains(
                "namespace "
                    + ns
                    + " does not match the selector"
                    + " 'labeledapps.io/enabled=true'"),
        conventions.getMessage());
    assertTrue(
        conventions.getMessage().contains("Nothing is created or changed until this is fixed"),
        conventions.getMessage());
    Condition ready = condition(ns, "web", Conditions.READY);
    assertEquals("False", ready.getStatus());
    assertEquals("NamespaceNotEnabled", ready.getReason());
    await("a Warning event", () -> !warnings(ns, "NamespaceNotEnabled").isEmpty());
    assertTrue(
        warnings(ns, "NamespaceNotEnabled")
            .get(0)
            .getMessage()
            .contains("labeledapps.io/enabled=true"));
    assertEquals(1.0, violations(ns, "NamespaceNotEnabled"));
    assertTrue(
        operator
            .registry()
            .scrape()
            .contains(
                "labeledappset_convention_violations_total{namespace=\""
                    + ns
                    + "\",rule=\"NamespaceNotEnabled\"} 1.0"),
        "the Prometheus series is exported");
    assertTrue(ownedPods(ns, "web").isEmpty(), "no pod for a refused set");
    assertNull(
        client.services().inNamespace(ns).withName("web").get(), "no Service for a refused set");
    assertEquals(0, fetch(ns, "web").getStatus().getReplicas());

    // the operator watches namespaces: labeling it is enough
    editNamespace(ns, m -> m.getLabels().put("labeledapps.io/enabled", "true"));
    await("3 pods", () -> ownedPods(ns, "web").size() == 3);
    awaitWebReady(ns);
    Condition met = condition(ns, "web", Conditions.CONVENTIONS_MET);
    assertEquals("True", met.getStatus());
    assertEquals("Compliant", met.getReason());
    assertEquals(
        "defaults applied: web: requests.cpu=100m, requests.memory=128Mi, limits.memory=256Mi",
        met.getMessage());
    assertNotNull(client.services().inNamespace(ns).withName("web").get());
    assertEquals(1.0, violations(ns, "NamespaceNotEnabled"), "recovery counts no violation");
  }

  @Test
  void namespaceLabelsFlowDownAndAConflictingSetIsRefusedWithItsOwnReason() {
    String ns = "conv-labels";
    namespace(
        ns, Map.of("labeledapps.io/enabled", "true", "team", "payments", "env", "prod"), Map.of());
    create(ns, "web");
    await("3 pods", () -> ownedPods(ns, "web").size() == 3);
    for (Pod pod : ownedPods(ns, "web")) {
      assertEquals("payments", pod.getMetadata().getLabels().get("team"));
      assertEquals("prod", pod.getMetadata().getLabels().get("env"));
      assertEquals(
          "256Mi",
          pod.getSpec().getContainers().get(0).getResources().getLimits().get("memory").toString());
    }
    Service service = awaitService(ns, "web");
    assertEquals("payments", service.getMetadata().getLabels().get("team"));
    assertEquals("prod", service.getMetadata().getLabels().get("env"));

    LabeledAppSet conflicting = Fixtures.set("dev");
    conflicting.getMetadata().setNamespace(ns);
    conflicting.getMetadata().setUid(null);
    conflicting.getSpec().getLabels().put("env", "dev");
    client.resource(conflicting).create();
    await(
        "LabelConflict", () -> is(ns, "dev", Conditions.CONVENTIONS_MET, "False", "LabelConflict"));
    assertTrue(
        condition(ns, "dev", Conditions.CONVENTIONS_MET)
            .getMessage()
            .contains("spec.labels[env] is 'dev' but namespace " + ns + " sets env=prod"));
    await("a Warning event", () -> !warnings(ns, "LabelConflict").isEmpty());
    assertTrue(ownedPods(ns, "dev").isEmpty());
    assertEquals(1.0, violations(ns, "LabelConflict"));
  }

  private static Service awaitService(String ns, String name) {
    Service[] holder = new Service[1];
    await(
        "Service " + name,
        () -> (holder[0] = client.services().inNamespace(ns).withName(name).get()) != null);
    return holder[0];
  }

  @Test
  void runningPodsAreKeptWhenARuleIsTightenedAndTheStatusSaysSo() {
    String ns = "conv-tighten";
    namespace(ns, Map.of("labeledapps.io/enabled", "true"), Map.of());
    create(ns, "web");
    awaitWebReady(ns);
    Set<String> before = uids(ownedPods(ns, "web"));
    assertEquals(3, before.size());

    // the pods' memory limit is the default 256Mi; the namespace now allows at most 128Mi
    editNamespace(ns, m -> m.setAnnotations(Map.of("labeledapps.io/max-memory-limit", "128Mi")));
    await(
        "ConventionsMet=False ResourceCeilingExceeded",
        () -> is(ns, "web", Conditions.CONVENTIONS_MET, "False", "ResourceCeilingExceeded"));
    String message = condition(ns, "web", Conditions.CONVENTIONS_MET).getMessage();
    assertTrue(
        message.contains(
            "spec.containers[0].resources.limits.memory is not set, and its default 256Mi is above"
                + " the namespace's ceiling 128Mi"),
        message);
    assertTrue(message.endsWith("the 3 pods already running are kept"), message);
    assertEquals("ResourceCeilingExceeded", condition(ns, "web", Conditions.READY).getReason());
    await("a Warning event", () -> !warnings(ns, "ResourceCeilingExceeded").isEmpty());
    assertEquals(1.0, violations(ns, "ResourceCeilingExceeded"));
    assertEquals(before, uids(ownedPods(ns, "web")), "no running pod is deleted or replaced");
    assertEquals(3, fetch(ns, "web").getStatus().getReadyReplicas());

    // a change to the set while refused is not acted on either
    Edits.set(client, ns, "web", s -> s.getSpec().setReplicas(5));
    await(
        "the refusal covers the new generation",
        () -> {
          LabeledAppSet s = fetch(ns, "web");
          return s.getStatus().getObservedGeneration().equals(s.getMetadata().getGeneration());
        });
    assertEquals(before, uids(ownedPods(ns, "web")));

    // lifting the ceiling: the set converges, scaling to 5 without replacing the pods it kept
    editNamespace(ns, m -> m.setAnnotations(Map.of()));
    await(
        "Ready at 5",
        () -> {
          runPods(ns);
          return ready(ns, "web") && fetch(ns, "web").getStatus().getReadyReplicas() == 5;
        });
    assertTrue(
        uids(ownedPods(ns, "web")).containsAll(before),
        "the kept pods still run the current template");
    assertTrue(is(ns, "web", Conditions.CONVENTIONS_MET, "True", "Compliant"));
  }

  @Test
  void aSetThatDoesNotFitTheQuotaIsReportedWithTheShortfallAndConvergesWhenTheQuotaGrows() {
    String ns = "conv-quota";
    namespace(
        ns,
        Map.of("labeledapps.io/enabled", "true"),
        Map.of("labeledapps.io/default-cpu-request", "200m"));
    // the quota controller's part: status.hard and status.used
    client.resource(quota(ns, "500m", "0")).create();
    create(ns, "web");
    await(
        "QuotaExceeded", () -> is(ns, "web", Conditions.CONVENTIONS_MET, "False", "QuotaExceeded"));
    String message = condition(ns, "web", Conditions.CONVENTIONS_MET).getMessage();
    assertTrue(
        message.startsWith(
            "ResourceQuota compute: 3 new pods need 600m requests.cpu, more than the quota's"
                + " remaining 500m (short by 100m)"),
        message);
    await("a Warning event", () -> !warnings(ns, "QuotaExceeded").isEmpty());
    assertEquals(1.0, violations(ns, "QuotaExceeded"));
    assertTrue(ownedPods(ns, "web").isEmpty(), "no pod is created when the whole set does not fit");
    assertNull(client.services().inNamespace(ns).withName("web").get());

    client.resource(quota(ns, "1", "0")).update();
    await("3 pods once the quota has room", () -> ownedPods(ns, "web").size() == 3);
    awaitWebReady(ns);
    for (Pod pod : ownedPods(ns, "web")) {
      assertEquals(
          new Quantity("200m"),
          pod.getSpec().getContainers().get(0).getResources().getRequests().get("cpu"));
    }
  }

  private static ResourceQuota quota(String ns, String hardCpu, String usedCpu) {
    ResourceQuota quota = Quotas.of(ns, "compute", Map.of("requests.cpu", hardCpu));
    quota.setStatus(
        new ResourceQuotaStatus(
            Map.of("requests.cpu", new Quantity(hardCpu)),
            Map.of("requests.cpu", new Quantity(usedCpu))));
    return quota;
  }

  @Test
  void everyViolationIsListedAndEachRuleIsCountedOnce() {
    String ns = "conv-many";
    namespace(ns, Map.of("env", "prod", "labeledapps.io/service-types", "ClusterIP"), Map.of());
    LabeledAppSet set = Fixtures.set("bad");
    set.getMetadata().setNamespace(ns);
    set.getMetadata().setUid(null);
    set.getSpec().setLabels(Map.of("env", "dev"));
    set.getSpec().getService().setType(io.labeledapps.operator.api.ServiceSpec.Type.NodePort);
    client.resource(set).create();
    await(
        "NamespaceNotEnabled first",
        () -> is(ns, "bad", Conditions.CONVENTIONS_MET, "False", "NamespaceNotEnabled"));
    String message = condition(ns, "bad", Conditions.CONVENTIONS_MET).getMessage();
    for (String part :
        List.of(
            "does not match the selector",
            "spec.labels[env] is 'dev'",
            "pods must carry the label 'app'",
            "spec.service.type NodePort is not allowed in namespace "
                + ns
                + " (allowed: ClusterIP)")) {
      assertTrue(message.contains(part), part + " in: " + message);
    }
    await("every rule counted", () -> violations(ns, "ServiceTypeNotAllowed") == 1.0);
    for (String rule :
        List.of(
            "NamespaceNotEnabled",
            "LabelConflict",
            "MissingRequiredLabel",
            "ServiceTypeNotAllowed")) {
      assertEquals(1.0, violations(ns, rule), rule);
    }
    // an unrelated namespace change re-evaluates the set but the same violations are not counted
    // again
    editNamespace(ns, m -> m.getLabels().put("unrelated", "1"));
    editNamespace(ns, m -> m.getLabels().put("labeledapps.io/enabled", "true"));
    await(
        "NamespaceNotEnabled gone",
        () -> is(ns, "bad", Conditions.CONVENTIONS_MET, "False", "LabelConflict"));
    assertEquals(
        2.0, violations(ns, "LabelConflict"), "the set of violations changed: counted again");
    assertEquals(1.0, violations(ns, "NamespaceNotEnabled"));
    assertTrue(ownedPods(ns, "bad").isEmpty());
  }
}

package io.labeledapps.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.DesiredService;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.model.TestSets;
import io.labeledapps.operator.testkit.Unowned;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ServiceReconciler} with sets that name one Service, against fabric8's mock API server
 * (CRUD mode: no garbage collection, so leaving and deleting are the reconciler's own writes).
 */
@EnableKubernetesMockClient(crud = true)
class SharedServiceMockTest {
  static KubernetesClient client;
  private static final String NS = TestSets.NAMESPACE;

  @AfterEach
  void clean() {
    client.services().inAnyNamespace().delete();
  }

  /**
   * A set {@code name} created at {@code created}, naming Service {@code service} ({@code null}:
   * none) with {@code ports}.
   */
  static LabeledAppSet set(String name, String created, String service, String ports) {
    return TestSets.fromYaml(
        """
        apiVersion: labeledapps.io/v1alpha1
        kind: LabeledAppSet
        metadata:
          name: %s
          namespace: %s
          uid: uid-%s
          creationTimestamp: "%s"
        spec:
          replicas: 1
          containers:
            - name: web
              image: nginx:1.27
              ports:
                - {name: http, containerPort: 8080}
          service:
            %s
            ports: %s
        """
            .formatted(name, NS, name, created, service == null ? "" : "name: " + service, ports));
  }

  /** Set web-stable, created first, naming Service web with {@code ports}. */
  private static LabeledAppSet stable(String ports) {
    return set("web-stable", "2024-05-01T10:00:00Z", "web", ports);
  }

  /**
   * Set web-canary, created five minutes after web-stable, naming Service web with {@code ports}.
   */
  private static LabeledAppSet canary(String ports) {
    return set("web-canary", "2024-05-01T10:05:00Z", "web", ports);
  }

  private static final String HTTP = http(80);

  /** One port named http, {@code port} to the container port named http. */
  private static String http(int port) {
    return "[{name: http, port: %d, targetPort: http}]".formatted(port);
  }

  /**
   * Asserts that {@code outcome} is a ServiceConflict whose message contains {@code words}, and
   * returns the outcome.
   */
  private static ServiceReconciler.Outcome assertConflict(
      ServiceReconciler.Outcome outcome, String words) {
    assertEquals("ServiceConflict", outcome.problem().reason());
    assertTrue(outcome.problem().message().contains(words), outcome.problem().message());
    return outcome;
  }

  private final ServiceReconciler reconciler = new ServiceReconciler(client, List.of("team"));

  private ServiceReconciler.Outcome reconcile(LabeledAppSet set, List<LabeledAppSet> all) {
    return reconcile(set, all, List.of());
  }

  private ServiceReconciler.Outcome reconcile(
      LabeledAppSet set, List<LabeledAppSet> all, List<Pod> pods) {
    Optional<Service> cached =
        Optional.ofNullable(
            client
                .services()
                .inNamespace(NS)
                .withName(io.labeledapps.operator.model.Names.service(set))
                .get());
    List<Service> owned =
        client.services().inNamespace(NS).list().getItems().stream()
            .filter(s -> ServiceReconciler.ownedBy(s, set))
            .toList();
    return reconciler.reconcile(set, DesiredService.of(set), cached, all, owned, pods);
  }

  /** Reconciles {@code stable}, which makes the Service, and returns both sets. */
  private List<LabeledAppSet> stableMadeTheService(LabeledAppSet stable, LabeledAppSet canary) {
    List<LabeledAppSet> all = List.of(stable, canary);
    reconcile(stable, all);
    return all;
  }

  private static Service web() {
    return client.services().inNamespace(NS).withName("web").get();
  }

  private static List<String> owners(Service service) {
    return service.getMetadata().getOwnerReferences().stream()
        .map(r -> r.getName() + (Boolean.TRUE.equals(r.getController()) ? "(controller)" : ""))
        .toList();
  }

  @Test
  void twoSetsNamingOneServiceShareItWithAReferenceEachAndNoController() {
    LabeledAppSet stable = stable(HTTP);
    LabeledAppSet canary = canary(HTTP);
    List<LabeledAppSet> all = List.of(stable, canary);

    ServiceReconciler.Outcome first = reconcile(stable, all);
    assertNull(first.problem());
    assertEquals(List.of("created Service web"), first.changes());
    ServiceReconciler.Outcome second = reconcile(canary, all);
    assertNull(second.problem());
    assertEquals(List.of("joined Service web (shared with web-stable)"), second.changes());

    Service web = web();
    assertEquals(List.of("web-stable", "web-canary"), owners(web));
    assertEquals(
        Map.of(
            "labeledapps.io/service",
            "web",
            "app.kubernetes.io/managed-by",
            "labeledappset-operator"),
        web.getSpec().getSelector());
    // both are content: no further writes
    String version = web.getMetadata().getResourceVersion();
    assertEquals(List.of(), reconcile(stable, all).changes());
    assertEquals(List.of(), reconcile(canary, all).changes());
    assertEquals(version, web().getMetadata().getResourceVersion());
  }

  @Test
  void aSetWhosePortsDisagreeIsInConflictNamingTheOlderSetAndTheServiceIsLeftAsItIs() {
    LabeledAppSet stable = stable(HTTP);
    LabeledAppSet canary = canary(http(8080));
    List<LabeledAppSet> all = stableMadeTheService(stable, canary);
    String before = Serialization.asJson(web());

    ServiceReconciler.Outcome outcome =
        assertConflict(reconcile(canary, all), "defined by set web-stable");
    assertTrue(outcome.problem().message().contains("ports differ"), outcome.problem().message());
    assertTrue(
        outcome.holdPods(),
        "the canary's pods would join a Service whose ports they do not agree with");
    assertNull(outcome.service());
    assertEquals(before, Serialization.asJson(web()));
  }

  @Test
  void aServiceNoSetOwnsIsNeverModifiedOrAdopted() {
    client.services().inNamespace(NS).resource(Unowned.service("web", null, "legacy")).create();
    String before = Serialization.asJson(web());
    LabeledAppSet canary = canary(HTTP);

    ServiceReconciler.Outcome outcome =
        assertConflict(reconcile(canary, List.of(canary)), "not controlled by this set");
    assertEquals(before, Serialization.asJson(web()));
  }

  @Test
  void aSetWithoutSpecServiceNameDoesNotShareItsServiceAndOthersAreToldSo() {
    LabeledAppSet own = set("web", "2024-05-01T10:00:00Z", null, HTTP);
    LabeledAppSet canary = canary(HTTP);
    reconcile(own, List.of(own, canary));
    String before = Serialization.asJson(web());
    assertEquals(List.of("web(controller)"), owners(web()));

    ServiceReconciler.Outcome outcome =
        assertConflict(
            reconcile(canary, List.of(own, canary)), "belongs to set web, which does not share it");
    assertEquals(before, Serialization.asJson(web()));
  }

  @Test
  void aSetWithoutSpecServiceNameWhoseNameIsTakenBySharedServiceIsToldToNameIt() {
    LabeledAppSet canary = canary(HTTP);
    LabeledAppSet own = set("web", "2024-05-01T10:06:00Z", null, HTTP);
    reconcile(canary, List.of(canary, own));
    String before = Serialization.asJson(web());

    ServiceReconciler.Outcome outcome = reconcile(own, List.of(canary, own));
    assertEquals("ServiceConflict", outcome.problem().reason());
    assertTrue(
        outcome
            .problem()
            .message()
            .contains(
                "is shared by set web-canary (spec.service.name); set"
                    + " spec.service.name: web to share it too"),
        outcome.problem().message());
    assertEquals(before, Serialization.asJson(web()));
  }

  @Test
  void theFirstOwnerDefinesTheServiceAndALaterOneDoesNotRewriteIt() {
    LabeledAppSet stable = stable(HTTP);
    LabeledAppSet canary = canary(HTTP);
    List<LabeledAppSet> all = stableMadeTheService(stable, canary);
    reconcile(canary, all);
    // the stable set changes its port: it defines the Service, the canary now disagrees
    LabeledAppSet stable2 = stable(http(81));
    List<LabeledAppSet> now = List.of(stable2, canary);
    assertEquals(List.of("updated Service web"), reconcile(stable2, now).changes());
    assertEquals(81, web().getSpec().getPorts().get(0).getPort());
    assertEquals(
        List.of("web-stable", "web-canary"),
        owners(web()),
        "the update keeps the canary's reference");
    ServiceReconciler.Outcome canaryOutcome = reconcile(canary, now);
    assertEquals("ServiceConflict", canaryOutcome.problem().reason());
    assertEquals(81, web().getSpec().getPorts().get(0).getPort());
  }

  @Test
  void setsCreatedInTheSameSecondAgreeOnWhoDefinesTheServiceByTheOrderOfItsReferences() {
    LabeledAppSet stable = stable(HTTP);
    LabeledAppSet canary = set("web-canary", "2024-05-01T10:00:00Z", "web", http(81));
    List<LabeledAppSet> all = stableMadeTheService(stable, canary);
    assertEquals("ServiceConflict", reconcile(canary, all).problem().reason());
    assertNull(reconcile(stable, all).problem(), "the set that made the Service keeps defining it");
    assertEquals(80, web().getSpec().getPorts().get(0).getPort());
  }

  @Test
  void aSetThatRenamesItsServiceLeavesTheSharedOneAndTheLastToLeaveDeletesIt() {
    LabeledAppSet stable = stable(HTTP);
    LabeledAppSet canary = canary(HTTP);
    reconcile(stable, List.of(stable, canary));
    reconcile(canary, List.of(stable, canary));

    LabeledAppSet renamed = set("web-canary", "2024-05-01T10:05:00Z", "web-next", HTTP);
    ServiceReconciler.Outcome outcome = reconcile(renamed, List.of(stable, renamed));
    assertEquals(
        List.of("left Service web (still used by set web-stable)", "created Service web-next"),
        outcome.changes());
    assertEquals(List.of("web-stable"), owners(web()));
    assertNotNull(client.services().inNamespace(NS).withName("web-next").get());

    LabeledAppSet withoutService = stable(HTTP);
    withoutService.getSpec().setService(null);
    assertEquals(
        List.of("deleted Service web"),
        reconcile(withoutService, List.of(withoutService, renamed)).changes());
    assertNull(web());
  }

  @Test
  void
      aSetThatStartsNamingItsOwnServiceTurnsItsControllerReferenceIntoAnOwnersAndItsSelectorIntoTheSharedOne() {
    LabeledAppSet own = set("web", "2024-05-01T10:00:00Z", null, HTTP);
    reconcile(own, List.of(own));
    String clusterIp = web().getSpec().getClusterIP();
    LabeledAppSet named = set("web", "2024-05-01T10:00:00Z", "web", HTTP);

    assertEquals(List.of("updated Service web"), reconcile(named, List.of(named)).changes());
    Service web = web();
    assertEquals(List.of("web"), owners(web));
    assertEquals("web", web.getSpec().getSelector().get("labeledapps.io/service"));
    assertFalse(web.getMetadata().getLabels().containsKey("app.kubernetes.io/instance"));
    assertEquals(clusterIp, web.getSpec().getClusterIP());
    OwnerReference ref = web.getMetadata().getOwnerReferences().get(0);
    assertEquals(Boolean.FALSE, ref.getController());
    assertEquals(Boolean.TRUE, ref.getBlockOwnerDeletion());
  }

  @Test
  void whilePodsLackTheServiceLabelTheOwnServiceKeepsItsSelectorAndAServiceLeftIsKept() {
    LabeledAppSet own = set("web", "2024-05-01T10:00:00Z", null, HTTP);
    reconcile(own, List.of(own));
    Map<String, String> selector = web().getSpec().getSelector();
    List<Pod> oldPods = List.of(TestPods.ready(own, 0), TestPods.ready(own, 1));

    LabeledAppSet named = set("web", "2024-05-01T10:00:00Z", "web", HTTP);
    ServiceReconciler.Outcome waiting = reconcile(named, List.of(named), oldPods);
    assertEquals(selector, web().getSpec().getSelector());
    assertTrue(
        waiting.handover().startsWith("switching the selector to labeledapps.io/service=web,"),
        waiting.handover());
    List<Pod> newPods = List.of(TestPods.ready(named, 0), TestPods.ready(named, 1));
    assertEquals(
        List.of("updated Service web"), reconcile(named, List.of(named), newPods).changes());
    assertEquals("web", web().getSpec().getSelector().get("labeledapps.io/service"));

    LabeledAppSet renamed = set("web", "2024-05-01T10:00:00Z", "web-next", HTTP);
    ServiceReconciler.Outcome kept = reconcile(renamed, List.of(renamed), newPods);
    assertEquals(List.of("created Service web-next"), kept.changes());
    assertNotNull(web(), "kept while no pod carries labeledapps.io/service=web-next");
    assertTrue(kept.handover().startsWith("Service web is kept until"), kept.handover());
    List<Pod> nextPods = List.of(TestPods.ready(renamed, 0), TestPods.ready(renamed, 1));
    assertEquals(
        List.of("deleted Service web"), reconcile(renamed, List.of(renamed), nextPods).changes());
    assertNull(web());
  }

  /**
   * What a set leaves behind when it stops naming a Service: only Services the operator made for
   * sets are left or deleted, never one a user ties to the set's life with an ownerReference.
   */
  @Test
  void aUsersServiceWithAReferenceToTheSetIsNeverDeletedByIt() {
    LabeledAppSet set = set("web", "2024-05-01T10:00:00Z", null, HTTP);
    // a user's metrics Service, labeled like the operator's and garbage-collected with the set
    Service metrics =
        new ServiceBuilder()
            .withNewMetadata()
            .withName("web-metrics")
            .withNamespace(NS)
            .addToLabels(Labels.MANAGED_BY, Labels.MANAGER)
            .addToLabels("app", "web")
            .addToOwnerReferences(DesiredService.ownerReference(set))
            .endMetadata()
            .withNewSpec()
            .addNewPort()
            .withPort(9090)
            .withProtocol("TCP")
            .endPort()
            .endSpec()
            .build();
    client.services().inNamespace(NS).resource(metrics).create();
    assertEquals(
        List.of("web-metrics"),
        client.services().inNamespace(NS).list().getItems().stream()
            .filter(s -> ServiceReconciler.ownedBy(s, set))
            .map(s -> s.getMetadata().getName())
            .toList(),
        "the reconciler is handed the user's Service as one the set owns");

    assertEquals(List.of("created Service web"), reconcile(set, List.of(set)).changes());
    assertNotNull(
        client.services().inNamespace(NS).withName("web-metrics").get(),
        "the user's Service is kept");
  }
}

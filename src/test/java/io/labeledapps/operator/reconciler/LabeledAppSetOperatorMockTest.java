package io.labeledapps.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.labeledapps.operator.LabeledAppSetOperator;
import io.labeledapps.operator.MockDryRun;
import io.labeledapps.operator.MockKubelet;
import io.labeledapps.operator.api.ContainerPortSpec;
import io.labeledapps.operator.api.ContainerSpec;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetSpec;
import io.labeledapps.operator.api.LabeledAppSetStatus;
import io.labeledapps.operator.api.ServicePortSpec;
import io.labeledapps.operator.api.ServiceSpec;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.model.TemplateHash;
import io.labeledapps.operator.status.Conditions;
import io.labeledapps.operator.status.PodState;
import io.labeledapps.operator.testkit.Await;
import io.labeledapps.operator.testkit.Edits;
import io.labeledapps.operator.testkit.EnabledNamespace;
import io.labeledapps.operator.testkit.Events;
import io.labeledapps.operator.testkit.MockOperator;
import io.labeledapps.operator.testkit.Namespaces;
import io.labeledapps.operator.testkit.SetStatus;
import io.labeledapps.operator.testkit.Unowned;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real Operator against fabric8's mock API server in CRUD mode. The mock has no kubelet, so
 * tests mark pods Running and Ready themselves; it has no garbage collection either.
 */
@EnableKubernetesMockClient(crud = true)
class LabeledAppSetOperatorMockTest {
  static KubernetesClient client;
  static KubernetesMockServer server;

  private static final String NS = "mock";
  private static final String REFUSED_NS = "mock-refused";

  /** Dry-run pod creates the operator sent, per namespace. */
  private static AtomicInteger dryRuns;

  private static AtomicInteger refusedDryRuns;
  private LabeledAppSetOperator operator;

  @BeforeEach
  void startOperator() throws Exception {
    EnabledNamespace.apply(client, NS);
    if (dryRuns == null) {
      dryRuns = MockDryRun.accept(server, NS);
      refusedDryRuns =
          MockDryRun.refuse(
              server,
              REFUSED_NS,
              403,
              "Forbidden",
              "pods \"quota-0\" is forbidden:"
                  + " exceeded quota: compute, requested: limits.memory=1Gi, used: limits.memory=0, limited: limits.memory=512Mi");
    }
    operator = MockOperator.start(client);
  }

  @AfterEach
  void stopOperator() {
    MockOperator.stopAndClean(operator, client);
  }

  static LabeledAppSet set(String name, int replicas, String image) {
    LabeledAppSet set = new LabeledAppSet();
    set.getMetadata().setName(name);
    set.getMetadata().setNamespace(NS);
    LabeledAppSetSpec spec = new LabeledAppSetSpec();
    spec.setReplicas(replicas);
    spec.setLabels(Map.of("app", name, "env", "prod"));
    ContainerSpec c = new ContainerSpec();
    c.setName("web");
    c.setImage(image);
    c.setPorts(List.of(new ContainerPortSpec("http", 8080)));
    spec.setContainers(List.of(c));
    ServiceSpec service = new ServiceSpec();
    service.setPorts(List.of(new ServicePortSpec("http", 80, new IntOrString("http"))));
    spec.setService(service);
    set.setSpec(spec);
    return set;
  }

  static LabeledAppSet create(LabeledAppSet set) {
    return client.resource(set).create();
  }

  static List<Pod> ownedPods(String setName) {
    LabeledAppSet set =
        client.resources(LabeledAppSet.class).inNamespace(NS).withName(setName).get();
    return client.pods().inNamespace(NS).list().getItems().stream()
        .filter(p -> PodState.isControlledBy(p, set))
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  /**
   * Changes the set as kubectl edit does (read, change, write; again on a conflict with a status
   * write).
   */
  static void edit(String name, java.util.function.Consumer<LabeledAppSet> change) {
    Edits.set(client, NS, name, change);
  }

  static LabeledAppSet fetch(String name) {
    return client.resources(LabeledAppSet.class).inNamespace(NS).withName(name).get();
  }

  /** The kubelet's part: every pod without a status becomes Running and Ready. */
  static void runPods() {
    MockKubelet.runPods(client, NS);
  }

  static void await(String what, BooleanSupplier condition) {
    Await.until(
        what,
        Duration.ofSeconds(30),
        Await.MOCK_POLL,
        condition,
        () ->
            "sets now: "
                + client.resources(LabeledAppSet.class).inNamespace(NS).list().getItems().stream()
                    .map(
                        x ->
                            x.getMetadata().getName()
                                + " gen "
                                + x.getMetadata().getGeneration()
                                + " status "
                                + io.fabric8.kubernetes.client.utils.Serialization.asJson(
                                    x.getStatus()))
                    .toList());
  }

  /** Waits while running pods, as a kubelet would, until {@code condition} holds. */
  static void awaitWithKubelet(String what, BooleanSupplier condition) {
    await(
        what,
        () -> {
          runPods();
          return condition.getAsBoolean();
        });
  }

  static <T> T awaitValue(String what, Supplier<T> value) {
    Object[] holder = new Object[1];
    await(what, () -> (holder[0] = value.get()) != null);
    @SuppressWarnings("unchecked")
    T t = (T) holder[0];
    return t;
  }

  static boolean ready(String name) {
    LabeledAppSet s = fetch(name);
    var c = Conditions.find(s.getStatus(), Conditions.READY);
    return c != null
        && "True".equals(c.getStatus())
        && Objects.equals(s.getStatus().getObservedGeneration(), s.getMetadata().getGeneration());
  }

  @Test
  void createsLabeledPodsAndTheMatchingServiceAndReportsReady() {
    create(set("web", 3, "nginx:1.27"));
    await("3 pods", () -> ownedPods("web").size() == 3);
    List<Pod> pods = ownedPods("web");
    assertEquals(
        List.of("web-0", "web-1", "web-2"),
        pods.stream().map(p -> p.getMetadata().getName()).sorted().toList());
    for (Pod pod : pods) {
      Map<String, String> labels = pod.getMetadata().getLabels();
      assertEquals("web", labels.get("app"));
      assertEquals("prod", labels.get("env"));
      assertEquals("web", labels.get(Labels.INSTANCE));
      assertEquals(Labels.MANAGER, labels.get(Labels.MANAGED_BY));
      assertNotNull(pod.getMetadata().getAnnotations().get(TemplateHash.ANNOTATION));
      assertEquals("nginx:1.27", pod.getSpec().getContainers().get(0).getImage());
    }
    Service service =
        awaitValue("service", () -> client.services().inNamespace(NS).withName("web").get());
    assertEquals(Labels.selector(fetch("web")), service.getSpec().getSelector());
    assertEquals("ClusterIP", service.getSpec().getType());
    assertEquals(new IntOrString("http"), service.getSpec().getPorts().get(0).getTargetPort());
    assertEquals("TCP", service.getSpec().getPorts().get(0).getProtocol());
    assertTrue(PodState.isControlledBy(service, fetch("web")));

    awaitWithKubelet("Ready=True", () -> ready("web"));
    var status = fetch("web").getStatus();
    assertEquals(3, status.getReplicas());
    assertEquals(3, status.getReadyReplicas());
    assertEquals(3, status.getPodPhases().get("Running"));
    assertEquals("web", status.getService().getName());
    assertEquals(Labels.selectorString(fetch("web")), status.getSelector());
  }

  @Test
  void theStatusOfThePassThatCreatesPodsCountsThem() throws Exception {
    // every status the operator writes, in order, as a watch sees them
    List<Integer> written = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (var watch =
        client
            .resources(LabeledAppSet.class)
            .inNamespace(NS)
            .withName("counted")
            .watch(
                new io.fabric8.kubernetes.client.Watcher<LabeledAppSet>() {
                  @Override
                  public void eventReceived(Action action, LabeledAppSet s) {
                    if (s.getStatus() != null && s.getStatus().getReplicas() != null) {
                      written.add(s.getStatus().getReplicas());
                    }
                  }

                  @Override
                  public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
                })) {
      create(set("counted", 4, "nginx:1.27"));
      await("4 pods counted", () -> ownedPods("counted").size() == 4 && written.contains(4));
      // without the creates' answers it would say "0 of 4 pods exist" first: the cache it planned
      // from held none of them
      assertEquals(4, written.get(0), "statuses written: " + written);
      assertTrue(written.stream().allMatch(r -> r == 4), "never fewer than exist: " + written);
    }
  }

  @Test
  void scalesUpAndDownDeletingUnreadyPodsFirst() {
    create(set("scale", 2, "nginx:1.27"));
    awaitWithKubelet("ready at 2", () -> ready("scale"));
    edit(
        "scale",
        x -> {
          x.getSpec().setReplicas(5);
        });
    await("5 pods", () -> ownedPods("scale").size() == 5);
    awaitWithKubelet(
        "ready at 5", () -> ready("scale") && fetch("scale").getStatus().getReplicas() == 5);

    // make scale-1 unready: scaling down must take it first
    Pod one = client.pods().inNamespace(NS).withName("scale-1").get();
    client
        .pods()
        .inNamespace(NS)
        .resource(
            new PodBuilder(one)
                .editStatus()
                .withConditions(List.of())
                .addNewCondition()
                .withType("Ready")
                .withStatus("False")
                .endCondition()
                .endStatus()
                .build())
        .update();
    await("status sees the unready pod", () -> fetch("scale").getStatus().getReadyReplicas() == 4);
    edit(
        "scale",
        x -> {
          x.getSpec().setReplicas(3);
        });
    await("3 pods", () -> ownedPods("scale").size() == 3);
    List<String> names =
        ownedPods("scale").stream().map(p -> p.getMetadata().getName()).sorted().toList();
    assertFalse(names.contains("scale-1"), "the unready pod goes first: " + names);
    // then the highest slots
    assertEquals(List.of("scale-0", "scale-2", "scale-3"), names);
  }

  @Test
  void releasesAPodRelabeledOutOfTheSelectorWithoutReadingItAndReplacesIt() throws Exception {
    create(set("rel", 2, "nginx:1.27"));
    awaitWithKubelet("ready at 2", () -> ready("rel"));
    String setUid = fetch("rel").getMetadata().getUid();
    Pod relabeled =
        new PodBuilder(client.pods().inNamespace(NS).withName("rel-1").get())
            .editMetadata()
            .addToLabels(Labels.INSTANCE, "debugging")
            .endMetadata()
            .build();
    while (server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS) != null) {
      // drop what came before
    }
    // someone takes rel-1 out of the set, to debug it, as with a ReplicaSet (a PUT: no read of the
    // pod here)
    client.pods().inNamespace(NS).resource(relabeled).update();
    // from here on the test reads pods only by listing them, so a GET of rel-1 is the operator's
    java.util.function.Supplier<Pod> rel1 =
        () ->
            client.pods().inNamespace(NS).list().getItems().stream()
                .filter(p -> p.getMetadata().getName().equals("rel-1"))
                .findFirst()
                .orElse(null);
    await(
        "rel-1 released",
        () ->
            rel1.get() != null
                && rel1.get().getMetadata().getOwnerReferences().stream()
                    .noneMatch(ref -> ref.getUid().equals(setUid)));
    awaitWithKubelet("a replacement, ready", () -> ready("rel") && ownedPods("rel").size() == 2);
    assertNotNull(rel1.get(), "a released pod is not deleted");
    List<String> reads = new java.util.ArrayList<>();
    List<String> patches = new java.util.ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
      if (r.getPath().startsWith("/api/v1/namespaces/" + NS + "/pods/rel-1")) {
        (r.getMethod().equals("GET") ? reads : patches)
            .add(r.getMethod() + " " + r.getHeader("Content-Type"));
      }
    }
    assertEquals(List.of(), reads, "released from the cached pod, without reading it");
    // the test's PUT, then the operator's one JSON patch (it tests the reference's uid before
    // removing it)
    assertEquals(
        List.of("PUT", "PATCH application/json-patch+json"),
        patches.stream()
            .map(x -> x.replaceAll(";.*", "").replace("PUT application/json", "PUT"))
            .toList());
  }

  @Test
  void healsADeletedPodAndTheServiceDrift() {
    create(set("heal", 2, "nginx:1.27"));
    awaitWithKubelet("ready", () -> ready("heal"));
    String uid = client.pods().inNamespace(NS).withName("heal-0").get().getMetadata().getUid();
    client.pods().inNamespace(NS).withName("heal-0").delete();
    await(
        "a replacement pod",
        () ->
            ownedPods("heal").size() == 2
                && ownedPods("heal").stream().noneMatch(p -> p.getMetadata().getUid().equals(uid)));

    Service svc = client.services().inNamespace(NS).withName("heal").get();
    client
        .services()
        .inNamespace(NS)
        .resource(
            new io.fabric8.kubernetes.api.model.ServiceBuilder(svc)
                .editSpec()
                .withPorts(
                    new ServicePortBuilder()
                        .withName("http")
                        .withPort(9999)
                        .withProtocol("TCP")
                        .withTargetPort(new IntOrString(1))
                        .build())
                .withSelector(Map.of("app", "heal"))
                .endSpec()
                .build())
        .update();
    await(
        "Service ports restored",
        () -> {
          Service s = client.services().inNamespace(NS).withName("heal").get();
          return s.getSpec().getPorts().get(0).getPort() == 80
              && s.getSpec().getSelector().equals(Labels.selector(fetch("heal")));
        });
    client.services().inNamespace(NS).withName("heal").delete();
    await(
        "Service recreated",
        () -> client.services().inNamespace(NS).withName("heal").get() != null);
  }

  @Test
  void replacesEndedPods() {
    create(set("ended", 1, "nginx:1.27"));
    awaitWithKubelet("ready", () -> ready("ended"));
    Pod pod = client.pods().inNamespace(NS).withName("ended-0").get();
    client
        .pods()
        .inNamespace(NS)
        .resource(new PodBuilder(pod).editStatus().withPhase("Failed").endStatus().build())
        .update();
    await(
        "failed pod replaced",
        () ->
            client.pods().inNamespace(NS).withName("ended-0").get() == null
                && ownedPods("ended").size() == 1);
    assertEquals("ended-1", ownedPods("ended").get(0).getMetadata().getName());
  }

  @Test
  void rollsATemplateChangeWithOneSurgePodAndNoUnavailablePod() {
    create(set("roll", 3, "nginx:1.27"));
    awaitWithKubelet("ready", () -> ready("roll"));
    String oldHash = PodState.templateHash(ownedPods("roll").get(0));
    edit(
        "roll",
        x -> {
          x.getSpec().getContainers().get(0).setImage("nginx:1.28");
        });
    java.util.function.Predicate<Pod> isNew = p -> !oldHash.equals(PodState.templateHash(p));
    // without a kubelet the new pod never becomes ready: every old pod must keep serving
    await("a surge pod", () -> ownedPods("roll").stream().anyMatch(isNew));
    await(
        "RollingUpdate reported",
        () ->
            "RollingUpdate"
                .equals(
                    Conditions.find(fetch("roll").getStatus(), Conditions.PROGRESSING)
                        .getReason()));
    List<Pod> pods = ownedPods("roll");
    assertEquals(4, pods.size(), "one surge pod on top of the three old ones");
    assertEquals(
        3,
        pods.stream().filter(isNew.negate()).count(),
        "no old pod goes while the new one is not ready");
    assertEquals(3, fetch("roll").getStatus().getReadyReplicas());
    awaitWithKubelet(
        "all replaced",
        () ->
            ready("roll")
                && ownedPods("roll").stream()
                    .allMatch(
                        p ->
                            isNew.test(p)
                                && "nginx:1.28"
                                    .equals(p.getSpec().getContainers().get(0).getImage())));
    assertEquals(3, ownedPods("roll").size());
    assertEquals(3, fetch("roll").getStatus().getUpdatedReplicas());
  }

  @Test
  void aSetThatStartsNamingItsOwnServiceKeepsItsSelectorUntilEveryPodCarriesTheServiceLabel() {
    create(set("named", 2, "nginx:1.27"));
    awaitWithKubelet("ready", () -> ready("named"));
    Map<String, String> own =
        client.services().inNamespace(NS).withName("named").get().getSpec().getSelector();
    edit("named", x -> x.getSpec().getService().setName("named"));
    // without a kubelet the surge pod never becomes ready: only the old pods serve
    await(
        "a surge pod with the Service's label",
        () ->
            ownedPods("named").stream()
                .anyMatch(p -> "named".equals(p.getMetadata().getLabels().get(Labels.SERVICE))));
    assertSelectsAReadyPod("named", "named");
    await(
        "the status says the selector waits",
        () ->
            routedMessage("named")
                .contains(
                    "switching the selector to labeledapps.io/service=named,app.kubernetes.io/managed-by=labeledappset-operator"
                        + " once every pod carries labeledapps.io/service=named"));
    assertEquals(
        own, client.services().inNamespace(NS).withName("named").get().getSpec().getSelector());

    Map<String, String> shared = Map.of(Labels.SERVICE, "named", Labels.MANAGED_BY, Labels.MANAGER);
    awaitWithKubelet(
        "every pod replaced and the selector switched",
        () -> {
          assertSelectsAReadyPod("named", "named");
          return ready("named")
              && ownedPods("named").size() == 2
              && ownedPods("named").stream()
                  .allMatch(p -> "named".equals(p.getMetadata().getLabels().get(Labels.SERVICE)))
              && shared.equals(
                  client
                      .services()
                      .inNamespace(NS)
                      .withName("named")
                      .get()
                      .getSpec()
                      .getSelector());
        });
    await("the status no longer waits", () -> !routedMessage("named").contains("switching"));
  }

  @Test
  void aSetThatNamesAnotherServiceKeepsItsOwnUntilEveryPodCarriesTheNewLabel() {
    create(set("renamed", 2, "nginx:1.27"));
    awaitWithKubelet("ready", () -> ready("renamed"));
    edit("renamed", x -> x.getSpec().getService().setName("renamed-next"));
    await(
        "a surge pod with the new Service's label",
        () ->
            ownedPods("renamed").stream()
                .anyMatch(
                    p -> "renamed-next".equals(p.getMetadata().getLabels().get(Labels.SERVICE))));
    assertSelectsAReadyPod("renamed", "renamed");
    await(
        "the status says the old Service is kept",
        () ->
            routedMessage("renamed")
                .contains(
                    "Service renamed is kept until every pod carries labeledapps.io/service=renamed-next"));
    assertNotNull(
        client.services().inNamespace(NS).withName("renamed-next").get(),
        "the new Service exists meanwhile");

    awaitWithKubelet(
        "every pod replaced",
        () -> {
          Service old = client.services().inNamespace(NS).withName("renamed").get();
          // the old Service goes in the pass that finds every counted pod labeled: the new one
          // serves from then on
          if (old != null) {
            assertSelectsAReadyPod("renamed", old, "renamed");
          } else {
            assertSelectsAReadyPod("renamed-next", "renamed");
          }
          return ready("renamed")
              && ownedPods("renamed").size() == 2
              && ownedPods("renamed").stream()
                  .allMatch(
                      p -> "renamed-next".equals(p.getMetadata().getLabels().get(Labels.SERVICE)));
        });
    await(
        "the old Service deleted",
        () -> client.services().inNamespace(NS).withName("renamed").get() == null);
    assertSelectsAReadyPod("renamed-next", "renamed");
  }

  private static String routedMessage(String set) {
    var c = Conditions.find(fetch(set).getStatus(), Conditions.SERVICE_ROUTED);
    return c == null ? "" : c.getMessage();
  }

  /** While a pod of {@code set} is ready, Service {@code service} selects one of the ready ones. */
  private static void assertSelectsAReadyPod(String service, String set) {
    assertSelectsAReadyPod(service, client.services().inNamespace(NS).withName(service).get(), set);
  }

  /** As above, for {@code svc} as read before the pods. */
  private static void assertSelectsAReadyPod(String service, Service svc, String set) {
    List<Pod> ready = ownedPods(set).stream().filter(PodState::isReady).toList();
    if (ready.isEmpty()) {
      return;
    }
    assertNotNull(svc, "Service " + service + " gone while pods of " + set + " are ready");
    assertTrue(
        ready.stream()
            .anyMatch(
                p ->
                    p.getMetadata()
                        .getLabels()
                        .entrySet()
                        .containsAll(svc.getSpec().getSelector().entrySet())),
        "Service "
            + service
            + " with selector "
            + svc.getSpec().getSelector()
            + " selects none of the ready pods "
            + ready.stream()
                .map(p -> p.getMetadata().getName() + p.getMetadata().getLabels())
                .toList());
  }

  @Test
  void leavesForeignPodsAloneAndWorksAroundTheirNames() {
    // a pod that looks like one of ours (labels, name) but has no controller reference
    Pod foreign =
        Unowned.pod(
            NS,
            "shy-0",
            Map.of(Labels.INSTANCE, "shy", Labels.MANAGED_BY, Labels.MANAGER, "app", "shy"));
    client.resource(foreign).create();
    create(set("shy", 2, "nginx:1.27"));
    awaitWithKubelet("ready with 2 pods of its own", () -> ready("shy"));
    assertEquals(
        List.of("shy-1", "shy-2"),
        ownedPods("shy").stream().map(p -> p.getMetadata().getName()).sorted().toList());
    assertEquals(2, fetch("shy").getStatus().getReplicas());
    edit(
        "shy",
        x -> {
          x.getSpec().setReplicas(0);
        });
    await("scaled to zero", () -> ownedPods("shy").isEmpty());
    Pod still = client.pods().inNamespace(NS).withName("shy-0").get();
    assertNotNull(still, "the foreign pod is never deleted");
    assertTrue(
        still.getMetadata().getOwnerReferences() == null
            || still.getMetadata().getOwnerReferences().isEmpty());
  }

  @Test
  void reportsAnInvalidSpecAndCreatesNothing() {
    LabeledAppSet bad = set("bad", 2, "nginx:1.27");
    ContainerSpec sidecar = new ContainerSpec();
    sidecar.setName("sidecar");
    sidecar.setImage("busybox");
    sidecar.setPorts(List.of(new ContainerPortSpec("other", 8080)));
    bad.getSpec().setContainers(List.of(bad.getSpec().getContainers().get(0), sidecar));
    create(bad);
    await(
        "InvalidSpec",
        () -> {
          var c = Conditions.find(fetch("bad").getStatus(), Conditions.READY);
          return c != null && "InvalidSpec".equals(c.getReason());
        });
    var c = Conditions.find(fetch("bad").getStatus(), Conditions.READY);
    assertTrue(
        c.getMessage().contains("spec.containers[1].ports[0].containerPort"), c.getMessage());
    assertTrue(ownedPods("bad").isEmpty());
    assertNull(client.services().inNamespace(NS).withName("bad").get());
    // events are written apart from the reconcile, right after it
    await(
        "an InvalidSpec Warning event",
        () -> Events.any(client, NS, Events.of("Warning", "InvalidSpec", null)));
  }

  /**
   * A burst of new pods of one template costs one dry-run create, not one per pod; a scale-up of it
   * none.
   */
  @Test
  void theFirstPodOfATemplateIsDryRunOnceNotEveryPod() {
    int before = dryRuns.get();
    create(set("burst", 20, "nginx:1.27"));
    awaitWithKubelet("20 pods ready", () -> ready("burst"));
    assertEquals(1, dryRuns.get() - before, "dry-runs for 20 pods of one template");
    edit("burst", x -> x.getSpec().setReplicas(30));
    awaitWithKubelet(
        "30 pods ready",
        () -> ready("burst") && fetch("burst").getStatus().getReadyReplicas() == 30);
    assertEquals(
        1, dryRuns.get() - before, "a scale-up of a template the server accepted asks nothing");
    edit("burst", x -> x.getSpec().getContainers().get(0).setImage("nginx:1.28"));
    awaitWithKubelet(
        "rolled out",
        () -> ready("burst") && fetch("burst").getStatus().getUpdatedReplicas() == 30);
    assertEquals(2, dryRuns.get() - before, "a new template is asked about once");
  }

  /**
   * A template the API server's admission refuses is a status with the server's own message and a
   * reason of its own; no pod is written, no FailedCreate, and it is not asked again until the spec
   * or the namespace changes.
   */
  @Test
  void aTemplateTheServerRefusesIsAStatusAndIsNotRetried() {
    EnabledNamespace.apply(client, REFUSED_NS);
    int before = refusedDryRuns.get();
    LabeledAppSet quota = set("quota", 3, "nginx:1.27");
    quota.getMetadata().setNamespace(REFUSED_NS);
    create(quota);
    LabeledAppSet[] seen = new LabeledAppSet[1];
    await(
        "QuotaExceeded",
        () -> {
          seen[0] =
              client.resources(LabeledAppSet.class).inNamespace(REFUSED_NS).withName("quota").get();
          var c = Conditions.find(seen[0].getStatus(), Conditions.READY);
          return c != null && "QuotaExceeded".equals(c.getReason());
        });
    var ready = Conditions.find(seen[0].getStatus(), Conditions.READY);
    assertEquals("False", ready.getStatus());
    assertTrue(
        ready.getMessage().contains("exceeded quota: compute, requested: limits.memory=1Gi"),
        ready.getMessage());
    assertTrue(
        client.pods().inNamespace(REFUSED_NS).list().getItems().isEmpty(), "no pod is written");
    int asked = refusedDryRuns.get() - before;
    assertEquals(1, asked);
    // passes that change nothing the server decides on (here an annotation of the set) do not ask
    // again
    double reconciles = successfulReconciles();
    Edits.set(
        client, REFUSED_NS, "quota", x -> x.getMetadata().getAnnotations().put("touched", "1"));
    await("a pass after the edit", () -> successfulReconciles() > reconciles);
    assertEquals(1, refusedDryRuns.get() - before, "a refused template is not asked about again");
    // the namespace changing (a quota raised, a label set) is a new question
    Namespaces.label(client, REFUSED_NS, "touched", "1");
    await("asked again after the namespace changed", () -> refusedDryRuns.get() - before == 2);
    assertFalse(
        Events.any(client, REFUSED_NS, Events.of(null, "FailedCreate", null)), "no FailedCreate");
    await(
        "a QuotaExceeded Warning event",
        () -> Events.any(client, REFUSED_NS, Events.of("Warning", "QuotaExceeded", null)));
  }

  private double successfulReconciles() {
    return operator.registry().find("operator.sdk.reconciliations.success").counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  /**
   * A status the operator did not write (another client, or an old write of its own landing late)
   * is noticed and written over: the operator never trusts what it remembers over a cache that has
   * caught up.
   */
  @Test
  void aStatusWrittenByAnotherClientIsCorrected() {
    create(set("overwritten", 2, "nginx:1.27"));
    awaitWithKubelet("ready", () -> ready("overwritten"));
    LabeledAppSetStatus truth = fetch("overwritten").getStatus();
    LabeledAppSet bogus = fetch("overwritten");
    bogus.getStatus().setReadyReplicas(0);
    bogus.getStatus().getConditions().forEach(c -> c.setMessage("written by someone else"));
    client.resource(bogus).updateStatus();
    await(
        "the status computed again",
        () -> {
          LabeledAppSetStatus now = fetch("overwritten").getStatus();
          return now.getReadyReplicas() == 2
              && now.getConditions().stream()
                  .noneMatch(c -> c.getMessage().equals("written by someone else"));
        });
    assertEquals(
        truth.getConditions(),
        fetch("overwritten").getStatus().getConditions(),
        "the same conditions as before, transition times included");
  }

  /**
   * A set deleted while its pass runs: the status write's 404 ends the pass, no failure and no
   * retry.
   */
  @Test
  void aSetGoneWhenItsStatusIsWrittenIsNoFailedReconcile() {
    server
        .expect()
        .patch()
        .withPath(
            "/apis/labeledapps.io/v1alpha1/namespaces/" + NS + "/labeledappsets/vanishing/status")
        .andReturn(
            404,
            new io.fabric8.kubernetes.api.model.StatusBuilder()
                .withCode(404)
                .withReason("NotFound")
                .withMessage("labeledappsets.labeledapps.io \"vanishing\" not found")
                .build())
        .always();
    double reconciles = successfulReconciles();
    create(set("vanishing", 1, "nginx:1.27"));
    await(
        "a pod and a successful pass",
        () -> !ownedPods("vanishing").isEmpty() && successfulReconciles() > reconciles);
    assertTrue(
        operator.registry().find("operator.sdk.reconciliations.failed").counters().stream()
            .filter(c -> "vanishing".equals(c.getId().getTag("name")))
            .allMatch(c -> c.count() == 0),
        "no failed pass for the status write of a set that is gone");
  }

  @Test
  void steadyStateWritesNothing() throws Exception {
    create(set("quiet", 2, "nginx:1.27"));
    // settled, not only Ready: a status write still to come would be counted as a steady-state
    // write
    awaitWithKubelet(
        "ready and settled",
        () -> ready("quiet") && SetStatus.settled(fetch("quiet").getStatus(), 2));
    // drain what was recorded so far, then poke the set with a pod event that changes nothing
    while (server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS) != null) {
      // discard
    }
    LabeledAppSet before = fetch("quiet");
    double reconciles = successfulReconciles();
    Pod pod = client.pods().inNamespace(NS).withName("quiet-0").get();
    client
        .pods()
        .inNamespace(NS)
        .resource(
            new PodBuilder(pod)
                .editMetadata()
                .addToAnnotations("touched", "yes")
                .endMetadata()
                .build())
        .update();
    await("the reconcile after the pod event ran", () -> successfulReconciles() > reconciles);
    RecordedRequest r;
    int writes = 0;
    StringBuilder seen = new StringBuilder();
    while ((r = server.takeRequest(10, java.util.concurrent.TimeUnit.MILLISECONDS)) != null) {
      boolean write = !r.getMethod().equals("GET");
      boolean ours =
          write && !(r.getPath().contains("/pods/quiet-0") && r.getMethod().equals("PUT"));
      if (ours) {
        writes++;
        seen.append(r.getMethod()).append(' ').append(r.getPath()).append('\n');
      }
    }
    assertEquals(0, writes, "writes in steady state:\n" + seen);
    assertEquals(
        before.getMetadata().getResourceVersion(),
        fetch("quiet").getMetadata().getResourceVersion());
  }
}

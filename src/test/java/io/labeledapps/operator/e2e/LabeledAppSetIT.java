package io.labeledapps.operator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.model.TemplateHash;
import io.labeledapps.operator.status.Conditions;
import io.labeledapps.operator.status.PodState;
import io.labeledapps.operator.testkit.Await;
import io.labeledapps.operator.testkit.Edits;
import io.labeledapps.operator.testkit.Events;
import io.labeledapps.operator.testkit.SetBuilder;
import io.labeledapps.operator.testkit.SetStatus;
import io.labeledapps.operator.testkit.Unowned;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * End to end against the API server in KUBECONFIG: the CRD from crds/, the examples from
 * deploy/examples/, the operator as it runs in production, real garbage collection and
 * subresources. Works only in a namespace it creates and deletes.
 */
class LabeledAppSetIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  @RegisterExtension static final E2eOperator e2e = E2eOperator.perClass("las-e2e");
  static final KubernetesClient client = e2e.client;
  static final String ns = e2e.ns;

  static LabeledAppSet load(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return client.resources(LabeledAppSet.class).load(in).item();
    }
  }

  static LabeledAppSet apply(LabeledAppSet set) {
    set.getMetadata().setNamespace(ns);
    return client.resource(set).create();
  }

  /**
   * Changes the set as kubectl edit does, again on a conflict with the operator's status writes.
   */
  static void edit(String name, java.util.function.Consumer<LabeledAppSet> change) {
    Edits.set(client, ns, name, change);
  }

  static void await(String what, BooleanSupplier condition) {
    Await.until(what, TIMEOUT, condition);
  }

  static String reason(String name, String type) {
    var c = e2e.condition(name, type);
    return c == null ? null : c.getReason();
  }

  /** Set {@code name} is Ready with {@code replicas} pods, none of which {@code gone} matches. */
  static boolean readyWithout(String name, int replicas, Predicate<Pod> gone) {
    return e2e.ready(name)
        && e2e.pods(name).size() == replicas
        && e2e.pods(name).stream().noneMatch(gone);
  }

  static String serviceVersion(String name) {
    return client
        .services()
        .inNamespace(ns)
        .withName(name)
        .get()
        .getMetadata()
        .getResourceVersion();
  }

  static LabeledAppSet simple(String name, int replicas) {
    return SetBuilder.set(name).replicas(replicas).label("env", "test").httpService().build();
  }

  @Test
  void everyExampleConvergesWithLabeledPodsAndItsService() throws IOException {
    List<LabeledAppSet> applied = new ArrayList<>();
    try (DirectoryStream<Path> files =
        Files.newDirectoryStream(Path.of("deploy/examples"), "*.yaml")) {
      for (Path file : files) {
        // what an example refers to (ConfigMaps, Secrets, a ServiceAccount) is applied first, as
        // the README says
        Path prerequisites = file.resolveSibling("prerequisites").resolve(file.getFileName());
        if (Files.exists(prerequisites)) {
          for (var o :
              io.labeledapps.operator.deploy.Manifests.parse(Files.readString(prerequisites))) {
            o.getMetadata().setNamespace(ns);
            client.resource(o).create();
          }
        }
        applied.add(apply(load(file)));
      }
    }
    assertFalse(applied.isEmpty());
    for (LabeledAppSet set : applied) {
      String name = set.getMetadata().getName();
      await(name + " Ready", () -> e2e.ready(name));
      LabeledAppSet s = e2e.fetch(name);
      int replicas = s.getSpec().getReplicas();
      List<Pod> pods = e2e.pods(name);
      assertEquals(replicas, pods.size(), name);
      assertEquals(replicas, s.getStatus().getReadyReplicas(), name);
      assertEquals(replicas, s.getStatus().getPodPhases().get("Running"), name);
      String hash = PodState.templateHash(pods.get(0));
      assertNotNull(hash);
      assertEquals(replicas, s.getStatus().getUpdatedReplicas(), name);
      for (Pod pod : pods) {
        assertTrue(
            pod.getMetadata()
                .getLabels()
                .entrySet()
                .containsAll(s.getSpec().getLabels().entrySet()),
            name);
        assertEquals(name, pod.getMetadata().getLabels().get(Labels.INSTANCE));
        assertEquals(Labels.MANAGER, pod.getMetadata().getLabels().get(Labels.MANAGED_BY));
        assertEquals(hash, pod.getMetadata().getAnnotations().get(TemplateHash.ANNOTATION));
        if (s.getSpec().getAnnotations() != null) {
          assertTrue(
              pod.getMetadata()
                  .getAnnotations()
                  .entrySet()
                  .containsAll(s.getSpec().getAnnotations().entrySet()));
        }
        if (s.getSpec().getNodeSelector() != null && !s.getSpec().getNodeSelector().isEmpty()) {
          assertEquals(s.getSpec().getNodeSelector(), pod.getSpec().getNodeSelector());
          assertEquals("node-1", pod.getSpec().getNodeName(), "the gpu=true node");
        }
        assertEquals(s.getSpec().getContainers().size(), pod.getSpec().getContainers().size());
        assertEquals(
            s.getSpec().getInitContainers().size(), pod.getSpec().getInitContainers().size());
      }
      if (s.getSpec().getService() != null) {
        Service svc =
            client
                .services()
                .inNamespace(ns)
                .withName(io.labeledapps.operator.model.Names.service(s))
                .get();
        assertNotNull(svc, name);
        assertEquals(Labels.serviceSelector(s), svc.getSpec().getSelector());
        assertEquals(s.getSpec().getService().getType().name(), svc.getSpec().getType());
        assertEquals(svc.getSpec().getClusterIP(), s.getStatus().getService().getClusterIP());
        for (int i = 0; i < svc.getSpec().getPorts().size(); i++) {
          var want = s.getSpec().getService().getPorts().get(i);
          var got = svc.getSpec().getPorts().get(i);
          assertEquals(want.getPort(), got.getPort());
          if (want.getNodePort() != null) {
            assertEquals(want.getNodePort(), got.getNodePort());
            assertTrue(s.getStatus().getService().getNodePorts().contains(want.getNodePort()));
          }
        }
      }
    }
    // the kubia example's NodePort, as in the book
    Service kubia = client.services().inNamespace(ns).withName("kubia").get();
    assertEquals("NodePort", kubia.getSpec().getType());
    assertEquals(30123, kubia.getSpec().getPorts().get(0).getNodePort());
    for (LabeledAppSet set : applied) {
      client.resource(e2e.fetch(set.getMetadata().getName())).delete();
    }
  }

  @Test
  void scaleSubresourceScalesAndReportsTheSelector() {
    apply(simple("scaled", 2));
    await("ready at 2", () -> e2e.ready("scaled"));
    client.resources(LabeledAppSet.class).inNamespace(ns).withName("scaled").scale(5);
    await(
        "5 ready pods",
        () -> e2e.ready("scaled") && e2e.fetch("scaled").getStatus().getReplicas() == 5);
    assertEquals(5, e2e.pods("scaled").size());
    Scale scale = client.resources(LabeledAppSet.class).inNamespace(ns).withName("scaled").scale();
    assertEquals(5, scale.getStatus().getReplicas());
    assertEquals(Labels.selectorString(e2e.fetch("scaled")), scale.getStatus().getSelector());
    client.resources(LabeledAppSet.class).inNamespace(ns).withName("scaled").scale(1);
    await("1 pod", () -> e2e.ready("scaled") && e2e.pods("scaled").size() == 1);
    assertEquals(
        "scaled-0",
        e2e.pods("scaled").get(0).getMetadata().getName(),
        "the highest slots go first");
  }

  @Test
  void healsPodsAndServiceAndRollsATemplateChange() {
    apply(simple("healing", 3));
    await("ready", () -> e2e.ready("healing"));
    String uid = client.pods().inNamespace(ns).withName("healing-1").get().getMetadata().getUid();
    client.pods().inNamespace(ns).withName("healing-1").delete();
    await(
        "pod replaced",
        () -> readyWithout("healing", 3, p -> p.getMetadata().getUid().equals(uid)));

    // its one port, http 80 -> http, moved to 81 -> 9090
    client
        .services()
        .inNamespace(ns)
        .withName("healing")
        .edit(
            svc ->
                new ServiceBuilder(svc)
                    .editSpec()
                    .editFirstPort()
                    .withPort(81)
                    .withTargetPort(new IntOrString(9090))
                    .endPort()
                    .endSpec()
                    .build());
    await(
        "Service restored",
        () -> {
          Service s = client.services().inNamespace(ns).withName("healing").get();
          return s.getSpec().getPorts().get(0).getPort() == 80
              && new IntOrString("http").equals(s.getSpec().getPorts().get(0).getTargetPort());
        });
    client.services().inNamespace(ns).withName("healing").delete();
    await(
        "Service recreated",
        () ->
            client.services().inNamespace(ns).withName("healing").get() != null
                && e2e.ready("healing"));

    // relabeled out of the selector: released, no longer counted, replaced
    e2e.label("healing-0", Labels.INSTANCE, "debugging");
    await(
        "relabeled pod released and replaced",
        () -> readyWithout("healing", 3, p -> p.getMetadata().getName().equals("healing-0")));
    Pod released = client.pods().inNamespace(ns).withName("healing-0").get();
    assertTrue(
        released.getMetadata().getOwnerReferences().isEmpty(), "released like a ReplicaSet does");
    client.resource(released).delete();

    edit("healing", x -> x.getSpec().getContainers().get(0).setImage("nginx:1.28"));
    await(
        "all pods on the new template",
        () ->
            e2e.ready("healing")
                && e2e.allPods(
                    "healing",
                    p -> "nginx:1.28".equals(p.getSpec().getContainers().get(0).getImage())));
    assertEquals(3, e2e.pods("healing").size());
    assertEquals(3, e2e.fetch("healing").getStatus().getUpdatedReplicas());
  }

  @Test
  void foreignPodsAreNeverTouchedAndDeletingTheSetCollectsItsObjects() {
    Pod foreign =
        Unowned.pod(
            ns, "owned-0", Map.of(Labels.INSTANCE, "owned", Labels.MANAGED_BY, Labels.MANAGER));
    client.resource(foreign).create();
    apply(simple("owned", 2));
    await("ready", () -> e2e.ready("owned"));
    assertEquals(
        List.of("owned-1", "owned-2"),
        e2e.pods("owned").stream().map(p -> p.getMetadata().getName()).sorted().toList());
    assertEquals(2, e2e.fetch("owned").getStatus().getReplicas());

    client.resource(e2e.fetch("owned")).delete();
    await(
        "garbage collected",
        () ->
            client
                    .pods()
                    .inNamespace(ns)
                    .withLabel(Labels.INSTANCE, "owned")
                    .list()
                    .getItems()
                    .stream()
                    .allMatch(p -> p.getMetadata().getName().equals("owned-0"))
                && client.services().inNamespace(ns).withName("owned").get() == null);
    assertNotNull(
        client.pods().inNamespace(ns).withName("owned-0").get(), "the foreign pod survives");
  }

  @Test
  void aTemplateThatCannotBeScheduledTakesNothingDown() {
    LabeledAppSet set = simple("pinned", 2);
    set.getSpec().setNodeSelector(Map.of("disk", "ssd"));
    apply(set);
    await("ready", () -> e2e.ready("pinned"));
    edit("pinned", x -> x.getSpec().setNodeSelector(Map.of("zone", "nowhere")));
    // the surge pod cannot be scheduled: the rollout waits there and says so, the old pods keep
    // serving
    await(
        "rollout blocked by an unschedulable pod",
        () ->
            "RollingUpdate".equals(reason("pinned", Conditions.PROGRESSING))
                && e2e.pods("pinned").stream().anyMatch(PodState::isUnschedulable));
    assertEquals(3, e2e.pods("pinned").size());
    assertEquals(
        2, e2e.fetch("pinned").getStatus().getReadyReplicas(), "both old pods keep serving");
    assertEquals(1, e2e.pods("pinned").stream().filter(PodState::isUnschedulable).count());

    edit("pinned", x -> x.getSpec().setReplicas(1));
    await(
        "scaled down around the unschedulable pod",
        () ->
            e2e.pods("pinned").size() == 2
                && e2e.fetch("pinned").getStatus().getReadyReplicas() == 1
                && Objects.equals(
                    e2e.fetch("pinned").getStatus().getObservedGeneration(),
                    e2e.fetch("pinned").getMetadata().getGeneration()));
    assertEquals(1, e2e.pods("pinned").stream().filter(PodState::isReady).count());

    edit("pinned", x -> x.getSpec().setNodeSelector(Map.of("disk", "hdd")));
    await(
        "converged on node-2",
        () ->
            e2e.ready("pinned")
                && e2e.pods("pinned").size() == 1
                && "node-2".equals(e2e.pods("pinned").get(0).getSpec().getNodeName()));
  }

  @Test
  void invalidSpecIsReportedWithTheFieldAndNothingIsCreated() {
    LabeledAppSet set = simple("clash", 2);
    set.getSpec().getService().getPorts().get(0).setTargetPort(new IntOrString("nope"));
    apply(set);
    await("InvalidSpec", () -> "InvalidSpec".equals(reason("clash", Conditions.READY)));
    String message = Conditions.find(e2e.fetch("clash").getStatus(), Conditions.READY).getMessage();
    assertTrue(message.contains("spec.service.ports[0].targetPort"), message);
    assertTrue(e2e.pods("clash").isEmpty());
    assertTrue(client.services().inNamespace(ns).withName("clash").get() == null);
    await(
        "a Warning event",
        () -> Events.any(client, ns, Events.of("Warning", "InvalidSpec", "clash")));
  }

  @Test
  void aSteadyStateReconcileWritesNothing() {
    apply(simple("steady", 2));
    // settled: Ready, and every count the status carries at its final value (a later pod update is
    // news)
    await(
        "ready and settled",
        () -> e2e.ready("steady") && SetStatus.settled(e2e.fetch("steady").getStatus(), 2));
    LabeledAppSet before = e2e.fetch("steady");
    String serviceVersion = serviceVersion("steady");
    double reconciles = successfulReconciles();
    // a pod event that changes nothing the operator cares about
    Pod touched =
        client
            .pods()
            .inNamespace(ns)
            .withName("steady-0")
            .edit(
                p ->
                    new PodBuilder(p)
                        .editMetadata()
                        .addToAnnotations("touched", "yes")
                        .endMetadata()
                        .build());
    await("a reconcile ran", () -> successfulReconciles() > reconciles);
    assertEquals(
        before.getMetadata().getResourceVersion(),
        e2e.fetch("steady").getMetadata().getResourceVersion(),
        "status not rewritten");
    assertEquals(serviceVersion, serviceVersion("steady"));
    assertEquals(
        touched.getMetadata().getResourceVersion(),
        client
            .pods()
            .inNamespace(ns)
            .withName("steady-0")
            .get()
            .getMetadata()
            .getResourceVersion());
  }

  private static double successfulReconciles() {
    return e2e.operator.registry().find("operator.sdk.reconciliations.success").counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }
}

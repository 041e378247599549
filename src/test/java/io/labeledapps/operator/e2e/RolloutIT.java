package io.labeledapps.operator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.reconciler.LabeledAppSetReconciler;
import io.labeledapps.operator.status.Conditions;
import io.labeledapps.operator.status.PodState;
import io.labeledapps.operator.testkit.Await;
import io.labeledapps.operator.testkit.Edits;
import io.labeledapps.operator.testkit.SetBuilder;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Template rollouts, the progress deadline and pausing, on the real API server. */
class RolloutIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  @RegisterExtension static final E2eOperator e2e = E2eOperator.perClass("las-rollout");
  static final KubernetesClient client = e2e.client;
  static final String ns = e2e.ns;

  static void create(String name, int replicas, String image, String extra) {
    e2e.create(
        SetBuilder.set(name).replicas(replicas).container("main", image).noPorts().spec(extra));
  }

  static void edit(String name, Consumer<LabeledAppSet> change) {
    Edits.set(client, ns, name, change);
  }

  static void await(String what, BooleanSupplier condition) {
    Await.until(what, TIMEOUT, condition);
  }

  @Test
  void aRollingUpdateNeverHasMoreThanMaxUnavailablePodsNotReady() {
    create(
        "rolling",
        4,
        "nginx:1.27",
        """
          updateStrategy: {type: RollingUpdate, maxSurge: 1, maxUnavailable: 1}
        """);
    await("ready", () -> e2e.is("rolling", Conditions.READY, "True", "AllPodsReady"));
    edit("rolling", x -> x.getSpec().getContainers().get(0).setImage("nginx:1.28"));
    int minReady = Integer.MAX_VALUE;
    int maxPods = 0;
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      List<Pod> pods = e2e.pods("rolling");
      minReady = Math.min(minReady, (int) pods.stream().filter(PodState::isReady).count());
      maxPods = Math.max(maxPods, pods.size());
      if (e2e.is("rolling", Conditions.READY, "True", "AllPodsReady")
          && pods.size() == 4
          && pods.stream()
              .allMatch(p -> "nginx:1.28".equals(p.getSpec().getContainers().get(0).getImage()))) {
        break;
      }
      assertTrue(System.nanoTime() < deadline, "rollout did not finish");
    }
    assertTrue(
        minReady >= 3, "at most maxUnavailable=1 of 4 pods not ready, saw " + minReady + " ready");
    assertTrue(maxPods <= 5, "at most maxSurge=1 extra pod, saw " + maxPods);
    assertEquals(4, e2e.fetch("rolling").getStatus().getUpdatedReplicas());
  }

  @Test
  void aRolloutStuckOnPodsThatNeverBecomeReadyStopsAndSaysSo() {
    create("stuck", 3, "nginx:1.27", "  progressDeadlineSeconds: 3");
    await("ready", () -> e2e.is("stuck", Conditions.READY, "True", "AllPodsReady"));
    edit("stuck", x -> x.getSpec().getContainers().get(0).setImage("registry.local/crashloop:2"));
    await(
        "ProgressDeadlineExceeded",
        () -> e2e.is("stuck", Conditions.PROGRESSING, "False", "ProgressDeadlineExceeded"));
    List<Pod> pods = e2e.pods("stuck");
    assertEquals(3, pods.stream().filter(PodState::isReady).count(), "the old pods keep serving");
    assertEquals(
        1,
        pods.stream().filter(p -> !PodState.isReady(p)).count(),
        "only the one surge pod was tried");
    Condition degraded = e2e.condition("stuck", Conditions.DEGRADED);
    assertEquals("CrashLoopBackOff", degraded.getReason());

    // a fixed template starts a new rollout that completes
    edit("stuck", x -> x.getSpec().getContainers().get(0).setImage("nginx:1.28"));
    await(
        "converged on the fixed template",
        () ->
            e2e.is("stuck", Conditions.READY, "True", "AllPodsReady")
                && e2e.pods("stuck").stream()
                    .allMatch(
                        p -> "nginx:1.28".equals(p.getSpec().getContainers().get(0).getImage())));
  }

  @Test
  void recreateReplacesEveryPodWithoutOverlap() {
    create("recreated", 2, "nginx:1.27", "  updateStrategy: {type: Recreate}");
    await("ready", () -> e2e.is("recreated", Conditions.READY, "True", "AllPodsReady"));
    edit("recreated", x -> x.getSpec().getContainers().get(0).setImage("nginx:1.28"));
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!(e2e.is("recreated", Conditions.READY, "True", "AllPodsReady")
        && e2e.pods("recreated").stream()
            .allMatch(p -> "nginx:1.28".equals(p.getSpec().getContainers().get(0).getImage())))) {
      // every observation: never old and new side by side
      List<String> images =
          client
              .pods()
              .inNamespace(ns)
              .withLabel(Labels.INSTANCE, "recreated")
              .list()
              .getItems()
              .stream()
              .map(p -> p.getSpec().getContainers().get(0).getImage())
              .distinct()
              .toList();
      assertTrue(images.size() <= 1, "old and new pods at the same time: " + images);
      assertTrue(System.nanoTime() < deadline, "recreate did not finish");
    }
  }

  @Test
  void aPausedSetIsLeftAloneAndStillCleansUpOnDelete() {
    create(
        "paused",
        2,
        "nginx:1.27",
        """
          service:
            ports: [{name: http, port: 80, targetPort: 8080}]
        """);
    await("ready", () -> e2e.is("paused", Conditions.READY, "True", "AllPodsReady"));
    edit(
        "paused",
        x ->
            x.getMetadata()
                .getAnnotations()
                .put(LabeledAppSetReconciler.PAUSED_ANNOTATION, "true"));
    await(
        "Paused condition",
        () -> "True".equals(e2e.condition("paused", Conditions.PAUSED).getStatus()));
    String uid = client.pods().inNamespace(ns).withName("paused-0").get().getMetadata().getUid();
    edit(
        "paused",
        x -> {
          x.getSpec().setReplicas(3);
          x.getSpec().getContainers().get(0).setImage("nginx:1.28");
        });
    client.pods().inNamespace(ns).withName("paused-1").delete();
    await(
        "the spec change observed while paused",
        () -> e2e.is("paused", Conditions.PROGRESSING, "False", "Paused"));
    await("the deleted pod is gone", () -> e2e.pods("paused").size() == 1);
    assertEquals(
        uid, e2e.pods("paused").get(0).getMetadata().getUid(), "nothing replaced while paused");
    assertEquals(
        "nginx:1.27", e2e.pods("paused").get(0).getSpec().getContainers().get(0).getImage());

    client.resources(LabeledAppSet.class).inNamespace(ns).withName("paused").delete();
    await(
        "garbage collected while paused",
        () ->
            client
                    .pods()
                    .inNamespace(ns)
                    .withLabel(Labels.INSTANCE, "paused")
                    .list()
                    .getItems()
                    .isEmpty()
                && client.services().inNamespace(ns).withName("paused").get() == null);
  }
}

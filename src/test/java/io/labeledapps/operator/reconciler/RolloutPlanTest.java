package io.labeledapps.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.labeledapps.operator.MockKubelet;
import io.labeledapps.operator.api.ContainerSpec;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetSpec;
import io.labeledapps.operator.api.UpdateStrategy;
import io.labeledapps.operator.model.TestDesired;
import io.labeledapps.operator.status.ProgressDeadline;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Template rollouts as planned by {@link PodPlan}: surge, unavailability, Recreate, a stopped
 * rollout.
 */
class RolloutPlanTest {
  /** The set at 3 replicas with the template a rollout starts from. */
  private static final LabeledAppSet V1 = set(3, "v1", null);

  static LabeledAppSet set(int replicas, String image, UpdateStrategy strategy) {
    LabeledAppSet set = new LabeledAppSet();
    set.setMetadata(
        new ObjectMetaBuilder().withName("web").withNamespace("ns").withUid("uid-1").build());
    LabeledAppSetSpec spec = new LabeledAppSetSpec();
    spec.setReplicas(replicas);
    ContainerSpec c = new ContainerSpec();
    c.setName("web");
    c.setImage(image);
    spec.setContainers(List.of(c));
    spec.setUpdateStrategy(strategy);
    set.setSpec(spec);
    return set;
  }

  static UpdateStrategy rolling(Object surge, Object unavailable) {
    UpdateStrategy s = new UpdateStrategy();
    s.setMaxSurge(surge == null ? null : new IntOrString(surge));
    s.setMaxUnavailable(unavailable == null ? null : new IntOrString(unavailable));
    return s;
  }

  /** Ready, scheduled pods of {@code set}'s template in slots {@code from..to-1}. */
  static List<Pod> pods(LabeledAppSet template, int from, int to, boolean ready) {
    List<Pod> pods = new ArrayList<>();
    for (int slot = from; slot < to; slot++) {
      Pod p = TestDesired.pod(template, slot);
      pods.add(
          MockKubelet.running(
              new PodBuilder(p)
                  .editMetadata()
                  .withUid(
                      "uid-" + template.getSpec().getContainers().get(0).getImage() + "-" + slot)
                  .endMetadata()
                  .build(),
              ready));
    }
    return pods;
  }

  /**
   * Ready pods of {@link #V1} in slots {@code 0..oldTo-1}, then the surge pod of {@code now}'s
   * template in slot 3, ready or not.
   */
  static List<Pod> withSurge(int oldTo, LabeledAppSet now, boolean surgeReady) {
    List<Pod> pods = new ArrayList<>(pods(V1, 0, oldTo, true));
    pods.addAll(pods(now, 3, 4, surgeReady));
    return pods;
  }

  static PodPlan plan(LabeledAppSet set, List<Pod> owned, boolean stopped) {
    return PodPlan.plan(
        set, owned, TestDesired.templateHash(set), PodExpectations.Pending.NONE, stopped, null);
  }

  static long deletedFor(PodPlan plan, String reason) {
    return plan.delete().stream().filter(d -> d.reason().equals(reason)).count();
  }

  @Test
  void defaultRolloutSurgesOneAndDeletesNothingUntilTheNewPodIsReady() {
    LabeledAppSet now = set(3, "v2", null);
    PodPlan first = plan(now, pods(V1, 0, 3, true), false);
    assertEquals(List.of(3), first.createSlots());
    assertTrue(first.delete().isEmpty());

    PodPlan waiting = plan(now, withSurge(3, now, false), false);
    assertTrue(waiting.delete().isEmpty(), "no old pod goes while the new one is not ready");
    assertTrue(waiting.createSlots().isEmpty(), "no second surge pod");

    PodPlan next = plan(now, withSurge(3, now, true), false);
    assertEquals(1, deletedFor(next, "TemplateChanged"));
    assertEquals(
        "web-2", next.delete().get(0).pod().getMetadata().getName(), "the highest old slot first");
    assertEquals(1, next.createSlots().size(), "the next surge pod starts at once");
  }

  @Test
  void maxUnavailableLetsThatManyOldPodsGoBeforeNewOnesAreReady() {
    LabeledAppSet old = set(4, "v1", null);
    LabeledAppSet now = set(4, "v2", rolling(0, 2));
    PodPlan plan = plan(now, pods(old, 0, 4, true), false);
    assertEquals(2, deletedFor(plan, "TemplateChanged"));
    assertEquals(2, plan.createSlots().size());
    assertEquals(2, plan.counted().size());
  }

  @Test
  void percentagesRoundSurgeUpAndUnavailableDown() {
    Rollout r = Rollout.of(set(10, "v", rolling("25%", "25%")).getSpec(), 10);
    assertEquals(3, r.maxSurge());
    assertEquals(2, r.maxUnavailable());
    Rollout none = Rollout.of(set(0, "v", rolling("25%", "25%")).getSpec(), 0);
    assertEquals(0, none.maxSurge());
  }

  @Test
  void recreateDeletesAllOldPodsAndCreatesOnlyOnceTheyAreGone() {
    UpdateStrategy recreate = new UpdateStrategy();
    recreate.setType(UpdateStrategy.Type.Recreate);
    LabeledAppSet now = set(3, "v2", recreate);
    PodPlan plan = plan(now, pods(V1, 0, 3, true), false);
    assertEquals(3, deletedFor(plan, "TemplateChanged"));
    assertTrue(plan.createSlots().isEmpty(), "nothing new while old pods exist");

    List<Pod> terminating =
        pods(V1, 0, 1, true).stream()
            .map(
                p ->
                    new PodBuilder(p)
                        .editMetadata()
                        .withDeletionTimestamp("2026-01-01T00:00:00Z")
                        .endMetadata()
                        .build())
            .toList();
    assertTrue(
        plan(now, terminating, false).createSlots().isEmpty(), "not even while one is terminating");
    assertEquals(3, plan(now, List.of(), false).createSlots().size());
  }

  @Test
  void aStoppedRolloutReplacesNoMoreOldPodsButStillHeals() {
    LabeledAppSet now = set(3, "v2", null);
    PodPlan plan = plan(now, withSurge(2, now, false), true);
    assertTrue(plan.delete().isEmpty());
    assertTrue(plan.createSlots().isEmpty(), "two old + the stuck new pod: three exist");

    PodPlan healing = plan(now, pods(V1, 0, 1, true), true);
    assertEquals(2, healing.createSlots().size(), "a lost pod is still replaced");
  }

  @Test
  void scalingToZeroDuringARolloutDeletesEverything() {
    LabeledAppSet now = set(0, "v2", null);
    PodPlan plan = plan(now, withSurge(3, now, false), false);
    assertEquals(4, plan.delete().size());
    assertTrue(plan.createSlots().isEmpty());
  }

  @Test
  void theDeadlineWakeUpComesASecondAfterTheDeadlineButNeverLaterThanAResync() {
    LabeledAppSetSpec spec = new LabeledAppSetSpec();
    spec.setProgressDeadlineSeconds(120);
    java.time.Instant progress = java.time.Instant.parse("2024-05-01T10:00:00Z");
    java.time.Duration resync = java.time.Duration.ofSeconds(600);
    assertEquals(
        java.util.Optional.of(java.time.Duration.ofSeconds(91)),
        ProgressDeadline.wakeUp(spec, progress.toString(), progress.plusSeconds(30), resync));
    spec.setProgressDeadlineSeconds(3600);
    assertEquals(
        java.util.Optional.of(resync),
        ProgressDeadline.wakeUp(spec, progress.toString(), progress, resync),
        "an explicit reschedule replaces the resync timer: a far deadline must not postpone the resync");
    assertEquals(
        java.util.Optional.empty(),
        ProgressDeadline.wakeUp(spec, progress.toString(), progress.plusSeconds(3601), resync),
        "passed: the pass that saw it said so");
    assertEquals(
        java.util.Optional.empty(),
        ProgressDeadline.wakeUp(spec, null, progress, resync),
        "nothing to time");
  }
}

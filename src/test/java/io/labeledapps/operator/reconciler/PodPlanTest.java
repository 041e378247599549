package io.labeledapps.operator.reconciler;

import static io.labeledapps.operator.reconciler.TestPods.ended;
import static io.labeledapps.operator.reconciler.TestPods.fresh;
import static io.labeledapps.operator.reconciler.TestPods.names;
import static io.labeledapps.operator.reconciler.TestPods.notReady;
import static io.labeledapps.operator.reconciler.TestPods.old;
import static io.labeledapps.operator.reconciler.TestPods.ready;
import static io.labeledapps.operator.reconciler.TestPods.relabeled;
import static io.labeledapps.operator.reconciler.TestPods.terminating;
import static io.labeledapps.operator.reconciler.TestPods.unschedulable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.TestDesired;
import io.labeledapps.operator.model.TestSets;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PodPlanTest {
  private static final PodExpectations.Pending NONE = PodExpectations.Pending.NONE;

  private static LabeledAppSet set(int replicas) {
    return TestSets.web("web", replicas);
  }

  private static PodPlan plan(LabeledAppSet set, List<Pod> owned, PodExpectations.Pending pending) {
    return PodPlan.plan(set, owned, TestDesired.templateHash(set), pending, false, null);
  }

  private static PodPlan plan(LabeledAppSet set, List<Pod> owned) {
    return plan(set, owned, NONE);
  }

  private static PodExpectations.Pending creating(String... names) {
    return new PodExpectations.Pending(Set.of(names), Set.of(), Set.of());
  }

  /** A ready pod of the old template in each of the set's slots, then {@code others}. */
  private static List<Pod> oldServing(LabeledAppSet set, Pod... others) {
    return Stream.concat(
            IntStream.range(0, set.getSpec().getReplicas()).mapToObj(i -> old(ready(set, i))),
            Stream.of(others))
        .toList();
  }

  /** Deletions as {@code name:reason}, in the plan's order. */
  private static List<String> deletions(PodPlan plan) {
    return plan.delete().stream()
        .map(d -> d.pod().getMetadata().getName() + ":" + d.reason())
        .toList();
  }

  // creating

  @Test
  void newSetCreatesEverySlotFromZero() {
    PodPlan plan = plan(set(3), List.of());
    assertEquals(List.of(0, 1, 2), plan.createSlots());
    assertEquals(List.of(), plan.delete());
    assertEquals(List.of(), plan.counted());
    assertEquals(TestDesired.templateHash(set(3)), plan.desiredHash());
    assertTrue(plan.changesSomething());
  }

  @Test
  void createsTheLowestFreeSlots() {
    LabeledAppSet set = set(4);
    PodPlan plan = plan(set, List.of(ready(set, 1), ready(set, 3)));
    assertEquals(List.of(0, 2), plan.createSlots());
    assertEquals(Set.of("web-1", "web-3"), Set.copyOf(names(plan.counted())));
  }

  @Test
  void replicasDefaultToOne() {
    LabeledAppSet set = set(1);
    set.getSpec().setReplicas(null);
    assertEquals(List.of(0), plan(set, List.of()).createSlots());
  }

  @Test
  void steadyStateChangesNothing() {
    LabeledAppSet set = set(2);
    PodPlan plan = plan(set, List.of(ready(set, 0), ready(set, 1)));
    assertFalse(plan.changesSomething());
    assertEquals(Set.of("web-0", "web-1"), Set.copyOf(names(plan.counted())));
  }

  @Test
  void currentPodsThatAreNotReadyYetAreLeftAlone() {
    LabeledAppSet set = set(3);
    PodPlan plan = plan(set, List.of(notReady(set, 0), unschedulable(set, 1), fresh(set, 2)));
    assertFalse(plan.changesSomething());
    assertEquals(3, plan.counted().size());
  }

  @Test
  void pendingCreatesCountAsExisting() {
    LabeledAppSet set = set(3);
    PodPlan plan = plan(set, List.of(ready(set, 0)), creating("web-1", "web-2"));
    assertEquals(List.of(), plan.createSlots());
    assertEquals(List.of(), plan.delete());
  }

  @Test
  void pendingCreateAlreadyInTheCacheIsNotCountedTwice() {
    LabeledAppSet set = set(2);
    PodPlan plan = plan(set, List.of(fresh(set, 0)), creating("web-0"));
    assertEquals(List.of(1), plan.createSlots());
  }

  @Test
  void neverReusesANameInTheCacheInPendingCreatesOrTakenByAForeignPod() {
    LabeledAppSet set = set(4);
    List<Pod> owned =
        List.of(terminating(ready(set, 0)), relabeled(ready(set, 2)), ended(set, 3, "Failed"));
    var pending = new PodExpectations.Pending(Set.of("web-1"), Set.of(), Set.of("web-4", "web-6"));
    PodPlan plan = plan(set, owned, pending);
    // web-1 is on its way: three more, in slots no pod (ours or not) holds
    assertEquals(List.of(5, 7, 8), plan.createSlots());
  }

  // scaling down

  static Stream<Arguments> scaleDownOrder() {
    return Stream.of(
        Arguments.of(3, List.of("web-1:ScaleDown")),
        Arguments.of(2, List.of("web-1:ScaleDown", "web-3:ScaleDown")),
        Arguments.of(1, List.of("web-1:ScaleDown", "web-3:ScaleDown", "web-2:ScaleDown")),
        Arguments.of(
            0,
            List.of("web-1:ScaleDown", "web-3:ScaleDown", "web-2:ScaleDown", "web-0:ScaleDown")));
  }

  @ParameterizedTest(name = "to {0}")
  @MethodSource("scaleDownOrder")
  void scaleDownDeletesUnscheduledThenNotReadyThenTheHighestSlot(
      int replicas, List<String> expected) {
    LabeledAppSet set = set(replicas);
    List<Pod> owned =
        List.of(ready(set, 0), unschedulable(set, 1), ready(set, 2), notReady(set, 3));
    PodPlan plan = plan(set, owned);
    assertEquals(expected, deletions(plan));
    assertEquals(List.of(), plan.createSlots());
    assertEquals(replicas, plan.counted().size());
    plan.delete().forEach(d -> assertFalse(plan.counted().contains(d.pod())));
  }

  @Test
  void podNotScheduledYetGoesBeforeANotReadyOne() {
    LabeledAppSet set = set(1);
    PodPlan plan = plan(set, List.of(notReady(set, 0), fresh(set, 1)));
    assertEquals(List.of("web-1:ScaleDown"), deletions(plan));
  }

  @Test
  void scaleDownOfReadyPodsDeletesTheHighestSlotsFirst() {
    LabeledAppSet set = set(2);
    List<Pod> owned =
        List.of(ready(set, 4), ready(set, 0), ready(set, 10), ready(set, 2), ready(set, 1));
    PodPlan plan = plan(set, owned);
    assertEquals(
        List.of("web-10:ScaleDown", "web-4:ScaleDown", "web-2:ScaleDown"), deletions(plan));
    assertEquals(Set.of("web-0", "web-1"), Set.copyOf(names(plan.counted())));
  }

  @Test
  void scaleDownPrefersAnOldTemplateAmongReadyPods() {
    LabeledAppSet set = set(1);
    PodPlan plan =
        plan(set, List.of(ready(set, 0), old(ready(set, 1)), ready(set, 2), ready(set, 3)));
    assertEquals(List.of("web-1:ScaleDown", "web-3:ScaleDown", "web-2:ScaleDown"), deletions(plan));
    assertEquals(List.of("web-0"), names(plan.counted()));
  }

  // ended pods

  @ParameterizedTest
  @ValueSource(strings = {"Succeeded", "Failed"})
  void endedPodsAreDeletedAndReplaced(String phase) {
    LabeledAppSet set = set(2);
    PodPlan plan = plan(set, List.of(ready(set, 0), ended(set, 1, phase)));
    assertEquals(List.of("web-1:PodEnded"), deletions(plan));
    assertEquals(
        List.of(2), plan.createSlots(), "web-1 still exists until its delete goes through");
    assertEquals(List.of("web-0"), names(plan.counted()));
  }

  // template changes: one surge pod, and an old serving pod goes only once the others cover
  // spec.replicas

  @Test
  void oldPodsThatAreNotReadyAreReplacedAtOnce() {
    LabeledAppSet set = set(3);
    List<Pod> owned =
        List.of(old(notReady(set, 0)), old(unschedulable(set, 1)), old(ready(set, 2)));
    PodPlan plan = plan(set, owned);
    assertEquals(
        Set.of("web-0:TemplateChanged", "web-1:TemplateChanged"), Set.copyOf(deletions(plan)));
    assertEquals(
        List.of("web-2"), names(plan.counted()), "the ready old pod keeps serving for now");
    // two replacements plus the surge pod, in slots the deleted pods do not hold any more
    assertEquals(List.of(3, 4, 5), plan.createSlots());
  }

  @Test
  void rolloutStartsWithOneSurgePodAndDeletesNothing() {
    LabeledAppSet set = set(3);
    PodPlan plan = plan(set, oldServing(set));
    assertEquals(List.of(), deletions(plan));
    assertEquals(List.of(3), plan.createSlots());
    assertEquals(3, plan.counted().size());
  }

  @Test
  void oldServingPodsStayWhileTheNewPodIsNotReady() {
    // a new template that never gets ready takes nothing down
    LabeledAppSet set = set(3);
    PodPlan plan = plan(set, oldServing(set, notReady(set, 3)));
    assertFalse(plan.changesSomething(), deletions(plan) + " " + plan.createSlots());
  }

  @Test
  void oneOldPodGoesOnceTheSurgePodIsReadyAndTheNextSurgePodIsCreated() {
    LabeledAppSet set = set(3);
    PodPlan plan = plan(set, oldServing(set, ready(set, 3)));
    assertEquals(List.of("web-2:TemplateChanged"), deletions(plan));
    assertEquals(List.of(4), plan.createSlots());
    assertEquals(Set.of("web-0", "web-1", "web-3"), Set.copyOf(names(plan.counted())));
  }

  @Test
  void lastOldPodGoesWithoutAnotherSurgePod() {
    LabeledAppSet set = set(2);
    PodPlan plan = plan(set, List.of(old(ready(set, 0)), ready(set, 2), ready(set, 3)));
    assertEquals(List.of("web-0:TemplateChanged"), deletions(plan));
    assertEquals(List.of(), plan.createSlots());
  }

  @Test
  void surplusReadyPodDuringARolloutIsAnOldOne() {
    LabeledAppSet set = set(2);
    PodPlan plan = plan(set, List.of(ready(set, 0), old(ready(set, 1)), ready(set, 2)));
    assertEquals(List.of("web-1:TemplateChanged"), deletions(plan));
    assertEquals(List.of(), plan.createSlots());
  }

  @Test
  void scaleToZeroDuringARolloutDeletesEverythingWithoutSurge() {
    LabeledAppSet set = set(0);
    PodPlan plan = plan(set, List.of(old(ready(set, 0)), ready(set, 1)));
    assertEquals(
        Set.of("web-0", "web-1"),
        Set.copyOf(plan.delete().stream().map(d -> d.pod().getMetadata().getName()).toList()));
    assertEquals(List.of(), plan.createSlots());
    assertEquals(List.of(), plan.counted());
  }

  static Stream<Arguments> notCovered() {
    Function<LabeledAppSet, List<Pod>> base = s -> List.of(old(ready(s, 0)), ready(s, 1));
    return Stream.of(
        Arguments.of(
            "another pod is terminating",
            2,
            (Function<LabeledAppSet, List<Pod>>)
                s -> List.of(old(ready(s, 0)), ready(s, 1), terminating(ready(s, 2))),
            NONE),
        Arguments.of("the surge pod is not in the cache yet", 2, base, creating("web-2")),
        Arguments.of(
            "the surge pod is being deleted",
            2,
            (Function<LabeledAppSet, List<Pod>>)
                s -> List.of(old(ready(s, 0)), ready(s, 1), ready(s, 2)),
            new PodExpectations.Pending(Set.of(), Set.of("uid-web-2"), Set.of())),
        Arguments.of(
            "a current pod is not ready",
            2,
            (Function<LabeledAppSet, List<Pod>>)
                s -> List.of(old(ready(s, 0)), ready(s, 1), notReady(s, 2)),
            NONE),
        Arguments.of(
            "a current pod is not scheduled",
            2,
            (Function<LabeledAppSet, List<Pod>>)
                s -> List.of(old(ready(s, 0)), ready(s, 1), unschedulable(s, 2)),
            NONE),
        Arguments.of("the set is scaling up", 3, base, NONE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notCovered")
  void readyOldPodStaysUntilTheOtherReadyPodsCoverReplicas(
      String why,
      int replicas,
      Function<LabeledAppSet, List<Pod>> pods,
      PodExpectations.Pending pending) {
    LabeledAppSet set = set(replicas);
    PodPlan plan = plan(set, pods.apply(set), pending);
    assertEquals(List.of(), deletions(plan));
    assertTrue(names(plan.counted()).contains("web-0"));
  }

  // release, terminating, pending deletes

  @Test
  void podsLeavingTheSelectorAreReleasedNotCountedNorDeleted() {
    LabeledAppSet set = set(2);
    Pod relabeled = relabeled(ready(set, 1));
    PodPlan plan = plan(set, List.of(ready(set, 0), relabeled));
    assertEquals(List.of("web-1"), names(plan.release()));
    assertEquals(List.of(), plan.delete());
    assertEquals(List.of("web-0"), names(plan.counted()));
    assertEquals(List.of(2), plan.createSlots());
    assertTrue(plan.changesSomething());
  }

  @Test
  void podsWithoutTheManagedByLabelAreReleasedToo() {
    LabeledAppSet set = set(1);
    Pod pod = ready(set, 0);
    pod.getMetadata().getLabels().remove("app.kubernetes.io/managed-by");
    PodPlan plan = plan(set, List.of(pod));
    assertEquals(List.of("web-0"), names(plan.release()));
    assertEquals(List.of(1), plan.createSlots());
  }

  @Test
  void terminatingPodsAreNotCountedNorDeletedAgain() {
    LabeledAppSet set = set(2);
    PodPlan plan =
        plan(
            set,
            List.of(
                ready(set, 0), terminating(ready(set, 1)), terminating(ended(set, 2, "Failed"))));
    assertEquals(List.of("web-0"), names(plan.counted()));
    assertEquals(List.of(), plan.delete());
    assertEquals(List.of(), plan.release());
    assertEquals(List.of(3), plan.createSlots());
  }

  @Test
  void terminatingPodOutsideTheSelectorIsNotReleased() {
    LabeledAppSet set = set(1);
    PodPlan plan = plan(set, List.of(ready(set, 0), terminating(relabeled(ready(set, 1)))));
    assertEquals(List.of(), plan.release());
    assertFalse(plan.changesSomething());
  }

  @Test
  void podsWeAreDeletingAreNotCountedNorDeletedAgain() {
    LabeledAppSet set = set(2);
    var pending = new PodExpectations.Pending(Set.of(), Set.of("uid-web-1"), Set.of());
    PodPlan plan = plan(set, List.of(ready(set, 0), ready(set, 1), ready(set, 2)), pending);
    assertEquals(Set.of("web-0", "web-2"), Set.copyOf(names(plan.counted())));
    assertEquals(List.of(), plan.delete());
    assertEquals(List.of(), plan.createSlots());
  }

  @Test
  void liveIsControlledMatchingNotTerminatingNotEnded() {
    LabeledAppSet set = set(3);
    List<Pod> owned =
        List.of(
            ready(set, 0),
            notReady(set, 1),
            terminating(ready(set, 2)),
            ended(set, 3, "Succeeded"),
            relabeled(ready(set, 4)));
    assertEquals(List.of("web-0", "web-1"), names(PodPlan.live(set, owned)));
  }
}

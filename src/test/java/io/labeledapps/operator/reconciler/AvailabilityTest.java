package io.labeledapps.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetStatus;
import io.labeledapps.operator.model.TestDesired;
import io.labeledapps.operator.status.Conditions;
import io.labeledapps.operator.status.StatusCalculator;
import io.labeledapps.operator.status.StatusFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * spec.minReadySeconds: a pod counts as available once it has been Ready that long;
 * availableReplicas, the Ready condition and the rollout count available pods; the reconciler is
 * woken when a pod gets there.
 */
class AvailabilityTest {
  static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  static Pod readySince(LabeledAppSet set, int slot, Instant since) {
    Pod pod = TestPods.ready(set, slot);
    pod.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals("Ready"))
        .forEach(c -> c.setLastTransitionTime(since.toString()));
    return pod;
  }

  static LabeledAppSet set(int replicas, Integer minReadySeconds, String image) {
    LabeledAppSet set = RolloutPlanTest.set(replicas, image, null);
    set.getMetadata().setGeneration(1L);
    set.getSpec().setMinReadySeconds(minReadySeconds);
    return set;
  }

  static LabeledAppSetStatus status(LabeledAppSet set, List<Pod> pods, Instant now) {
    var o = StatusFacts.of(pods, pods, TestDesired.templateHash(set));
    return StatusCalculator.compute(set, o, now.toString(), now);
  }

  @Test
  void aPodIsAvailableOnceReadyForMinReadySeconds() {
    LabeledAppSet set = set(2, 30, "v1");
    List<Pod> pods =
        List.of(readySince(set, 0, NOW.minusSeconds(60)), readySince(set, 1, NOW.minusSeconds(10)));
    LabeledAppSetStatus status = status(set, pods, NOW);
    assertEquals(2, status.getReadyReplicas());
    assertEquals(1, status.getAvailableReplicas());
    var ready = Conditions.find(status, Conditions.READY);
    assertEquals("False", ready.getStatus(), "Ready waits for available pods");
    assertEquals("2 of 2 pods ready, 1 available (ready for 30s)", ready.getMessage());
    assertEquals(
        Optional.of(Duration.ofSeconds(20).plusMillis(100)),
        StatusCalculator.nextAvailable(set, pods, NOW));

    Instant later = NOW.plusSeconds(21);
    LabeledAppSetStatus after = status(set, pods, later);
    assertEquals(2, after.getAvailableReplicas());
    assertEquals("True", Conditions.find(after, Conditions.READY).getStatus());
    assertEquals(Optional.empty(), StatusCalculator.nextAvailable(set, pods, later));
  }

  @Test
  void withoutMinReadySecondsEveryReadyPodIsAvailable() {
    LabeledAppSet set = set(2, null, "v1");
    List<Pod> pods = List.of(readySince(set, 0, NOW), TestPods.notReady(set, 1));
    LabeledAppSetStatus status = status(set, pods, NOW);
    assertEquals(1, status.getAvailableReplicas());
    assertEquals(1, status.getReadyReplicas());
    assertEquals("1 of 2 pods ready", Conditions.find(status, Conditions.READY).getMessage());
    assertEquals(Optional.empty(), StatusCalculator.nextAvailable(set, pods, NOW));
  }

  @Test
  void aRolloutReplacesAnOldPodOnlyOnceTheNewOneIsAvailable() {
    LabeledAppSet old = set(2, 30, "v1");
    LabeledAppSet now = set(2, 30, "v2");
    List<Pod> pods = new ArrayList<>();
    for (Pod p :
        List.of(
            readySince(old, 0, NOW.minusSeconds(600)), readySince(old, 1, NOW.minusSeconds(600)))) {
      pods.add(
          new PodBuilder(p)
              .editMetadata()
              .withUid("old-" + p.getMetadata().getName())
              .endMetadata()
              .build());
    }
    pods.add(readySince(now, 2, NOW.minusSeconds(5)));
    String hash = TestDesired.templateHash(now);
    PodPlan waiting = PodPlan.plan(now, pods, hash, PodExpectations.Pending.NONE, false, NOW);
    assertTrue(waiting.delete().isEmpty(), "the surge pod is ready but not yet available");
    PodPlan next =
        PodPlan.plan(now, pods, hash, PodExpectations.Pending.NONE, false, NOW.plusSeconds(30));
    assertEquals(1, next.delete().size());
    assertEquals("TemplateChanged", next.delete().get(0).reason());
    assertFalse(
        PodPlan.plan(now, pods, hash, PodExpectations.Pending.NONE, false, null).delete().isEmpty(),
        "without a clock ready pods count, as before");
  }
}

package io.labeledapps.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetStatus;
import io.labeledapps.operator.model.TestSets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** When a rollout stops: the one place that decides it. */
class ProgressDeadlineTest {
  private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

  private static LabeledAppSet rolling(Integer deadlineSeconds, long observedGeneration) {
    LabeledAppSet set = TestSets.web("web", 2);
    set.getSpec().setProgressDeadlineSeconds(deadlineSeconds);
    LabeledAppSetStatus status = new LabeledAppSetStatus();
    status.setObservedGeneration(observedGeneration);
    status.setLastProgressTime(T0.toString());
    set.setStatus(status);
    return set;
  }

  @Test
  void aRolloutStopsOnceItsLastProgressIsOlderThanTheDeadline() {
    LabeledAppSet set = rolling(60, 1);
    assertFalse(ProgressDeadline.exceeded(set, T0.plusSeconds(60)));
    assertTrue(ProgressDeadline.exceeded(set, T0.plusSeconds(61)));
    assertEquals(600, ProgressDeadline.seconds(rolling(null, 1).getSpec()), "the default");
  }

  @Test
  void aStatusOfAnOlderGenerationNeverStopsTheNewRollout() {
    assertFalse(ProgressDeadline.exceeded(rolling(60, 0), T0.plusSeconds(3600)));
  }

  @Test
  void progressMovesTheTimeAndTheEndOfARolloutClearsIt() {
    LabeledAppSetStatus previous = rolling(60, 1).getStatus();
    previous.setUpdatedReplicas(1);
    previous.setReadyReplicas(1);
    String later = T0.plusSeconds(30).toString();
    assertEquals(
        T0.toString(),
        ProgressDeadline.lastProgressTime(previous, 1, true, 1, 1, later),
        "no progress");
    assertEquals(
        later,
        ProgressDeadline.lastProgressTime(previous, 1, true, 2, 1, later),
        "one more updated");
    assertEquals(
        later,
        ProgressDeadline.lastProgressTime(previous, 2, true, 1, 1, later),
        "a new generation");
    assertNull(ProgressDeadline.lastProgressTime(previous, 1, false, 2, 2, later));
  }
}

package io.labeledapps.operator.status;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.labeledapps.operator.api.LabeledAppSetStatus;
import java.util.ArrayList;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StatusDiffTest {
  private static LabeledAppSetStatus status(long generation, int ready, Condition... conditions) {
    LabeledAppSetStatus s = new LabeledAppSetStatus();
    s.setObservedGeneration(generation);
    s.setReadyReplicas(ready);
    s.setConditions(new ArrayList<>(Arrays.asList(conditions)));
    return s;
  }

  private static Condition ready(String status, String message) {
    return new ConditionBuilder()
        .withType("Ready")
        .withStatus(status)
        .withReason("R")
        .withMessage(message)
        .build();
  }

  @Test
  void countsAndMessagesTurnNothingAConditionStatusOrAGenerationDoes() {
    LabeledAppSetStatus before = status(1, 1, ready("False", "1 of 3 pods ready"));
    assertFalse(StatusDiff.turning(before, status(1, 2, ready("False", "2 of 3 pods ready"))));
    assertTrue(StatusDiff.turning(before, status(1, 3, ready("True", "3 of 3 pods ready"))));
    assertTrue(StatusDiff.turning(before, status(2, 1, ready("False", "1 of 3 pods ready"))));
    assertTrue(StatusDiff.turning(before, status(1, 1)), "a condition gone");
    assertTrue(StatusDiff.turning(null, before), "a first status");
    assertFalse(StatusDiff.turning(null, null));
  }

  @Test
  void aConditionWithoutTypeOrANullOneIsNoCrash() {
    LabeledAppSetStatus odd = status(1, 1, new ConditionBuilder().withStatus("True").build());
    odd.getConditions().add(null);
    assertTrue(StatusDiff.turning(odd, status(1, 1, ready("True", ""))));
    assertFalse(StatusDiff.turning(odd, odd));
  }
}

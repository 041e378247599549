package io.labeledapps.operator.reconciler;

import static io.labeledapps.operator.reconciler.TestPods.ready;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.TestDesired;
import io.labeledapps.operator.model.TestSets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PodPlanPendingScaleDownTest {
  @Test
  void scaleDownWhileCreatesArePendingKeepsTheReadyPod() {
    // replicas 3 -> 1 before the informer showed web-1 and web-2, which were just created
    LabeledAppSet set = TestSets.web("web", 1);
    var pending = new PodExpectations.Pending(Set.of("web-1", "web-2"), Set.of(), Set.of());
    PodPlan plan =
        PodPlan.plan(
            set, List.of(ready(set, 0)), TestDesired.templateHash(set), pending, false, null);
    assertEquals(
        List.of(),
        plan.delete().stream().map(d -> d.pod().getMetadata().getName()).toList(),
        "pending creates count as not ready, so they go before the only ready pod");
  }
}

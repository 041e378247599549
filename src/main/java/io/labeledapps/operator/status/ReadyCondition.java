package io.labeledapps.operator.status;

import static io.labeledapps.operator.status.Conditions.READY;
import static io.labeledapps.operator.status.Conditions.condition;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * What Ready says and why. False with the first problem's reason while anything the user must fix
 * stands (every problem in the message); True once every wanted pod is ready, available and on the
 * current template, the Service (if wanted) exists and nothing is in flight; otherwise False,
 * PodsNotReady or ServiceMissing.
 */
final class ReadyCondition {
  private ReadyCondition() {}

  static Condition of(StatusFacts facts, PodCounts counts, boolean serviceOk, long generation) {
    if (!facts.problems().isEmpty()) {
      return problem(facts.problems(), READY, generation);
    }
    if (converged(facts, counts, serviceOk)) {
      return condition(READY, "True", "AllPodsReady", counts.readiness(), generation);
    }
    return condition(
        READY,
        "False",
        serviceOk ? "PodsNotReady" : "ServiceMissing",
        counts.readiness() + (serviceOk ? "" : "; Service not created yet"),
        generation);
  }

  /** All pods ready and current, the Service there, nothing in flight. */
  static boolean converged(StatusFacts facts, PodCounts counts, boolean serviceOk) {
    return counts.complete() && serviceOk && !facts.pending();
  }

  /**
   * A False condition of {@code type} naming the first problem's reason and every problem's
   * message.
   */
  static Condition problem(List<Problem> problems, String type, long generation) {
    String message = String.join("; ", problems.stream().map(Problem::message).toList());
    return condition(type, "False", problems.get(0).reason(), message, generation);
  }
}

package io.labeledapps.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.labeledapps.operator.status.Problem;
import java.util.ArrayList;
import java.util.List;

/**
 * What the Apply stage wrote and what the API server answered. All null when nothing was applied
 * (the set is refused or paused).
 *
 * @param service the Service's outcome
 * @param budget the PodDisruptionBudget's outcome
 * @param pods the pods' outcome; null also when the Service holds the pods back
 * @param inFlight creates or deletes are still to be seen in the cache
 */
public record Applied(
    ServiceReconciler.Outcome service,
    DisruptionBudgetReconciler.Outcome budget,
    PodReconciler.Result pods,
    boolean inFlight) {

  static final Applied NOTHING = new Applied(null, null, null, false);

  /** The problems the writes met, in the order they were made. */
  List<Problem> problems() {
    List<Problem> all = new ArrayList<>();
    if (service != null && service.problem() != null) {
      all.add(service.problem());
    }
    if (budget != null && budget.problem() != null) {
      all.add(budget.problem());
    }
    if (pods != null) {
      all.addAll(pods.problems());
    }
    return all;
  }

  /** The pods this pass created (the cache may not show them yet). */
  List<Pod> created() {
    return pods == null ? List.of() : pods.created();
  }
}

package io.labeledapps.operator.reconciler;

import java.time.Clock;

/**
 * The Apply stage: the only writes of a pass (Service, PodDisruptionBudget, then pods), each answer
 * recorded in {@link Applied}. Nothing is written for a set that is refused or paused.
 */
final class Apply {
  private final PodReconciler pods;
  private final PodExpectations expectations;
  private final Clock clock;

  Apply(PodReconciler pods, PodExpectations expectations, Clock clock) {
    this.pods = pods;
    this.expectations = expectations;
    this.clock = clock;
  }

  Applied run(
      Observed seen,
      Validate.Verdict verdict,
      Plan plan,
      ServiceReconciler services,
      DisruptionBudgetReconciler budgets) {
    if (!verdict.problems().isEmpty() || seen.paused() || verdict.unanswered() != null) {
      return Applied.NOTHING;
    }
    var service =
        services.reconcile(
            seen.set(),
            plan.service(),
            seen.service(),
            seen.neighbours(),
            seen.ownedServices(),
            plan.pods().counted());
    var budget = budgets.reconcile(seen.set(), seen.budget());
    if (service.holdPods()) {
      return new Applied(service, budget, null, false);
    }
    PodReconciler.Result result = pods.execute(seen.set(), plan.pods(), plan.template());
    boolean inFlight =
        plan.pods().changesSomething()
            || expectations.pending(seen.key(), seen.cached(), clock.instant()).any();
    return new Applied(service, budget, result, inFlight);
  }
}

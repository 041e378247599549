package io.labeledapps.operator.reconciler;

import io.fabric8.kubernetes.api.model.Service;
import io.labeledapps.operator.model.DesiredService;
import io.labeledapps.operator.model.StampedTemplate;
import io.labeledapps.operator.status.ProgressDeadline;
import java.util.Optional;

/**
 * The Plan stage's answer: what this pass would write, decided from what was observed and the
 * verdict. Pure. Desired pods and Service are built (and the template hashed) once, here; which
 * pods to create and delete is decided by {@link PodPlan}, how fast a rollout replaces them by
 * {@link Rollout}, and when it stops by {@link ProgressDeadline}.
 *
 * @param pods the pods to create, delete and release (null when the spec is refused)
 * @param template the stamped pod template every create uses (null when the spec is refused)
 * @param service the Service the set wants, if any (empty when the spec is refused)
 * @param serviceWrite the create or update of the Service this pass would make, if any
 */
public record Plan(
    PodPlan pods,
    StampedTemplate template,
    Optional<Service> service,
    Optional<ServiceReconciler.Write> serviceWrite) {

  /** Nothing: the spec is refused, so nothing is created, changed or deleted. */
  static final Plan NOTHING = new Plan(null, null, Optional.empty(), Optional.empty());

  static Plan of(Observed seen, Validate.Verdict verdict, ServiceReconciler services) {
    if (!verdict.valid()) {
      return NOTHING;
    }
    PodPlan pods =
        PodPlan.plan(
            seen.set(),
            seen.owned(),
            verdict.hash(),
            seen.pending(),
            ProgressDeadline.exceeded(seen.set(), seen.now()),
            seen.now());
    Optional<Service> service = DesiredService.of(seen.set(), verdict.conventions());
    return new Plan(
        pods,
        verdict.pods(),
        service,
        services.pendingWrite(seen.set(), service, seen.service(), pods.counted()));
  }
}

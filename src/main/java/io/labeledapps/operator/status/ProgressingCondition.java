package io.labeledapps.operator.status;

import static io.labeledapps.operator.status.Conditions.PROGRESSING;
import static io.labeledapps.operator.status.Conditions.condition;

import io.fabric8.kubernetes.api.model.Condition;

/**
 * What Progressing says: False when paused, complete, refused (a problem) or stopped at the
 * progress deadline (see {@link ProgressDeadline}); True while rolling, scaling or waiting for
 * pods.
 */
final class ProgressingCondition {
  private ProgressingCondition() {}

  static Condition of(
      StatusFacts facts,
      PodCounts c,
      boolean serviceOk,
      int deadlineSeconds,
      boolean deadlineExceeded,
      long generation) {
    if (!facts.problems().isEmpty()) {
      return ReadyCondition.problem(facts.problems(), PROGRESSING, generation);
    }
    if (facts.paused()) {
      return stopped(
          "Paused",
          "labeledapps.io/paused is \"true\": pods and Service are left as they are",
          generation);
    }
    if (ReadyCondition.converged(facts, c, serviceOk)) {
      return stopped("Complete", "all " + c.want() + " pods run the current template", generation);
    }
    if (deadlineExceeded) {
      return stopped(
          "ProgressDeadlineExceeded",
          "the rollout made no progress for "
              + deadlineSeconds
              + "s and stopped: "
              + c.updated()
              + " of "
              + c.want()
              + " pods run the current template, "
              + c.ready()
              + " ready; fix the template (see the Degraded condition)",
          generation);
    }
    return moving(c, generation);
  }

  private static Condition moving(PodCounts c, long generation) {
    if (c.updated() < c.replicas()) {
      return progressing(
          "RollingUpdate",
          c.updated() + " of " + c.want() + " pods run the current template",
          generation);
    }
    if (c.replicas() < c.want()) {
      return progressing("ScalingUp", c.replicas() + " of " + c.want() + " pods exist", generation);
    }
    if (c.replicas() > c.want()) {
      return progressing(
          "ScalingDown", c.replicas() + " pods exist, " + c.want() + " wanted", generation);
    }
    return progressing("WaitingForPods", c.readiness(), generation);
  }

  private static Condition stopped(String reason, String message, long generation) {
    return condition(PROGRESSING, "False", reason, message, generation);
  }

  private static Condition progressing(String reason, String message, long generation) {
    return condition(PROGRESSING, "True", reason, message, generation);
  }
}

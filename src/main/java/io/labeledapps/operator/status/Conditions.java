package io.labeledapps.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.labeledapps.operator.api.LabeledAppSetStatus;

/** The condition types of a set's status, and how a condition is made and found. */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";
  public static final String CONVENTIONS_MET = "ConventionsMet";
  public static final String SERVICE_ROUTED = "ServiceRouted";
  public static final String PAUSED = "Paused";

  private Conditions() {}

  static Condition condition(
      String type, String status, String reason, String message, long generation) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .build();
  }

  /** lastTransitionTime moves only when the condition's status does. */
  static Condition keepTransitionTime(Condition c, LabeledAppSetStatus previous, String now) {
    String time = now;
    if (previous != null && previous.getConditions() != null) {
      for (Condition p : previous.getConditions()) {
        if (c.getType().equals(p.getType())
            && c.getStatus().equals(p.getStatus())
            && p.getLastTransitionTime() != null) {
          time = p.getLastTransitionTime();
        }
      }
    }
    c.setLastTransitionTime(time);
    return c;
  }

  /** The condition of {@code type} in {@code status}, or null. */
  public static Condition find(LabeledAppSetStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return null;
    }
    return status.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }
}

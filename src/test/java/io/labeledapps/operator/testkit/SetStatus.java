package io.labeledapps.operator.testkit;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetStatus;
import java.util.Objects;

/**
 * What tests read from a set's status: its conditions, and whether the status is for the current
 * generation.
 */
public final class SetStatus {
  private SetStatus() {}

  /** The condition {@code type} of the set's status; null without a status or such a condition. */
  public static Condition condition(LabeledAppSet set, String type) {
    if (set == null || set.getStatus() == null || set.getStatus().getConditions() == null) {
      return null;
    }
    return set.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  /**
   * Every count the status carries is at its final value for {@code replicas} running, ready pods:
   * a snapshot taken before that can be followed by a status write that is news, not a steady-state
   * write.
   */
  public static boolean settled(LabeledAppSetStatus status, int replicas) {
    return status != null
        && Objects.equals(status.getReplicas(), replicas)
        && Objects.equals(status.getReadyReplicas(), replicas)
        && Objects.equals(status.getAvailableReplicas(), replicas)
        && Objects.equals(status.getUpdatedReplicas(), replicas)
        && status.getPodPhases() != null
        && Objects.equals(status.getPodPhases().get("Running"), replicas);
  }

  /**
   * The condition {@code type} of set {@code ns/name} once its status describes its current
   * generation, else null.
   */
  public static Condition current(KubernetesClient client, String ns, String name, String type) {
    LabeledAppSet s = client.resources(LabeledAppSet.class).inNamespace(ns).withName(name).get();
    if (s == null
        || s.getStatus() == null
        || !Objects.equals(
            s.getStatus().getObservedGeneration(), s.getMetadata().getGeneration())) {
      return null;
    }
    return condition(s, type);
  }
}

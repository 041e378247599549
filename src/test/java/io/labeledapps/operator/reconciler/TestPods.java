package io.labeledapps.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.model.TemplateHash;
import io.labeledapps.operator.model.TestDesired;
import java.util.ArrayList;
import java.util.List;

/**
 * Pods as the informer cache shows them: made by {@link DesiredPods#pod}, then given the uid, node
 * and status that the API server, scheduler and kubelet would give them (none of which run here).
 */
public final class TestPods {
  public static final String OLD_HASH = "0000000000";

  private TestPods() {}

  /** Slot {@code slot} of {@code set}: scheduled, Running and Ready, on the current template. */
  public static Pod ready(LabeledAppSet set, int slot) {
    Pod pod = TestDesired.pod(set, slot);
    pod.getMetadata().setUid("uid-" + pod.getMetadata().getName());
    pod.getMetadata().setCreationTimestamp("2024-05-01T10:00:00Z");
    pod.getSpec().setNodeName("node-a");
    pod.setStatus(
        new PodStatusBuilder()
            .withPhase("Running")
            .withConditions(
                condition("PodScheduled", "True", null), condition("Ready", "True", null))
            .build());
    return pod;
  }

  /** Scheduled and Running, but its readiness probe fails. */
  public static Pod notReady(LabeledAppSet set, int slot) {
    Pod pod = ready(set, slot);
    setCondition(pod, "Ready", "False", "ContainersNotReady");
    return pod;
  }

  /** The scheduler found no node for it. */
  public static Pod unschedulable(LabeledAppSet set, int slot) {
    Pod pod = ready(set, slot);
    pod.getSpec().setNodeName(null);
    pod.getStatus().setPhase("Pending");
    pod.getStatus()
        .setConditions(
            new ArrayList<>(List.of(condition("PodScheduled", "False", "Unschedulable"))));
    return pod;
  }

  /** Just created: no node and no status yet. */
  public static Pod fresh(LabeledAppSet set, int slot) {
    Pod pod = ready(set, slot);
    pod.getSpec().setNodeName(null);
    pod.setStatus(null);
    return pod;
  }

  /** Its containers ended: {@code Succeeded} or {@code Failed}. */
  public static Pod ended(LabeledAppSet set, int slot, String phase) {
    Pod pod = ready(set, slot);
    pod.getStatus().setPhase(phase);
    setCondition(pod, "Ready", "False", "PodCompleted");
    return pod;
  }

  public static Pod terminating(Pod pod) {
    pod.getMetadata().setDeletionTimestamp("2024-05-01T11:00:00Z");
    return pod;
  }

  /** Stamped with a template hash that is not the set's current one. */
  public static Pod old(Pod pod) {
    pod.getMetadata().getAnnotations().put(TemplateHash.ANNOTATION, OLD_HASH);
    return pod;
  }

  /** Relabeled by a user so that it leaves the set's selector (it keeps its ownerReference). */
  public static Pod relabeled(Pod pod) {
    pod.getMetadata().getLabels().put(Labels.INSTANCE, "debugging");
    return pod;
  }

  public static Pod withPhase(Pod pod, String phase) {
    pod.getStatus().setPhase(phase);
    return pod;
  }

  public static PodCondition condition(String type, String status, String reason) {
    return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason).build();
  }

  private static void setCondition(Pod pod, String type, String status, String reason) {
    List<PodCondition> conditions = new ArrayList<>(pod.getStatus().getConditions());
    conditions.removeIf(c -> type.equals(c.getType()));
    conditions.add(condition(type, status, reason));
    pod.getStatus().setConditions(conditions);
  }

  static List<String> names(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).toList();
  }
}

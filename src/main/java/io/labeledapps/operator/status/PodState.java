package io.labeledapps.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.TemplateHash;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Read-only questions about observed pods. */
public final class PodState {
  private PodState() {}

  /** Name of the pod cache's index on {@link #controllerUids}. */
  public static final String BY_CONTROLLER = "controller-uid";

  /**
   * The uid of the object's controller (an ownerReference with controller: true), if it has one.
   */
  public static List<String> controllerUids(HasMetadata object) {
    var refs = object.getMetadata() == null ? null : object.getMetadata().getOwnerReferences();
    if (refs == null) {
      return List.of();
    }
    return refs.stream()
        .filter(r -> Boolean.TRUE.equals(r.getController()) && r.getUid() != null)
        .map(r -> r.getUid())
        .limit(1)
        .toList();
  }

  /** True when {@code object} has a controller ownerReference to {@code set} (by uid). */
  public static boolean isControlledBy(HasMetadata object, LabeledAppSet set) {
    var refs = object.getMetadata().getOwnerReferences();
    if (refs == null) {
      return false;
    }
    String uid = set.getMetadata().getUid();
    return refs.stream()
        .anyMatch(r -> Boolean.TRUE.equals(r.getController()) && Objects.equals(uid, r.getUid()));
  }

  public static boolean isTerminating(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  public static String phase(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getPhase() == null
        ? "Pending"
        : pod.getStatus().getPhase();
  }

  public static boolean hasEnded(Pod pod) {
    String phase = phase(pod);
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  public static boolean isReady(Pod pod) {
    return condition(pod, "Ready").map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /**
   * Ready for at least {@code minReadySeconds} at {@code now}, as a Deployment counts available
   * pods (from the Ready condition's lastTransitionTime). With 0 seconds, or no clock ({@code now}
   * null), every ready pod is available.
   */
  public static boolean isAvailable(Pod pod, int minReadySeconds, Instant now) {
    return availableAt(pod, minReadySeconds)
        .map(at -> now == null || !at.isAfter(now))
        .orElse(false);
  }

  /** When the pod is or becomes available if it stays ready; empty while it is not ready. */
  public static Optional<Instant> availableAt(Pod pod, int minReadySeconds) {
    Optional<PodCondition> ready =
        condition(pod, "Ready").filter(c -> "True".equals(c.getStatus()));
    if (ready.isEmpty()) {
      return Optional.empty();
    }
    if (minReadySeconds <= 0) {
      return Optional.of(Instant.EPOCH);
    }
    String since = ready.get().getLastTransitionTime();
    try {
      return Optional.of(
          since == null ? Instant.EPOCH : Instant.parse(since).plusSeconds(minReadySeconds));
    } catch (java.time.format.DateTimeParseException e) {
      // a time the operator cannot read counts as long ago, as for a pod without one
      return Optional.of(Instant.EPOCH);
    }
  }

  /** The set's minReadySeconds, 0 when unset. */
  public static int minReadySeconds(io.labeledapps.operator.api.LabeledAppSetSpec spec) {
    return spec.getMinReadySeconds() == null ? 0 : Math.max(0, spec.getMinReadySeconds());
  }

  /** True when the scheduler said it could not place the pod. */
  public static boolean isUnschedulable(Pod pod) {
    return condition(pod, "PodScheduled").map(c -> "False".equals(c.getStatus())).orElse(false);
  }

  public static boolean isScheduled(Pod pod) {
    return pod.getSpec() != null && pod.getSpec().getNodeName() != null;
  }

  public static Optional<PodCondition> condition(Pod pod, String type) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }

  public static String templateHash(Pod pod) {
    var annotations = pod.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(TemplateHash.ANNOTATION);
  }
}

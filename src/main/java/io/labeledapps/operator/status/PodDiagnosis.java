package io.labeledapps.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Why pods are not ready, read from their own status (conditions and container states) and grouped,
 * e.g. "2 pods CrashLoopBackOff (web-1, web-3); 1 pod Unschedulable: ...". Pure.
 */
public final class PodDiagnosis {
  /** Waiting reasons that mean a container will not start without a change. */
  static final Set<String> FAILING_WAITING_REASONS =
      Set.of(
          "CrashLoopBackOff",
          "ErrImagePull",
          "ImagePullBackOff",
          "InvalidImageName",
          "CreateContainerConfigError",
          "CreateContainerError",
          "RunContainerError");

  private static final int NAMES_SHOWN = 5;

  private PodDiagnosis() {}

  /** The Degraded condition over the pods that count toward spec.replicas. */
  public static Condition degraded(List<Pod> pods, long generation) {
    Map<String, List<String>> byProblem = new TreeMap<>();
    for (Pod pod : pods) {
      String problem = problem(pod);
      if (problem != null) {
        byProblem.computeIfAbsent(problem, k -> new ArrayList<>()).add(pod.getMetadata().getName());
      }
    }
    if (byProblem.isEmpty()) {
      return Conditions.condition(
          Conditions.DEGRADED, "False", "AllPodsHealthy", "no pod is failing", generation);
    }
    List<String> parts = new ArrayList<>();
    byProblem.forEach((problem, names) -> parts.add(group(problem, names)));
    String reason = byProblem.keySet().iterator().next();
    int colon = reason.indexOf(':');
    return Conditions.condition(
        Conditions.DEGRADED,
        "True",
        colon < 0 ? reason : reason.substring(0, colon),
        String.join("; ", parts),
        generation);
  }

  /** "2 pods CrashLoopBackOff (web-1, web-3)", the detail of a problem after the names. */
  private static String group(String problem, List<String> names) {
    List<String> sorted = names.stream().sorted().toList();
    String shown =
        String.join(", ", sorted.subList(0, Math.min(NAMES_SHOWN, sorted.size())))
            + (sorted.size() > NAMES_SHOWN ? ", ..." : "");
    int colon = problem.indexOf(": ");
    String head = colon < 0 ? problem : problem.substring(0, colon);
    String detail = colon < 0 ? "" : problem.substring(colon);
    return sorted.size()
        + " pod"
        + (sorted.size() == 1 ? " " : "s ")
        + head
        + " ("
        + shown
        + ")"
        + detail;
  }

  /** What keeps a pod from serving, or null when it is ready or still starting normally. */
  public static String problem(Pod pod) {
    if (PodState.isReady(pod)) {
      return null;
    }
    var scheduled = PodState.condition(pod, "PodScheduled");
    if (scheduled.isPresent() && "False".equals(scheduled.get().getStatus())) {
      return unschedulable(pod, scheduled.get());
    }
    if ("Failed".equals(PodState.phase(pod))) {
      return "Failed";
    }
    return pod.getStatus() == null ? null : containerProblem(pod);
  }

  /** Why the scheduler placed the pod nowhere: its reason and message, and the nodeSelector. */
  private static String unschedulable(Pod pod, PodCondition scheduled) {
    String reason = scheduled.getReason() == null ? "Unschedulable" : scheduled.getReason();
    String message = scheduled.getMessage() == null ? "" : scheduled.getMessage();
    Map<String, String> selector = pod.getSpec() == null ? null : pod.getSpec().getNodeSelector();
    if (selector != null && !selector.isEmpty()) {
      String wanted =
          selector.entrySet().stream()
              .map(e -> e.getKey() + "=" + e.getValue())
              .sorted()
              .collect(Collectors.joining(","));
      return reason
          + ": no node matches nodeSelector "
          + wanted
          + (message.isBlank() ? "" : " (" + message + ")");
    }
    return reason + (message.isBlank() ? "" : ": " + message);
  }

  /**
   * A container (init or not) waiting for a reason that will not go away by itself, or all running
   * but not ready; null otherwise.
   */
  private static String containerProblem(Pod pod) {
    List<ContainerStatus> statuses =
        Stream.concat(
                pod.getStatus().getInitContainerStatuses() == null
                    ? Stream.empty()
                    : pod.getStatus().getInitContainerStatuses().stream(),
                pod.getStatus().getContainerStatuses() == null
                    ? Stream.empty()
                    : pod.getStatus().getContainerStatuses().stream())
            .toList();
    for (ContainerStatus cs : statuses) {
      if (cs.getState() != null
          && cs.getState().getWaiting() != null
          && FAILING_WAITING_REASONS.contains(cs.getState().getWaiting().getReason())) {
        return cs.getState().getWaiting().getReason();
      }
    }
    boolean allRunning =
        pod.getStatus().getContainerStatuses() != null
            && !pod.getStatus().getContainerStatuses().isEmpty()
            && pod.getStatus().getContainerStatuses().stream()
                .allMatch(cs -> cs.getState() != null && cs.getState().getRunning() != null);
    if ("Running".equals(PodState.phase(pod)) && allRunning) {
      return "NotReady: running, but a readiness check fails";
    }
    return null;
  }
}

package io.labeledapps.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
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
    byProblem.forEach(
        (problem, names) -> {
          List<String> sorted = names.stream().sorted().toList();
          String shown =
              String.join(", ", sorted.subList(0, Math.min(NAMES_SHOWN, sorted.size())))
                  + (sorted.size() > NAMES_SHOWN ? ", ..." : "");
          int colon = problem.indexOf(": ");
          String head = colon < 0 ? problem : problem.substring(0, colon);
          String detail = colon < 0 ? "" : problem.substring(colon);
          parts.add(
              sorted.size()
                  + " pod"
                  + (sorted.size() == 1 ? " " : "s ")
                  + head
                  + " ("
                  + shown
                  + ")"
                  + detail);
        });
    String reason = byProblem.keySet().iterator().next();
    int colon = reason.indexOf(':');
    return Conditions.condition(
        Conditions.DEGRADED,
        "True",
        colon < 0 ? reason : reason.substring(0, colon),
        String.join("; ", parts),
        generation);
  }

  /** What keeps a pod from serving, or null when it is ready or still starting normally. */
  public static String problem(Pod pod) {
    if (PodState.isReady(pod)) {
      return null;
    }
    var scheduled = PodState.condition(pod, "PodScheduled");
    if (scheduled.isPresent() && "False".equals(scheduled.get().getStatus())) {
      String reason =
          scheduled.get().getReason() == null ? "Unschedulable" : scheduled.get().getReason();
      String message = scheduled.get().getMessage() == null ? "" : scheduled.get().getMessage();
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
    if ("Failed".equals(PodState.phase(pod))) {
      return "Failed";
    }
    if (pod.getStatus() != null) {
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
    }
    return null;
  }
}

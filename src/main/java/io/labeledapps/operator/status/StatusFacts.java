package io.labeledapps.operator.status;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.labeledapps.operator.conventions.ConventionViolation;
import java.util.List;
import lombok.With;

/**
 * Everything the status is computed from besides the set: what a pass saw, planned and did. Made
 * with {@link #of} and the {@code with...} methods, so no caller lines up positional arguments.
 *
 * @param counted pods counting toward spec.replicas after this pass's deletions and creates
 * @param observed every controlled, selector-matching, non-terminating pod (for podPhases)
 * @param desiredHash the current template's hash ("" when the spec is refused)
 * @param service the set's Service, if it exists
 * @param endpoints the Service's Endpoints, if they exist
 * @param serviceHandover what of the Service waits for the rollout (a selector switch, a Service
 *     left), or null
 * @param problems what the user must fix
 * @param conventionViolations what the namespace conventions refuse
 * @param defaultsApplied what the conventions added to the pods
 * @param pending true while creates or deletes are in flight
 * @param paused true while the set carries the paused annotation
 */
@With
public record StatusFacts(
    List<Pod> counted,
    List<Pod> observed,
    String desiredHash,
    Service service,
    Endpoints endpoints,
    String serviceHandover,
    List<Problem> problems,
    List<ConventionViolation> conventionViolations,
    List<String> defaultsApplied,
    boolean pending,
    boolean paused) {

  /** Pods only: no Service, no problems, nothing pending. */
  public static StatusFacts of(List<Pod> counted, List<Pod> observed, String desiredHash) {
    return new StatusFacts(
        counted,
        observed,
        desiredHash,
        null,
        null,
        null,
        List.of(),
        List.of(),
        List.of(),
        false,
        false);
  }
}

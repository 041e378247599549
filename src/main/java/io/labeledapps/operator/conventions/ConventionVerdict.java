package io.labeledapps.operator.conventions;

import io.fabric8.kubernetes.api.model.Quantity;
import io.labeledapps.operator.model.PodAdditions;
import java.util.List;
import java.util.Map;

/**
 * What the namespace's conventions say about a set: the violations (empty when it complies) and
 * what they add to its pods.
 *
 * @param inheritedLabels namespace labels to stamp on the pods and the Service
 * @param resourceDefaults resource name ("requests.cpu", "limits.memory", ...) to default quantity
 * @param defaultsApplied human-readable list of the defaults the pods received, for the status
 * @param podSecurity the Pod Security level whose defaults the pods receive
 */
public record ConventionVerdict(
    List<ConventionViolation> violations,
    Map<String, String> inheritedLabels,
    Map<String, Quantity> resourceDefaults,
    List<String> defaultsApplied,
    PodSecurity.Level podSecurity)
    implements PodAdditions {

  /** No conventions at all: nothing added, nothing refused. */
  public static final ConventionVerdict NONE =
      new ConventionVerdict(List.of(), Map.of(), Map.of(), List.of());

  /** A verdict without Pod Security defaults. */
  public ConventionVerdict(
      List<ConventionViolation> violations,
      Map<String, String> inheritedLabels,
      Map<String, Quantity> resourceDefaults,
      List<String> defaultsApplied) {
    this(
        violations,
        inheritedLabels,
        resourceDefaults,
        defaultsApplied,
        PodSecurity.Level.PRIVILEGED);
  }

  @Override
  public boolean restrictedPodSecurity() {
    return podSecurity == PodSecurity.Level.RESTRICTED;
  }

  public boolean compliant() {
    return violations.isEmpty();
  }
}

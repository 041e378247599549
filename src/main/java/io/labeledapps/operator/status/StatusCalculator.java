package io.labeledapps.operator.status;

import static io.labeledapps.operator.status.Conditions.CONVENTIONS_MET;
import static io.labeledapps.operator.status.Conditions.PAUSED;
import static io.labeledapps.operator.status.Conditions.condition;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetStatus;
import io.labeledapps.operator.conventions.ConventionViolation;
import io.labeledapps.operator.model.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one place status is computed, like the ReplicaSet controller's calculateStatus: a pure
 * function of the set and the {@link StatusFacts} of a pass; the clock comes in as {@code now}.
 */
public final class StatusCalculator {
  static final List<String> PHASES =
      List.of("Pending", "Running", "Succeeded", "Failed", "Unknown");

  private StatusCalculator() {}

  /**
   * The status. {@code clock} (the instant {@code now} is the text of) decides which ready pods
   * have been ready for spec.minReadySeconds; null counts every ready pod as available.
   */
  public static LabeledAppSetStatus compute(
      LabeledAppSet set, StatusFacts o, String now, Instant clock) {
    long generation =
        set.getMetadata().getGeneration() == null ? 0 : set.getMetadata().getGeneration();
    PodCounts counts = PodCounts.of(set, o.counted(), o.desiredHash(), clock);
    LabeledAppSetStatus status = new LabeledAppSetStatus();
    status.setObservedGeneration(generation);
    status.setReplicas(counts.replicas());
    status.setReadyReplicas(counts.ready());
    status.setAvailableReplicas(counts.available());
    status.setUpdatedReplicas(counts.updated());
    status.setSelector(Labels.selectorString(set));
    Map<String, Integer> phases = phases(o.observed());
    status.setPodPhases(phases);
    status.setService(ServiceSummary.of(set, o.service()));
    status.setLoadBalancer(ServiceSummary.loadBalancer(o.service()));
    boolean rolling = !o.desiredHash().isEmpty() && counts.updated() < counts.replicas();
    status.setLastProgressTime(
        ProgressDeadline.lastProgressTime(
            set.getStatus(), generation, rolling, counts.updated(), counts.ready(), now));
    boolean deadlineExceeded =
        rolling
            && ProgressDeadline.passed(
                set.getSpec(), status.getLastProgressTime(), Instant.parse(now));
    status.setConditions(
        conditions(set, o, counts, deadlineExceeded, generation).stream()
            .map(c -> Conditions.keepTransitionTime(c, set.getStatus(), now))
            .toList());
    status.setPhaseSummary(phaseSummary(phases));
    return status;
  }

  /** "Pending:1 Running:3", the phases that have pods; "-" when none has. */
  private static String phaseSummary(Map<String, Integer> phases) {
    return PHASES.stream()
        .filter(p -> phases.get(p) > 0)
        .map(p -> p + ":" + phases.get(p))
        .reduce((a, b) -> a + " " + b)
        .orElse("-");
  }

  private static List<Condition> conditions(
      LabeledAppSet set,
      StatusFacts o,
      PodCounts counts,
      boolean deadlineExceeded,
      long generation) {
    boolean wantsService = set.getSpec().getService() != null;
    boolean serviceOk = !wantsService || o.service() != null;
    List<Condition> conditions = new ArrayList<>();
    conditions.add(ReadyCondition.of(o, counts, serviceOk, generation));
    conditions.add(
        ProgressingCondition.of(
            o,
            counts,
            serviceOk,
            ProgressDeadline.seconds(set.getSpec()),
            deadlineExceeded,
            generation));
    conditions.add(PodDiagnosis.degraded(o.counted(), generation));
    conditions.add(conventionsMet(o, generation));
    if (wantsService) {
      conditions.add(ServiceRouted.of(set, o, counts.ready(), generation));
    }
    conditions.add(
        o.paused()
            ? condition(PAUSED, "True", "Paused", "labeledapps.io/paused is \"true\"", generation)
            : condition(PAUSED, "False", "NotPaused", "changes are applied", generation));
    return conditions;
  }

  /** Pods per phase, every phase present (0 when none is in it). */
  private static Map<String, Integer> phases(List<Pod> observed) {
    Map<String, Integer> phases = new LinkedHashMap<>();
    PHASES.forEach(p -> phases.put(p, 0));
    observed.forEach(
        p ->
            phases.merge(
                PHASES.contains(PodState.phase(p)) ? PodState.phase(p) : "Unknown",
                1,
                Integer::sum));
    return phases;
  }

  private static Condition conventionsMet(StatusFacts o, long generation) {
    if (!o.conventionViolations().isEmpty()) {
      String message =
          o.conventionViolations().stream()
              .map(ConventionViolation::message)
              .collect(Collectors.joining("; "));
      int running = o.counted().size();
      return condition(
          CONVENTIONS_MET,
          "False",
          o.conventionViolations().get(0).rule(),
          message
              + ". Nothing is created or changed until this is fixed"
              + (running > 0
                  ? "; the "
                      + running
                      + " pod"
                      + (running == 1 ? "" : "s")
                      + " already running "
                      + (running == 1 ? "is" : "are")
                      + " kept"
                  : ""),
          generation);
    }
    return condition(
        CONVENTIONS_MET,
        "True",
        "Compliant",
        o.defaultsApplied().isEmpty()
            ? "all namespace conventions are met"
            : "defaults applied: " + String.join("; ", o.defaultsApplied()),
        generation);
  }

  /**
   * How long until the first of {@code pods} that is ready but not yet available becomes available;
   * empty when none is waiting (no pod event marks that moment, so the reconciler looks again
   * then).
   */
  public static Optional<Duration> nextAvailable(LabeledAppSet set, List<Pod> pods, Instant now) {
    int minReady = PodState.minReadySeconds(set.getSpec());
    return pods.stream()
        .map(p -> PodState.availableAt(p, minReady))
        .flatMap(Optional::stream)
        .filter(at -> at.isAfter(now))
        .min(Instant::compareTo)
        .map(at -> Duration.between(now, at).plusMillis(100));
  }
}

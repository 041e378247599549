package io.labeledapps.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetStatus;
import io.labeledapps.operator.conventions.ConventionViolation;
import io.labeledapps.operator.observability.EventRecorder;
import io.labeledapps.operator.observability.OperatorMetrics;
import io.labeledapps.operator.status.Conditions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place a pass's Kubernetes Events and metrics are emitted, from its records. */
final class Report {
  private static final Logger log = LoggerFactory.getLogger(Report.class);
  private final EventRecorder events;
  private final OperatorMetrics metrics;

  /**
   * The last problem warned about per set: a reconcile on a cache without our last status write
   * must not warn again.
   */
  private final Map<String, String> lastWarning = new ConcurrentHashMap<>();

  /**
   * Per set, the uid/generation whose unreadable spec was logged and counted: once, not every pass.
   */
  private final Map<String, String> reportedUnreadable = new ConcurrentHashMap<>();

  Report(EventRecorder events, OperatorMetrics metrics) {
    this.events = events;
    this.metrics = metrics;
  }

  /**
   * Logs and counts a set the operator cannot read, once per version of its spec: its uid and
   * generation, which the operator's own status writes do not change (its resourceVersion they do).
   */
  void readable(LabeledAppSet set, String key) {
    if (set.getReadingProblem() == null) {
      reportedUnreadable.remove(key);
      return;
    }
    String version = set.getMetadata().getUid() + "/" + set.getMetadata().getGeneration();
    if (!version.equals(reportedUnreadable.put(key, version))) {
      log.warn(
          "LabeledAppSet {} (generation {}, resourceVersion {}) cannot be read: {}; reported as InvalidSpec,"
              + " its pods and Service are left as they are",
          key,
          set.getMetadata().getGeneration(),
          set.getMetadata().getResourceVersion(),
          set.getReadingProblem());
      metrics.unreadable("LabeledAppSet", set.getMetadata().getNamespace());
    }
  }

  /** A dry-run the API server did not answer. */
  void unanswered(Validate.Verdict verdict) {
    if (verdict.unanswered() != null) {
      metrics.apiError("dry_run", verdict.unanswered().getCode());
    }
  }

  /**
   * Events for what the pass did and for a new problem; metrics of the changes and, if the set
   * still exists, its status.
   */
  void pass(
      Observed seen,
      Validate.Verdict verdict,
      Applied done,
      LabeledAppSetStatus status,
      boolean setExists) {
    LabeledAppSet set = seen.set();
    if (done.budget() != null) {
      done.budget()
          .change()
          .ifPresent(c -> events.normal(set, "DisruptionBudgetSynced", capitalized(c)));
    }
    if (done.pods() != null) {
      pods(set, done.pods());
    }
    if (done.service() != null) {
      done.service().changes().forEach(c -> events.normal(set, "ServiceSynced", capitalized(c)));
    }
    warnings(seen, status, verdict.conventionViolations());
    if (setExists) {
      // a set deleted while this pass ran has had its series removed: do not bring them back
      metrics.recordStatus(set, status);
    }
  }

  private void pods(LabeledAppSet set, PodReconciler.Result result) {
    if (!result.created().isEmpty()) {
      String reason = createReason(set, result);
      events.normal(
          set,
          "PodsCreated",
          "Created " + PodReconciler.describe(result.createdNames()) + " (" + reason + ")");
      metrics.podsCreated(set, reason, result.created().size());
    }
    result.deleted().stream()
        .collect(Collectors.groupingBy(PodPlan.Deletion::reason))
        .forEach(
            (reason, ds) -> {
              events.normal(
                  set,
                  "PodsDeleted",
                  "Deleted "
                      + PodReconciler.describe(
                          ds.stream().map(d -> d.pod().getMetadata().getName()).toList())
                      + " ("
                      + reason
                      + ")");
              metrics.podsDeleted(set, reason, ds.size());
            });
    if (!result.released().isEmpty()) {
      events.normal(
          set,
          "PodsReleased",
          "Released "
              + PodReconciler.describe(result.released())
              + ": labels no longer match the selector");
    }
  }

  /**
   * A Warning event when Ready turns to a new problem; convention violations counted when they
   * change.
   */
  private void warnings(
      Observed seen, LabeledAppSetStatus status, List<ConventionViolation> violations) {
    LabeledAppSet set = seen.set();
    Condition ready = Conditions.find(status, Conditions.READY);
    Condition before = Conditions.find(set.getStatus(), Conditions.READY);
    boolean problem =
        ready != null
            && "False".equals(ready.getStatus())
            && !List.of("PodsNotReady", "ServiceMissing").contains(ready.getReason());
    String warning = problem ? ready.getReason() + ": " + ready.getMessage() : null;
    boolean newWarning =
        problem
            && (before == null
                || !ready.getReason().equals(before.getReason())
                || !ready.getMessage().equals(before.getMessage()))
            && !warning.equals(lastWarning.get(seen.key()));
    if (newWarning) {
      events.warning(set, ready.getReason(), ready.getMessage());
    }
    if (warning == null) {
      lastWarning.remove(seen.key());
    } else {
      lastWarning.put(seen.key(), warning);
    }
    Condition conventionsNow = Conditions.find(status, Conditions.CONVENTIONS_MET);
    Condition conventionsBefore = Conditions.find(set.getStatus(), Conditions.CONVENTIONS_MET);
    if (newWarning
        && conventionsNow != null
        && "False".equals(conventionsNow.getStatus())
        && (conventionsBefore == null
            || !conventionsNow.getMessage().equals(conventionsBefore.getMessage()))) {
      // counted when the set of violations changes, not on every reconcile that still sees them
      violations.stream()
          .map(ConventionViolation::rule)
          .distinct()
          .forEach(rule -> metrics.conventionViolation(set.getMetadata().getNamespace(), rule));
    }
  }

  private static String createReason(LabeledAppSet set, PodReconciler.Result result) {
    if (result.deleted().stream().anyMatch(d -> d.reason().equals("TemplateChanged"))) {
      return "TemplateChanged";
    }
    if (result.deleted().stream().anyMatch(d -> d.reason().equals("PodEnded"))) {
      return "PodEnded";
    }
    LabeledAppSetStatus previous = set.getStatus();
    boolean wasComplete =
        previous != null
            && previous.getObservedGeneration() != null
            && previous.getObservedGeneration().equals(set.getMetadata().getGeneration())
            && previous.getReplicas() != null
            && previous.getReplicas().equals(set.getSpec().getReplicas());
    return wasComplete ? "Heal" : "ScaleUp";
  }

  private static String capitalized(String change) {
    return Character.toUpperCase(change.charAt(0)) + change.substring(1);
  }

  /** Drops what is remembered about a deleted set. */
  void forget(String key) {
    lastWarning.remove(key);
    reportedUnreadable.remove(key);
  }
}

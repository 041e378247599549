package io.labeledapps.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetStatus;
import io.labeledapps.operator.status.Problem;
import io.labeledapps.operator.status.ProgressDeadline;
import io.labeledapps.operator.status.StatusCalculator;
import io.labeledapps.operator.status.StatusDiff;
import io.labeledapps.operator.status.StatusFacts;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Status stage: the status is a pure function of Observed + Plan + Applied ({@link
 * StatusCalculator}); it is written only when it changed, and the next pass is scheduled.
 */
final class UpdateStatus {
  private static final Logger log = LoggerFactory.getLogger(UpdateStatus.class);
  private static final Duration PENDING_RECHECK = Duration.ofSeconds(5);
  private static final Duration FAILED_CREATE_RECHECK = Duration.ofSeconds(30);
  private final StatusWriter writer;
  private final WrittenStatuses written;
  private final StatusSettling settling;

  /**
   * Per set, the uid/generation whose status write the server refused because of its stored spec.
   */
  private final Map<String, String> statusRefused = new ConcurrentHashMap<>();

  UpdateStatus(StatusWriter writer, WrittenStatuses written) {
    this(writer, written, new StatusSettling(System::nanoTime));
  }

  UpdateStatus(StatusWriter writer, WrittenStatuses written, StatusSettling settling) {
    this.writer = writer;
    this.written = written;
    this.settling = settling;
  }

  /** The status of the pass. Pure. */
  static LabeledAppSetStatus compute(
      Observed seen, Validate.Verdict verdict, Plan plan, Applied done) {
    List<Pod> counted = counted(seen, plan, done);
    List<Pod> owned =
        done.created().isEmpty() ? seen.owned() : concat(seen.owned(), done.created());
    List<Problem> problems = new ArrayList<>(verdict.problems());
    problems.addAll(done.problems());
    StatusFacts facts =
        StatusFacts.of(counted, seen.matching(owned), verdict.hash())
            .withService(done.service() != null ? done.service().service() : seen.ownService())
            .withEndpoints(seen.endpoints())
            .withServiceHandover(done.service() != null ? done.service().handover() : null)
            .withProblems(problems)
            .withConventionViolations(verdict.conventionViolations())
            .withDefaultsApplied(verdict.conventions().defaultsApplied())
            .withPending(done.inFlight())
            .withPaused(seen.paused());
    return StatusCalculator.compute(
        seen.set(), facts, seen.now().truncatedTo(ChronoUnit.SECONDS).toString(), seen.now());
  }

  /**
   * Throws what JOSDK must retry (a transient write failure, an unanswered dry-run: the status is
   * written by the pass that succeeds), writes {@code status} if it changed, and says when to look
   * again.
   */
  UpdateControl<LabeledAppSet> write(
      Observed seen,
      Validate.Verdict verdict,
      Plan plan,
      Applied done,
      LabeledAppSetStatus status,
      Duration resync) {
    if (done.pods() != null && done.pods().transientFailure() != null) {
      throw done.pods().transientFailure();
    }
    if (verdict.unanswered() != null) {
      throw verdict.unanswered();
    }
    if (seen.set().getReadingProblem() == null) {
      statusRefused.remove(seen.key());
    }
    if (StatusDiff.same(status, seen.set().getStatus())) {
      settling.settled(seen.key());
      log.trace("LabeledAppSet {} is up to date", seen.key());
      return next(seen, plan, done, status, resync);
    }
    Duration wait = settling.waitFor(seen.key(), urgent(seen, done, status));
    if (!wait.isZero()) {
      log.trace("Status of LabeledAppSet {} waits {} for more changes", seen.key(), wait);
      return sooner(next(seen, plan, done, status, resync), wait);
    }
    settling.settled(seen.key());
    if (!written(seen, status)) {
      return UpdateControl.noUpdate();
    }
    return next(seen, plan, done, status, resync);
  }

  /**
   * A status written without waiting: one that turns a condition or acknowledges a spec change, and
   * that of a pass that created or deleted pods (it counts them from the answers).
   */
  private static boolean urgent(Observed seen, Applied done, LabeledAppSetStatus status) {
    return StatusDiff.turning(seen.set().getStatus(), status)
        || !done.created().isEmpty()
        || (done.pods() != null && !done.pods().deleted().isEmpty());
  }

  /** {@code control}, rescheduled after {@code wait} if that comes first. */
  private static UpdateControl<LabeledAppSet> sooner(
      UpdateControl<LabeledAppSet> control, Duration wait) {
    long millis = Math.max(10, wait.toMillis());
    if (control.getScheduleDelay().map(d -> d > millis).orElse(true)) {
      control.rescheduleAfter(millis);
    }
    return control;
  }

  /**
   * Writes the status; false when it cannot be written (the set is gone, or its stored spec is
   * refused).
   */
  private boolean written(Observed seen, LabeledAppSetStatus status) {
    LabeledAppSet set = seen.set();
    if (log.isDebugEnabled()) {
      log.debug(
          "Writing status of LabeledAppSet {}: {}",
          seen.key(),
          String.join("; ", StatusDiff.differences(set.getStatus(), status)));
    }
    written.writing(set, status);
    try {
      written.remember(set, status, writer.write(set, status));
      return true;
    } catch (RuntimeException e) {
      written.writeFailed(set);
      int code = e instanceof KubernetesClientException k ? k.getCode() : 0;
      if (code == 404) {
        // the set was deleted while this pass ran: nothing left to report on, nothing to retry
        log.debug("LabeledAppSet {} is gone; its status is not written", seen.key());
        return false;
      }
      if (code != 422) {
        throw e;
      }
      // a status write is validated with the whole stored object: a spec the current schema or its
      // CEL rules refuse (stored under an older CRD; servers before 1.30 do not ratchet CEL rules)
      // refuses every status until it is fixed. Not retried: the Warning event and the log line
      // (and for an unreadable set the metric) report it.
      String version = set.getMetadata().getUid() + "/" + set.getMetadata().getGeneration();
      if (!version.equals(statusRefused.put(seen.key(), version))) {
        log.warn(
            "Status of LabeledAppSet {} cannot be written until its spec is fixed: {}",
            seen.key(),
            e.getMessage());
      }
      return false;
    }
  }

  /** When the next pass should run, if before the resync. */
  private static UpdateControl<LabeledAppSet> next(
      Observed seen, Plan plan, Applied done, LabeledAppSetStatus status, Duration resync) {
    UpdateControl<LabeledAppSet> control = UpdateControl.noUpdate();
    var pods = done.pods();
    var nextAvailable =
        StatusCalculator.nextAvailable(seen.set(), counted(seen, plan, done), seen.now());
    if (pods != null && pods.createsDeferredFor() != null) {
      // back when the rate limiter has tokens again, not after the usual recheck
      control.rescheduleAfter(
          Duration.ofMillis(
              Math.max(
                  10, Math.min(pods.createsDeferredFor().toMillis(), PENDING_RECHECK.toMillis()))));
    } else if (done.inFlight()) {
      control.rescheduleAfter(PENDING_RECHECK);
    } else if (nextAvailable.isPresent()) {
      // nothing else happens when a ready pod has been ready for minReadySeconds: look again then
      control.rescheduleAfter(nextAvailable.get());
    } else if (pods != null && !pods.problems().isEmpty()) {
      control.rescheduleAfter(FAILED_CREATE_RECHECK);
    } else if (!seen.paused()) {
      // wake up when the rollout's progress deadline passes, to say so
      ProgressDeadline.wakeUp(
              seen.set().getSpec(), status.getLastProgressTime(), seen.now(), resync)
          .ifPresent(control::rescheduleAfter);
    }
    return control;
  }

  /**
   * The pods counting toward spec.replicas after this pass: the plan's, or for a set refused or
   * paused those that run, plus this pass's creates (the status says so now, not once the cache
   * shows them).
   */
  private static List<Pod> counted(Observed seen, Plan plan, Applied done) {
    List<Pod> counted =
        plan.pods() != null && done.pods() != null ? plan.pods().counted() : seen.live();
    return done.created().isEmpty() ? counted : concat(counted, done.created());
  }

  /** Drops what is remembered about a deleted set. */
  void forget(String key) {
    statusRefused.remove(key);
    settling.settled(key);
  }

  private static List<Pod> concat(List<Pod> a, List<Pod> b) {
    List<Pod> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}

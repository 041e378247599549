package io.labeledapps.operator.status;

import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetSpec;
import io.labeledapps.operator.api.LabeledAppSetStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * When a rollout stops: {@code status.lastProgressTime} moves each time a rollout makes progress;
 * once it is older than {@code spec.progressDeadlineSeconds}, the rollout has stopped (Progressing
 * False, ProgressDeadlineExceeded) and no more old pods are replaced. Pure.
 */
public final class ProgressDeadline {
  public static final int DEFAULT_SECONDS = 600;

  private ProgressDeadline() {}

  public static int seconds(LabeledAppSetSpec spec) {
    return spec.getProgressDeadlineSeconds() == null
        ? DEFAULT_SECONDS
        : spec.getProgressDeadlineSeconds();
  }

  /**
   * Moves when a rollout starts (or the spec changes) and each time it makes progress (more pods on
   * the current template, or more ready pods); null when no rollout is under way.
   */
  static String lastProgressTime(
      LabeledAppSetStatus previous,
      long generation,
      boolean rolling,
      int updated,
      int ready,
      String now) {
    if (!rolling) {
      return null;
    }
    if (previous == null
        || previous.getLastProgressTime() == null
        || !Objects.equals(previous.getObservedGeneration(), generation)
        || updated > orZero(previous.getUpdatedReplicas())
        || ready > orZero(previous.getReadyReplicas())) {
      return now;
    }
    return previous.getLastProgressTime();
  }

  /**
   * True when {@code lastProgressTime} (may be null) is more than the deadline before {@code now}.
   */
  static boolean passed(LabeledAppSetSpec spec, String lastProgressTime, Instant now) {
    return lastProgressTime != null
        && Instant.parse(lastProgressTime).plusSeconds(seconds(spec)).isBefore(now);
  }

  /**
   * True when the set's rollout has gone without progress for longer than its deadline, judged from
   * the status the last pass wrote: the rollout has stopped.
   */
  public static boolean exceeded(LabeledAppSet set, Instant now) {
    LabeledAppSetStatus status = set.getStatus();
    if (status == null
        || !Objects.equals(status.getObservedGeneration(), set.getMetadata().getGeneration())) {
      return false;
    }
    return passed(set.getSpec(), status.getLastProgressTime(), now);
  }

  /**
   * How long until a pass should look at the progress deadline again (a second after it passes),
   * never longer than {@code resync}: an explicit reschedule replaces JOSDK's resync timer. Empty
   * when there is no progress to time or the deadline has passed.
   */
  public static Optional<Duration> wakeUp(
      LabeledAppSetSpec spec, String lastProgressTime, Instant now, Duration resync) {
    if (lastProgressTime == null) {
      return Optional.empty();
    }
    Instant deadline = Instant.parse(lastProgressTime).plusSeconds(seconds(spec) + 1L);
    if (!deadline.isAfter(now)) {
      return Optional.empty();
    }
    Duration until = Duration.between(now, deadline);
    return Optional.of(until.compareTo(resync) < 0 ? until : resync);
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }
}

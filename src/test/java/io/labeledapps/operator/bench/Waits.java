package io.labeledapps.operator.bench;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

/**
 * The benchmark's stopwatch: polls a condition and tells when it first held. Unlike testkit's
 * Await, a deadline here is a figure ("timed out"), not a failure, except in {@link #orFail}.
 */
final class Waits {
  /** How long a burst or a set may take before its figure reads "timed out". */
  static final Duration CONVERGE_TIMEOUT = Duration.ofSeconds(180);

  private Waits() {}

  /**
   * Polls every 10 ms; the time the condition first held ({@link System#nanoTime}), or empty at the
   * deadline.
   */
  static OptionalLong awaitTime(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return OptionalLong.of(System.nanoTime());
      }
      if (System.nanoTime() > deadline) {
        return OptionalLong.empty();
      }
      pause(10);
    }
  }

  /** Waits up to 120 s for what must hold before a scenario can go on. */
  static void orFail(String what, BooleanSupplier condition) {
    if (awaitTime(condition, Duration.ofSeconds(120)).isEmpty()) {
      throw new IllegalStateException("timed out waiting for " + what);
    }
  }

  /**
   * When the {@code n}-th pod of {@code group} (null: any) was first seen, counting only pods first
   * seen after {@code sinceNanos}; empty if not within {@link #CONVERGE_TIMEOUT}.
   */
  static OptionalLong podsSeenAt(Watches w, String group, int n, long sinceNanos) {
    OptionalLong reached =
        awaitTime(() -> w.nthPodSeen(group, n, sinceNanos).isPresent(), CONVERGE_TIMEOUT);
    return reached.isEmpty()
        ? reached
        : OptionalLong.of(w.nthPodSeen(group, n, sinceNanos).orElseThrow());
  }

  /** The same, counting every pod. */
  static OptionalLong podsSeenAt(Watches w, String group, int n) {
    return podsSeenAt(w, group, n, Long.MIN_VALUE);
  }

  /** A window in which the benchmark only watches (the operator idle, a pod settling). */
  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

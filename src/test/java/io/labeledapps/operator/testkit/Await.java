package io.labeledapps.operator.testkit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes: the tests' one way to wait, never a bare
 * sleep.
 */
public final class Await {
  private static final Duration POLL = Duration.ofMillis(100);

  /**
   * For the mock-server tests, whose conditions often play the kubelet too: a rollout there moves
   * one poll at a time, and the mock answers in microseconds.
   */
  public static final Duration MOCK_POLL = Duration.ofMillis(50);

  private Await() {}

  /** Returns once {@code condition} holds; fails naming {@code what} after {@code timeout}. */
  public static void until(String what, Duration timeout, BooleanSupplier condition) {
    until(what, timeout, condition, () -> "");
  }

  /**
   * As {@link #until(String, Duration, BooleanSupplier)}; a failure adds {@code state} (what was
   * seen last).
   */
  public static void until(
      String what, Duration timeout, BooleanSupplier condition, Supplier<String> state) {
    poll(what, timeout, POLL, condition, state, false);
  }

  /**
   * As {@link #until(String, Duration, BooleanSupplier, Supplier)}, polling every {@code poll}
   * (e.g. to time a start-up).
   */
  public static void until(
      String what,
      Duration timeout,
      Duration poll,
      BooleanSupplier condition,
      Supplier<String> state) {
    poll(what, timeout, poll, condition, state, false);
  }

  /**
   * As {@link #until(String, Duration, BooleanSupplier)}, but an exception from {@code condition}
   * counts as "not yet" (the last one is attached to the failure): during an API server restart
   * every request fails for a while. An {@link AssertionError} still fails at once.
   */
  public static void throughOutages(String what, Duration timeout, BooleanSupplier condition) {
    poll(what, timeout, POLL, condition, () -> "", true);
  }

  /**
   * Checks {@code condition} every poll for {@code period} and fails, with {@code state}, the first
   * time it does not hold: for "nothing comes back", where waiting for a change would prove
   * nothing.
   */
  public static void holdsFor(
      String what, Duration period, BooleanSupplier condition, Callable<String> state) {
    long end = System.nanoTime() + period.toNanos();
    do {
      if (!condition.getAsBoolean()) {
        String seen;
        try {
          seen = state.call();
        } catch (Exception e) {
          seen = "(" + e + ")";
        }
        throw new AssertionError("did not hold for " + period + ": " + what + "\n" + seen);
      }
      sleep(POLL);
    } while (System.nanoTime() < end);
  }

  private static void sleep(Duration poll) {
    try {
      Thread.sleep(poll.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void poll(
      String what,
      Duration timeout,
      Duration poll,
      BooleanSupplier condition,
      Supplier<String> state,
      boolean tolerateExceptions) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        if (!tolerateExceptions) {
          throw e;
        }
        last = e;
      }
      if (System.nanoTime() > deadline) {
        String seen = state.get();
        AssertionError error =
            new AssertionError(
                "timed out after "
                    + timeout
                    + " waiting for: "
                    + what
                    + (seen.isEmpty() ? "" : "\n" + seen));
        if (last != null) {
          error.addSuppressed(last);
        }
        throw error;
      }
      sleep(poll);
    }
  }
}

package io.labeledapps.operator.reconciler;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A token bucket for pod creates, shared by all sets: up to {@code burst} creates at once, then
 * {@code ratePerSecond} on average. A set that asks for more than is available gets what there is
 * and comes back later ({@link #timeUntil}) rather than blocking a thread, so a 10,000-replica set
 * neither floods the API server nor holds the pod writers while the operator's other sets wait.
 * A set that needs few pods waits for few tokens, so small sets get in between a big one's batches.
 */
public final class CreateRateLimiter {
  private final int burst;
  private final double ratePerSecond;
  private final LongSupplier nanoTime;
  private double tokens;
  private long last;

  /**
   * @param burst bucket size: creates allowed at once after a quiet period (at least 1)
   * @param ratePerSecond tokens added per second (more than 0)
   * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime} outside tests)
   */
  public CreateRateLimiter(int burst, double ratePerSecond, LongSupplier nanoTime) {
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1, got " + burst);
    }
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("rate must be a positive number of creates per second, got " + ratePerSecond);
    }
    this.burst = burst;
    this.ratePerSecond = ratePerSecond;
    this.nanoTime = nanoTime;
    this.tokens = burst;
    this.last = nanoTime.getAsLong();
  }

  /** Takes up to {@code wanted} tokens and returns how many it took (0 when the bucket is empty). */
  public synchronized int tryAcquire(int wanted) {
    refill();
    int granted = (int) Math.min(Math.max(wanted, 0), whole());
    tokens -= granted;
    return granted;
  }

  /**
   * How long until {@code wanted} tokens (at most {@code burst}) are available, if nobody else takes
   * any; zero when they are there now.
   */
  public synchronized Duration timeUntil(int wanted) {
    refill();
    double missing = Math.min(Math.max(wanted, 1), burst) - tokens;
    return missing <= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(missing * 1e9 / ratePerSecond));
  }

  /** Tokens available now, rounded down. */
  public synchronized int available() {
    refill();
    return (int) whole();
  }

  public int burst() {
    return burst;
  }

  public double ratePerSecond() {
    return ratePerSecond;
  }

  /** Whole tokens; the epsilon keeps float rounding from turning 25 refilled tokens into 24.999. */
  private double whole() {
    return Math.floor(tokens + 1e-9);
  }

  private void refill() {
    long now = nanoTime.getAsLong();
    long elapsed = now - last;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * ratePerSecond / 1e9);
      last = now;
    }
  }
}

package io.labeledapps.operator.reconciler;

import io.labeledapps.operator.util.Require;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The pace of pod creates, shared by all sets: a token bucket (up to {@code burst} creates at once,
 * then the current rate) whose rate follows the API server's answers, additive increase and
 * multiplicative decrease (AIMD), as TCP paces a connection. Each create's answer is reported with
 * {@link #answered}: a fast 2xx raises the rate, a 429, a 5xx, a Retry-After or an answer slower
 * than the threshold halves it (once per second at most: the creates in flight were all sent at the
 * old pace, and their answers must not halve it sixteen times) and empties the bucket; a
 * Retry-After also holds every create back until it has passed. The rate stays between a floor of
 * one create a second (the operator never stops trying) and {@code maxRate} (the protection of the
 * API server when it answers well but others share it).
 *
 * <p>The rate grows like TCP's: while no overload has been seen it rises by one create a second per
 * fast answer (doubling each second the bucket is kept busy, "slow start"), after one by {@link
 * #STEADY_INCREASE} creates a second per second's worth of answers. With {@code maxRate} equal to
 * the starting rate it is a plain token bucket that ignores the answers (what the operator had
 * before).
 *
 * <p>A set that asks for more than is available gets what there is and comes back later ({@link
 * #timeUntil}) rather than blocking a thread, so a 10,000-replica set neither floods the API server
 * nor holds the pod writers while the operator's other sets wait. A set that needs few pods waits
 * for few tokens, so small sets get in between a big one's batches. Pure: time comes from the clock
 * it is given.
 */
public final class CreateRateLimiter {
  /** The lowest rate the answers can push it to, creates a second. */
  static final double MIN_RATE = 1;

  /** After the first overload: creates a second added per second's worth of fast answers. */
  static final double STEADY_INCREASE = 50;

  private static final long DECREASE_EVERY_NANOS = Duration.ofSeconds(1).toNanos();

  private final int burst;
  private final double maxRate;
  private final long slowNanos;
  private final LongSupplier nanoTime;

  /** A maximum equal to the start: a plain token bucket, deaf to the answers. */
  private final boolean fixed;

  private double ratePerSecond;

  /** Below it the rate grows fast (slow start); set to half the rate at each overload. */
  private double growFastBelow;

  private double tokens;
  private long last;
  private long notBefore;
  private long lastDecrease;
  private boolean decreasedOnce;
  private long overloads;

  /**
   * A fixed token bucket: {@code burst} at once, then {@code ratePerSecond}, whatever the answers.
   */
  public CreateRateLimiter(int burst, double ratePerSecond, LongSupplier nanoTime) {
    this(burst, ratePerSecond, ratePerSecond, Duration.ofSeconds(1), nanoTime);
  }

  /**
   * @param burst bucket size: creates allowed at once after a quiet period (at least 1)
   * @param ratePerSecond the starting rate, creates a second (more than 0)
   * @param maxRate the most creates a second, however well the server answers (at least the start)
   * @param slowAnswer an answer slower than this counts as an overload (the API server's own
   *     objective for a create is 1 s)
   * @param nanoTime a monotonic clock in nanoseconds ({@code System::nanoTime} outside tests)
   */
  public CreateRateLimiter(
      int burst, double ratePerSecond, double maxRate, Duration slowAnswer, LongSupplier nanoTime) {
    Require.atLeast("burst", burst, 1);
    Require.positive("rate", ratePerSecond, " (creates per second)");
    Require.atLeast("the maximum rate", maxRate, "the starting rate", ratePerSecond);
    if (slowAnswer == null || slowAnswer.isNegative() || slowAnswer.isZero()) {
      throw new IllegalArgumentException(
          "the slow-answer threshold must be positive, got " + slowAnswer);
    }
    this.burst = burst;
    this.ratePerSecond = ratePerSecond;
    this.maxRate = maxRate;
    this.fixed = maxRate == ratePerSecond;
    this.growFastBelow = maxRate;
    this.slowNanos = slowAnswer.toNanos();
    this.nanoTime = nanoTime;
    this.tokens = burst;
    this.last = nanoTime.getAsLong();
    this.notBefore = last;
  }

  /**
   * Takes up to {@code wanted} tokens and returns how many it took (0 when the bucket is empty).
   */
  public synchronized int tryAcquire(int wanted) {
    refill();
    if (last - notBefore < 0) {
      return 0;
    }
    int granted = (int) Math.min(Math.max(wanted, 0), whole());
    tokens -= granted;
    return granted;
  }

  /**
   * How long until {@code wanted} tokens (at most {@code burst}) are available, if nobody else
   * takes any and the rate stays; zero when they are there now.
   */
  public synchronized Duration timeUntil(int wanted) {
    refill();
    double missing = Math.min(Math.max(wanted, 1), burst) - tokens;
    long forTokens = missing <= 0 ? 0 : (long) Math.ceil(missing * 1e9 / ratePerSecond);
    return Duration.ofNanos(Math.max(forTokens, notBefore - last));
  }

  /**
   * What the API server answered to one create: its HTTP status (0 when there was no answer, e.g. a
   * broken connection), how long the create took, and the Retry-After it asked for (null or zero:
   * none). Answers that say nothing about load (409, 422, other 4xx) leave the rate as it is.
   */
  public synchronized void answered(int code, long latencyNanos, Duration retryAfter) {
    if (fixed) {
      return;
    }
    refill();
    boolean waitAsked = retryAfter != null && !retryAfter.isNegative() && !retryAfter.isZero();
    if (waitAsked) {
      long until = last + retryAfter.toNanos();
      if (until - notBefore > 0) {
        notBefore = until;
      }
    }
    if (code == 429 || code >= 500 || code == 0 || waitAsked || latencyNanos > slowNanos) {
      overloaded();
    } else if (code >= 200 && code < 300) {
      double step = ratePerSecond < growFastBelow ? 1 : STEADY_INCREASE / ratePerSecond;
      ratePerSecond = Math.min(maxRate, ratePerSecond + step);
    }
  }

  private void overloaded() {
    overloads++;
    if (decreasedOnce && last - lastDecrease < DECREASE_EVERY_NANOS) {
      return;
    }
    decreasedOnce = true;
    lastDecrease = last;
    ratePerSecond = Math.max(MIN_RATE, ratePerSecond / 2);
    growFastBelow = ratePerSecond;
    // the burst saved up is no promise any more: what comes next comes at the new rate
    tokens = Math.min(tokens, 0);
  }

  /** Tokens available now, rounded down. */
  public synchronized int available() {
    refill();
    return (int) whole();
  }

  public int burst() {
    return burst;
  }

  /** The current rate, creates a second. */
  public synchronized double ratePerSecond() {
    return ratePerSecond;
  }

  public double maxRate() {
    return maxRate;
  }

  /** Answers so far that counted as an overload (429, 5xx, no answer, Retry-After, slow). */
  public synchronized long overloads() {
    return overloads;
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

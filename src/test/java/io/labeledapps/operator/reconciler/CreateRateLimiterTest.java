package io.labeledapps.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket on a clock the test moves by hand: no sleeps, no timing. */
class CreateRateLimiterTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private CreateRateLimiter bucket(int burst, double rate) {
    return new CreateRateLimiter(burst, rate, now::get);
  }

  /** A bucket whose whole burst has just been taken. */
  private CreateRateLimiter drained(int burst, double rate) {
    CreateRateLimiter limiter = bucket(burst, rate);
    assertEquals(burst, limiter.tryAcquire(burst));
    return limiter;
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void aFullBurstGoesThroughAtOnce() {
    CreateRateLimiter limiter = bucket(500, 100);
    assertEquals(500, limiter.tryAcquire(500));
    assertEquals(0, limiter.tryAcquire(1));
  }

  @Test
  void moreThanTheBurstIsGrantedInPart() {
    CreateRateLimiter limiter = bucket(500, 100);
    assertEquals(500, limiter.tryAcquire(5_000));
    assertEquals(0, limiter.available());
  }

  @Test
  void tokensComeBackAtTheRate() {
    CreateRateLimiter limiter = drained(500, 100);
    advance(Duration.ofMillis(250));
    assertEquals(25, limiter.tryAcquire(1_000));
    advance(Duration.ofMillis(9));
    assertEquals(0, limiter.tryAcquire(1), "0.9 of a token is not a token");
    advance(Duration.ofMillis(1));
    assertEquals(1, limiter.tryAcquire(1));
  }

  @Test
  void aLongQuietPeriodRefillsNoMoreThanTheBurst() {
    CreateRateLimiter limiter = drained(50, 100);
    advance(Duration.ofHours(1));
    assertEquals(50, limiter.tryAcquire(1_000));
  }

  @Test
  void sustainedThroughputIsTheRate() {
    CreateRateLimiter limiter = bucket(10, 20);
    int total = limiter.tryAcquire(10);
    for (int i = 0; i < 100; i++) {
      advance(Duration.ofMillis(100));
      total += limiter.tryAcquire(1_000);
    }
    // 10 s at 20/s after the burst of 10
    assertEquals(210, total);
  }

  @Test
  void fractionalRatesAccumulate() {
    CreateRateLimiter limiter = bucket(1, 0.5);
    assertEquals(1, limiter.tryAcquire(1));
    advance(Duration.ofMillis(1_999));
    assertEquals(0, limiter.tryAcquire(1));
    advance(Duration.ofMillis(1));
    assertEquals(1, limiter.tryAcquire(1));
  }

  @Test
  void timeUntilSaysWhenTheWantedTokensAreThere() {
    CreateRateLimiter limiter = bucket(100, 50);
    assertEquals(Duration.ZERO, limiter.timeUntil(100));
    limiter.tryAcquire(100);
    assertEquals(Duration.ofMillis(20), limiter.timeUntil(1));
    assertEquals(Duration.ofMillis(400), limiter.timeUntil(20));
    advance(Duration.ofMillis(400));
    assertEquals(Duration.ZERO, limiter.timeUntil(20));
    assertEquals(20, limiter.tryAcquire(20));
  }

  @Test
  void timeUntilNeverWaitsForMoreThanTheBucketHolds() {
    CreateRateLimiter limiter = drained(10, 10);
    assertEquals(Duration.ofSeconds(1), limiter.timeUntil(10_000));
  }

  @Test
  void aSmallDemandWaitsLessThanABigOne() {
    // what lets small sets in between a big set's batches
    CreateRateLimiter limiter = bucket(500, 100);
    limiter.tryAcquire(10_000);
    assertEquals(Duration.ofMillis(30), limiter.timeUntil(3));
    assertEquals(Duration.ofMillis(200), limiter.timeUntil(20));
  }

  @Test
  void aClockThatDoesNotMoveAddsNothing() {
    CreateRateLimiter limiter = drained(5, 1_000);
    for (int i = 0; i < 10; i++) {
      assertEquals(0, limiter.tryAcquire(1));
    }
  }

  @Test
  void nonsenseSettingsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> bucket(0, 10));
    assertThrows(IllegalArgumentException.class, () -> bucket(10, 0));
    assertThrows(IllegalArgumentException.class, () -> bucket(10, -1));
    assertThrows(IllegalArgumentException.class, () -> bucket(10, Double.NaN));
  }

  @Test
  void askingForNothingTakesNothing() {
    CreateRateLimiter limiter = bucket(5, 1);
    assertEquals(0, limiter.tryAcquire(0));
    assertEquals(0, limiter.tryAcquire(-3));
    assertEquals(5, limiter.available());
  }

  // ---------------------------------------------------------------- pacing by the API server's
  // answers

  private static final long FAST = Duration.ofMillis(30).toNanos();
  private static final long SLOW = Duration.ofMillis(1_500).toNanos();

  private CreateRateLimiter paced(int burst, double start, double max) {
    return new CreateRateLimiter(burst, start, max, Duration.ofSeconds(1), now::get);
  }

  private static void fastAnswers(CreateRateLimiter limiter, int n) {
    for (int i = 0; i < n; i++) {
      limiter.answered(201, FAST, null);
    }
  }

  @Test
  void fastCreatedAnswersRaiseTheRate() {
    CreateRateLimiter limiter = paced(500, 100, 1_000);
    fastAnswers(limiter, 200);
    assertEquals(
        300,
        limiter.ratePerSecond(),
        1e-9,
        "one create a second more per fast answer before any overload");
    limiter.tryAcquire(500);
    advance(Duration.ofSeconds(1));
    assertEquals(300, limiter.tryAcquire(10_000), "tokens come back at the raised rate");
  }

  @Test
  void theRateNeverExceedsTheMaximum() {
    CreateRateLimiter limiter = paced(500, 100, 400);
    fastAnswers(limiter, 10_000);
    assertEquals(400, limiter.ratePerSecond(), 1e-9);
  }

  @Test
  void aTooManyRequestsHalvesTheRateAndEmptiesTheBucket() {
    CreateRateLimiter limiter = paced(500, 100, 1_000);
    fastAnswers(limiter, 300);
    limiter.answered(429, FAST, null);
    assertEquals(200, limiter.ratePerSecond(), 1e-9);
    assertEquals(0, limiter.tryAcquire(1), "the saved-up burst is gone after an overload");
    advance(Duration.ofMillis(100));
    assertEquals(20, limiter.tryAcquire(1_000), "then tokens come back at the halved rate");
    assertEquals(1, limiter.overloads());
  }

  @Test
  void serverErrorsBrokenConnectionsAndSlowAnswersAreOverloadsToo() {
    for (int code : new int[] {500, 503, 504, 0}) {
      CreateRateLimiter limiter = paced(10, 100, 1_000);
      limiter.answered(code, FAST, null);
      assertEquals(50, limiter.ratePerSecond(), 1e-9, "code " + code);
    }
    CreateRateLimiter slow = paced(10, 100, 1_000);
    slow.answered(201, SLOW, null);
    assertEquals(50, slow.ratePerSecond(), 1e-9, "a 201 slower than the threshold");
  }

  @Test
  void answersThatSayNothingAboutLoadLeaveTheRate() {
    CreateRateLimiter limiter = paced(10, 100, 1_000);
    for (int code : new int[] {409, 422, 403, 404}) {
      limiter.answered(code, FAST, null);
    }
    assertEquals(100, limiter.ratePerSecond(), 1e-9);
    assertEquals(0, limiter.overloads());
  }

  @Test
  void answersInFlightDuringOneOverloadHalveTheRateOnce() {
    // sixteen creates were sent at the old pace; their sixteen 429s are one signal
    CreateRateLimiter limiter = paced(500, 400, 1_000);
    for (int i = 0; i < 16; i++) {
      limiter.answered(429, FAST, null);
    }
    assertEquals(200, limiter.ratePerSecond(), 1e-9);
    assertEquals(16, limiter.overloads());
    advance(Duration.ofMillis(999));
    limiter.answered(429, FAST, null);
    assertEquals(200, limiter.ratePerSecond(), 1e-9);
    advance(Duration.ofMillis(1));
    limiter.answered(429, FAST, null);
    assertEquals(100, limiter.ratePerSecond(), 1e-9, "a second later the overload is a new one");
  }

  @Test
  void theRateHasAFloor() {
    CreateRateLimiter limiter = paced(10, 4, 100);
    for (int i = 0; i < 10; i++) {
      limiter.answered(503, FAST, null);
      advance(Duration.ofSeconds(1));
    }
    assertEquals(CreateRateLimiter.MIN_RATE, limiter.ratePerSecond(), 1e-9);
  }

  @Test
  void afterAnOverloadTheRateGrowsAdditively() {
    CreateRateLimiter limiter = paced(500, 400, 1_000);
    limiter.answered(429, FAST, null);
    assertEquals(200, limiter.ratePerSecond(), 1e-9);
    // a second's worth of fast answers at 200/s adds STEADY_INCREASE, not 200
    fastAnswers(limiter, 200);
    double rate = limiter.ratePerSecond();
    assertTrue(
        rate > 200 + CreateRateLimiter.STEADY_INCREASE * 0.8
            && rate <= 200 + CreateRateLimiter.STEADY_INCREASE,
        "grew by about " + CreateRateLimiter.STEADY_INCREASE + ": " + rate);
  }

  @Test
  void aRetryAfterHoldsEveryCreateBackUntilItHasPassed() {
    CreateRateLimiter limiter = paced(500, 100, 1_000);
    limiter.answered(429, FAST, Duration.ofSeconds(3));
    assertEquals(Duration.ofSeconds(3), limiter.timeUntil(1));
    advance(Duration.ofMillis(2_999));
    assertEquals(0, limiter.tryAcquire(1), "tokens refilled, but the server asked to wait");
    advance(Duration.ofMillis(1));
    assertEquals(150, limiter.tryAcquire(1_000), "3 s at the halved rate");
  }

  @Test
  void aRetryAfterWithASuccessfulAnswerStillSlowsDown() {
    CreateRateLimiter limiter = paced(10, 100, 1_000);
    limiter.answered(201, FAST, Duration.ofSeconds(1));
    assertEquals(50, limiter.ratePerSecond(), 1e-9);
    assertEquals(Duration.ofSeconds(1), limiter.timeUntil(1));
  }

  @Test
  void aFixedBucketIgnoresTheAnswers() {
    CreateRateLimiter limiter = bucket(500, 100);
    fastAnswers(limiter, 1_000);
    limiter.answered(429, SLOW, Duration.ofSeconds(5));
    assertEquals(100, limiter.ratePerSecond(), 1e-9);
    assertEquals(500, limiter.tryAcquire(500));
    assertEquals(100, limiter.maxRate(), 1e-9);
  }

  @Test
  void aBurstOfAnswersPacesTenThousandCreatesToTheServersSpeed() {
    // a server that answers every create fast: the pacer reaches its maximum within seconds
    CreateRateLimiter limiter = paced(500, 100, 1_000);
    int sent = 0;
    int seconds = 0;
    while (sent < 10_000) {
      for (int tick = 0; tick < 10; tick++) {
        advance(Duration.ofMillis(100));
        int granted = limiter.tryAcquire(10_000 - sent);
        sent += granted;
        fastAnswers(limiter, granted);
      }
      seconds++;
    }
    assertEquals(1_000, limiter.ratePerSecond(), 1e-9);
    assertEquals(10, seconds, "the fixed bucket of 100/s needs 96 s");
  }

  @Test
  void nonsensePacingIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> paced(10, 100, 50));
    assertThrows(IllegalArgumentException.class, () -> paced(10, 100, Double.POSITIVE_INFINITY));
    assertThrows(
        IllegalArgumentException.class,
        () -> new CreateRateLimiter(10, 10, 20, Duration.ZERO, now::get));
  }
}

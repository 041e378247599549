package io.labeledapps.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The token bucket on a clock the test moves by hand: no sleeps, no timing. */
class CreateRateLimiterTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private CreateRateLimiter bucket(int burst, double rate) {
    return new CreateRateLimiter(burst, rate, now::get);
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
    CreateRateLimiter limiter = bucket(500, 100);
    limiter.tryAcquire(500);
    advance(Duration.ofMillis(250));
    assertEquals(25, limiter.tryAcquire(1_000));
    advance(Duration.ofMillis(9));
    assertEquals(0, limiter.tryAcquire(1), "0.9 of a token is not a token");
    advance(Duration.ofMillis(1));
    assertEquals(1, limiter.tryAcquire(1));
  }

  @Test
  void aLongQuietPeriodRefillsNoMoreThanTheBurst() {
    CreateRateLimiter limiter = bucket(50, 100);
    limiter.tryAcquire(50);
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
    CreateRateLimiter limiter = bucket(10, 10);
    limiter.tryAcquire(10);
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
    CreateRateLimiter limiter = bucket(5, 1_000);
    limiter.tryAcquire(5);
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
}

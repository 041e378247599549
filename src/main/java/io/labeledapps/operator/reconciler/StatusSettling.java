package io.labeledapps.operator.reconciler;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * How long a set's status change may wait before it is written, so that one write carries the
 * changes of several pod events. During a burst every pod that becomes ready changes its set's
 * counts: written one by one, that is one status write per pod (10,000 pods: as many writes as
 * pods, each a whole-object validation and etcd write on the API server and a watch event to every
 * client watching sets), on the two cores the nodes and the endpoints controller need. A change
 * that only moves counts, phases or messages waits until it is {@link #SETTLE} old; a change that
 * turns a condition or acknowledges a spec change is not held back ({@code StatusDiff.turning}),
 * and writing it also writes what waited. Time comes from the monotonic clock it is given.
 */
final class StatusSettling {
  /** The longest a status change waits for others to join it. */
  static final Duration SETTLE = Duration.ofSeconds(1);

  private final LongSupplier nanoTime;

  /** Per set (namespace/name): when its status first differed from the written one (nanoTime). */
  private final Map<String, Long> unwrittenSince = new ConcurrentHashMap<>();

  StatusSettling(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /**
   * A status that differs from the written one: how long its write should still wait (zero: write
   * now). {@code urgent}: written now whatever waited.
   */
  Duration waitFor(String key, boolean urgent) {
    long now = nanoTime.getAsLong();
    if (urgent) {
      return Duration.ZERO;
    }
    long since = unwrittenSince.computeIfAbsent(key, k -> now);
    long left = SETTLE.toNanos() - (now - since);
    return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
  }

  /**
   * The status of set {@code key} was written, is the written one again, or the set is gone:
   * nothing waits.
   */
  void settled(String key) {
    unwrittenSince.remove(key);
  }
}

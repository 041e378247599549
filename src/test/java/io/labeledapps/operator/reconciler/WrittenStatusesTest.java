package io.labeledapps.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetStatus;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WrittenStatusesTest {

  private static LabeledAppSetStatus status(int ready) {
    LabeledAppSetStatus s = new LabeledAppSetStatus();
    s.setReadyReplicas(ready);
    return s;
  }

  /** The set as the informer cache holds it: a resourceVersion and a status. */
  private static LabeledAppSet cached(String resourceVersion, LabeledAppSetStatus status) {
    LabeledAppSet set = new LabeledAppSet();
    set.getMetadata().setUid("uid-1");
    set.getMetadata().setName("web");
    set.getMetadata().setResourceVersion(resourceVersion);
    set.setStatus(status);
    return set;
  }

  /** The set as the informer cache holds it, with {@code ready} ready replicas in its status. */
  private static LabeledAppSet cached(String resourceVersion, int ready) {
    return cached(resourceVersion, status(ready));
  }

  /**
   * What the operator remembers once it wrote {@code status} over the set at {@code before} (one
   * ready replica) and the server answered with version {@code after}, storing the status as sent.
   */
  private static WrittenStatuses wrote(String before, LabeledAppSetStatus status, String after) {
    WrittenStatuses written = new WrittenStatuses();
    written.remember(cached(before, 1), status, cached(after, status));
    return written;
  }

  @Test
  void theWrittenStatusStandsInWhileTheCacheIsBehindTheWrite() {
    LabeledAppSetStatus two = status(2);
    WrittenStatuses written = wrote("100", two, "105");
    assertSame(two, written.current(cached("100", 1)), "cache older than the write");
    assertSame(two, written.current(cached("104", 1)));
  }

  @Test
  void onceCaughtUpTheCacheIsTheTruthEvenWhenItDiffersFromTheWrite() {
    WrittenStatuses written = new WrittenStatuses();
    written.remember(cached("100", 1), status(2), cached("105", 2));
    LabeledAppSetStatus onServer = status(1); // an older write landed late, or another client wrote
    assertSame(onServer, written.current(cached("105", onServer)));
    assertSame(onServer, written.current(cached("230", onServer)));
  }

  /**
   * A server that stores the status a little differently (its CRD lacks a field) starts no write
   * war.
   */
  @Test
  void whatTheServerStoredCountsAsTheOperatorsOwnWrite() {
    WrittenStatuses written = new WrittenStatuses();
    LabeledAppSetStatus computed = status(2);
    computed.setPhaseSummary("Running:2");
    LabeledAppSetStatus stored = status(2); // phaseSummary dropped by the server
    written.remember(cached("100", 1), computed, cached("105", stored));
    assertFalse(
        written.statusChangedByOthers(cached("105", stored), cached("100", 1)),
        "the watch event of the write is the operator's own");
    assertSame(
        computed,
        written.current(cached("105", stored)),
        "compared with what was computed: no rewrite");
    LabeledAppSetStatus other = status(0);
    assertTrue(written.statusChangedByOthers(cached("106", other), cached("105", stored)));
    assertSame(other, written.current(cached("106", other)));
  }

  @Test
  void withoutAWriteTheCacheIsUsed() {
    LabeledAppSetStatus onServer = status(3);
    assertSame(onServer, new WrittenStatuses().current(cached("7", onServer)));
  }

  @Test
  void ownWritesAndOlderUpdatesTriggerNoReconcileForeignStatusDoes() {
    LabeledAppSetStatus two = status(2);
    WrittenStatuses written = wrote("100", two, "105");
    // the watch event of the operator's own write
    assertFalse(written.statusChangedByOthers(cached("105", 2), cached("100", 1)));
    // an event from before that write, delivered late
    assertFalse(written.statusChangedByOthers(cached("103", 0), cached("100", 1)));
    // a later status the operator did not write
    assertTrue(written.statusChangedByOthers(cached("110", 0), cached("105", 2)));
    // a later update that keeps the written status (a label change, say)
    assertFalse(written.statusChangedByOthers(cached("111", 2), cached("105", 2)));
  }

  /**
   * The watch event of a write can be handled before the write returns: it is still the operator's
   * own.
   */
  @Test
  void aWriteStillInFlightIsTheOperatorsOwn() {
    WrittenStatuses written = new WrittenStatuses();
    LabeledAppSetStatus two = status(2);
    written.writing(cached("100", 1), two);
    assertFalse(written.statusChangedByOthers(cached("105", 2), cached("100", 1)));
    assertTrue(
        written.statusChangedByOthers(cached("105", 0), cached("100", 1)), "not what is written");
    written.writeFailed(cached("100", 1));
    assertTrue(
        written.statusChangedByOthers(cached("105", 2), cached("100", 1)),
        "after a failed write, nothing of the operator's is on its way");
  }

  @Test
  void afterARestartAnyStatusChangeCounts() {
    WrittenStatuses fresh = new WrittenStatuses();
    assertTrue(fresh.statusChangedByOthers(cached("9", 0), cached("8", 3)));
    assertFalse(fresh.statusChangedByOthers(cached("9", 3), cached("8", 3)));
  }

  @Test
  void aResourceVersionThatIsNoNumberKeepsTheWrittenStatus() {
    LabeledAppSetStatus two = status(2);
    WrittenStatuses written = wrote("a", two, "b");
    assertSame(two, written.current(cached("c", 1)));
    assertFalse(written.statusChangedByOthers(cached("c", 0), cached("a", 1)));
  }

  @Test
  void forgottenSetsAreDropped() {
    WrittenStatuses written = new WrittenStatuses();
    written.remember(cached("100", 1), status(2), cached("105", 2));
    written.retain(Set.of("another-uid"));
    LabeledAppSetStatus onServer = status(1);
    assertSame(onServer, written.current(cached("100", onServer)));
  }
}

package io.labeledapps.operator.reconciler;

import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetStatus;
import io.labeledapps.operator.status.StatusDiff;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The status this operator last wrote for each set (by uid), and the resourceVersion the write
 * produced. Right after a write the informer cache still holds the set as it was before it, so a
 * reconcile compares against what was written, not against the cache. Once the cache has caught up
 * (its resourceVersion is at least the write's), the cache is the truth again: a status the server
 * holds that differs from the computed one, whoever wrote it, is then written over.
 *
 * <p>resourceVersions are compared as numbers, as every etcd-backed API server issues them; one
 * that is not a number makes the written status win, as if the cache were behind.
 */
final class WrittenStatuses {
  /**
   * @param computed the status the operator computed and wrote
   * @param stored the status as the server stored it (a server whose CRD lacks a field drops it)
   * @param resourceVersion the set's resourceVersion after the write
   */
  record Written(LabeledAppSetStatus computed, LabeledAppSetStatus stored, long resourceVersion) {}

  private final Map<String, Written> byUid = new ConcurrentHashMap<>();

  /**
   * Statuses being written right now: the watch event of a write can arrive before the write
   * returns.
   */
  private final Map<String, LabeledAppSetStatus> inFlight = new ConcurrentHashMap<>();

  /** {@code computed} is about to be written. */
  void writing(LabeledAppSet set, LabeledAppSetStatus computed) {
    inFlight.put(set.getMetadata().getUid(), computed);
  }

  /** The write announced by {@link #writing} failed. */
  void writeFailed(LabeledAppSet set) {
    inFlight.remove(set.getMetadata().getUid());
  }

  /**
   * {@code patched}: the set the status write returned (null: unknown, as if the cache were
   * behind).
   */
  void remember(LabeledAppSet set, LabeledAppSetStatus computed, LabeledAppSet patched) {
    LabeledAppSetStatus stored =
        patched == null || patched.getStatus() == null ? computed : patched.getStatus();
    String version = patched == null ? null : patched.getMetadata().getResourceVersion();
    byUid.put(set.getMetadata().getUid(), new Written(computed, stored, parse(version)));
    inFlight.remove(set.getMetadata().getUid());
  }

  /**
   * The status to reconcile against: the one written while the cached {@code set} predates the
   * write, or still holds what the write stored; else (someone changed it since) the cached one.
   */
  LabeledAppSetStatus current(LabeledAppSet set) {
    Written w = byUid.get(set.getMetadata().getUid());
    if (w == null) {
      return set.getStatus();
    }
    if (predates(set, w) || StatusDiff.same(set.getStatus(), w.stored())) {
      return w.computed();
    }
    return set.getStatus();
  }

  /**
   * Whether an update of a set changed its status into something this operator did not write
   * (another client, or a write of its own undone): such a status is corrected by a reconcile. The
   * operator's own writes (as the server stored them), and updates older than its last write, are
   * not: a server that stores a status a little differently from what was sent does not make the
   * operator write it again and again.
   */
  boolean statusChangedByOthers(LabeledAppSet newSet, LabeledAppSet oldSet) {
    LabeledAppSetStatus writing = inFlight.get(newSet.getMetadata().getUid());
    if (writing != null && StatusDiff.same(newSet.getStatus(), writing)) {
      return false;
    }
    Written w = byUid.get(newSet.getMetadata().getUid());
    if (w == null) {
      return !StatusDiff.same(newSet.getStatus(), oldSet.getStatus());
    }
    return !predates(newSet, w) && !StatusDiff.same(newSet.getStatus(), w.stored());
  }

  void retain(Set<String> uids) {
    byUid.keySet().retainAll(uids);
    inFlight.keySet().retainAll(uids);
  }

  private static boolean predates(LabeledAppSet set, Written w) {
    long cached = parse(set.getMetadata().getResourceVersion());
    return cached < 0 || w.resourceVersion() < 0 || cached < w.resourceVersion();
  }

  private static long parse(String resourceVersion) {
    try {
      return resourceVersion == null ? -1 : Long.parseLong(resourceVersion);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}

package io.labeledapps.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Creates and deletes the operator made but its informer cache has not shown yet. Without them a
 * reconcile that runs on a cache a few events behind would create pods again (409s at best) or,
 * worse, delete more pods than a scale-down asked for. An expectation ends when the informer shows
 * the change, when the API said the create was a conflict, or after {@link #ttl} at the latest.
 */
public final class PodExpectations {
  private final Duration ttl;
  private final Map<String, PerSet> sets = new ConcurrentHashMap<>();

  public PodExpectations(Duration ttl) {
    this.ttl = ttl;
  }

  private static final class PerSet {
    final Map<String, Instant> creates = new ConcurrentHashMap<>(); // pod name -> deadline
    final Map<String, Pod> answered =
        new ConcurrentHashMap<>(); // pod name -> the pod the API server created
    final Map<String, Instant> deletes = new ConcurrentHashMap<>(); // pod uid -> deadline
    final Set<String> foreignNames = ConcurrentHashMap.newKeySet(); // names taken by pods not ours
  }

  private PerSet of(String setKey) {
    return sets.computeIfAbsent(setKey, k -> new PerSet());
  }

  public static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  public void expectCreate(String setKey, String podName, Instant now) {
    of(setKey).creates.put(podName, now.plus(ttl));
  }

  public void expectDelete(String setKey, String podUid, Instant now) {
    of(setKey).deletes.put(podUid, now.plus(ttl));
  }

  /**
   * The API server created {@code pod} (its answer): until the cache shows it, reconciles count it
   * as it was created ({@link #answered}), so a status written before the cache catches up does not
   * count fewer pods than exist.
   */
  public void created(String setKey, Pod pod) {
    PerSet s = of(setKey);
    String name = pod.getMetadata().getName();
    if (s.creates.containsKey(name)) {
      s.answered.put(name, pod);
    }
  }

  /** The create of {@code podName} will not show up (it failed, or the name was taken). */
  public void createDone(String setKey, String podName) {
    PerSet s = of(setKey);
    s.creates.remove(podName);
    s.answered.remove(podName);
  }

  public void deleteDone(String setKey, String podUid) {
    of(setKey).deletes.remove(podUid);
  }

  public void nameTakenByForeignPod(String setKey, String podName) {
    of(setKey).foreignNames.add(podName);
  }

  /**
   * Called from the informer: a pod of the set is gone. Its name may have been expected to appear
   * (created and deleted again before the cache showed it): that wait ends here. Everything else is
   * lowered by {@link #pending}, from the cache a reconcile reads, since an event may arrive before
   * the cache shows it.
   */
  public void observedGone(String setKey, Pod pod) {
    PerSet s = sets.get(setKey);
    if (s == null) {
      return;
    }
    String name = pod.getMetadata().getName();
    Pod answer = s.answered.get(name);
    // names are reused by slot: a late delete event of the pod that had the name before must not
    // end the expectation of the one created since
    if (answer == null
        || java.util.Objects.equals(answer.getMetadata().getUid(), pod.getMetadata().getUid())) {
      s.creates.remove(name);
      s.answered.remove(name);
    }
  }

  /**
   * Drops expired expectations and those the cache already shows; returns what is still pending.
   *
   * @param cached the set's pods in the informer cache, without {@link #answered} ones
   */
  public Pending pending(String setKey, Collection<Pod> cached, Instant now) {
    PerSet s = sets.get(setKey);
    if (s == null) {
      return Pending.NONE;
    }
    Set<String> cachedNames =
        cached.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
    s.creates
        .entrySet()
        .removeIf(e -> e.getValue().isBefore(now) || cachedNames.contains(e.getKey()));
    s.answered.keySet().retainAll(s.creates.keySet());
    Map<String, Pod> byUid = new HashMap<>();
    // a pod deleted before the cache showed its create is known from the create's answer
    s.answered.values().forEach(p -> byUid.put(p.getMetadata().getUid(), p));
    cached.forEach(p -> byUid.put(p.getMetadata().getUid(), p));
    s.deletes
        .entrySet()
        .removeIf(
            e ->
                e.getValue().isBefore(now)
                    || !byUid.containsKey(e.getKey())
                    || byUid.get(e.getKey()).getMetadata().getDeletionTimestamp() != null);
    return new Pending(
        Set.copyOf(s.creates.keySet()), Set.copyOf(s.deletes.keySet()), Set.copyOf(s.foreignNames));
  }

  /**
   * The creates outstanding right now, as they are: a reconcile reads them before the informer
   * cache (see {@link Pending#plusCreates}).
   */
  public Set<String> creating(String setKey) {
    PerSet s = sets.get(setKey);
    return s == null ? Set.of() : Set.copyOf(s.creates.keySet());
  }

  /**
   * Pods the API server created for the set that the cache may not show yet, as the server answered
   * the create (until the cache shows them, or their expectation ends).
   */
  public List<Pod> answered(String setKey, Instant now) {
    PerSet s = sets.get(setKey);
    if (s == null) {
      return List.of();
    }
    // the TTL bounds how long a pod is assumed to exist, also when no pass has called pending()
    return s.answered.values().stream()
        .filter(
            p -> {
              Instant deadline = s.creates.get(p.getMetadata().getName());
              return deadline != null && !deadline.isBefore(now);
            })
        .toList();
  }

  /** Forget a set that no longer exists. */
  public void forget(String setKey) {
    sets.remove(setKey);
  }

  /** A snapshot of one set's outstanding expectations. */
  public record Pending(Set<String> createNames, Set<String> deleteUids, Set<String> foreignNames) {
    public static final Pending NONE = new Pending(Set.of(), Set.of(), Set.of());

    public boolean any() {
      return !createNames.isEmpty() || !deleteUids.isEmpty();
    }

    /**
     * Adds creates read before the cache snapshot. The informer ends a create's expectation when
     * the pod arrives; arriving between a reconcile's cache read and its expectations read (a
     * relist after 410 Gone delivers dozens at once), a pod would be in neither, and be created
     * again in another slot. Read first, it is in at least one of them.
     */
    public Pending plusCreates(Set<String> names) {
      if (createNames.containsAll(names)) {
        return this;
      }
      Set<String> all = new java.util.HashSet<>(createNames);
      all.addAll(names);
      return new Pending(Set.copyOf(all), deleteUids, foreignNames);
    }
  }
}

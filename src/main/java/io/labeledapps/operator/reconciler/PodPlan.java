package io.labeledapps.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.model.Names;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What to do with a set's pods, decided from the cache alone. Pure: the reconciler carries it out.
 *
 * @param counted pods that count toward {@code spec.replicas}: controlled, matching the selector,
 *     not terminating, not ended, not being deleted by us
 * @param release controlled pods whose labels no longer match the selector: let go, like a ReplicaSet does
 * @param delete pods to delete, each with its reason
 * @param createSlots slots of the pods to create
 */
public record PodPlan(List<Pod> counted, List<Pod> release, List<Deletion> delete, List<Integer> createSlots,
    String desiredHash) {

  /** A pod to delete and why: {@code ScaleDown}, {@code PodEnded} or {@code TemplateChanged}. */
  public record Deletion(Pod pod, String reason) {}

  public boolean changesSomething() {
    return !release.isEmpty() || !delete.isEmpty() || !createSlots.isEmpty();
  }

  /** Plans the pods of {@code set} from {@code owned}: the pods in the cache controlled by the set. */
  public static PodPlan plan(LabeledAppSet set, List<Pod> owned, String desiredHash, PodExpectations.Pending pending) {
    return plan(set, owned, desiredHash, pending, false);
  }

  /**
   * Plans the pods of {@code set} from {@code owned}, the pods in the cache controlled by the set.
   *
   * @param rolloutStopped the rollout passed its progress deadline: heal and scale, but replace no
   *     more old pods
   */
  public static PodPlan plan(LabeledAppSet set, List<Pod> owned, String desiredHash, PodExpectations.Pending pending,
      boolean rolloutStopped) {
    return plan(set, owned, desiredHash, pending, rolloutStopped, null);
  }

  /**
   * As above; an old serving pod is replaced only while the pods available at {@code now} (ready for
   * spec.minReadySeconds) cover spec.replicas - maxUnavailable. Without a clock, ready pods count.
   */
  public static PodPlan plan(LabeledAppSet set, List<Pod> owned, String desiredHash, PodExpectations.Pending pending,
      boolean rolloutStopped, java.time.Instant now) {
    int minReady = PodState.minReadySeconds(set.getSpec());
    int want = set.getSpec().getReplicas() == null ? 1 : Math.max(0, set.getSpec().getReplicas());
    Set<String> occupied = new HashSet<>(pending.foreignNames());
    occupied.addAll(pending.createNames());
    List<Pod> release = new ArrayList<>();
    List<Deletion> delete = new ArrayList<>();
    List<Pod> live = new ArrayList<>();
    for (Pod pod : owned) {
      occupied.add(pod.getMetadata().getName());
      if (PodState.isTerminating(pod) || pending.deleteUids().contains(pod.getMetadata().getUid())) {
        continue;
      }
      if (!Labels.matchesSelector(set, pod.getMetadata().getLabels())) {
        release.add(pod);
      } else if (PodState.hasEnded(pod)) {
        delete.add(new Deletion(pod, "PodEnded"));
      } else {
        live.add(pod);
      }
    }
    // pods created but not yet in the cache count as live, current and not ready
    // (a set of the names: a scan of owned per pending create was 250,000 comparisons a pass in a 500-pod burst)
    Set<String> ownedNames = new HashSet<>();
    owned.forEach(p -> ownedNames.add(p.getMetadata().getName()));
    int pendingCreates = (int) pending.createNames().stream().filter(n -> !ownedNames.contains(n)).count();
    Predicate<Pod> isOld = p -> !desiredHash.equals(PodState.templateHash(p));
    Rollout rollout = Rollout.of(set.getSpec(), want);
    List<Pod> remaining = new ArrayList<>(live);
    sortUselessFirst(remaining, set, desiredHash);
    int missing;
    if (rollout.recreate() && owned.stream().anyMatch(isOld)) {
      // Recreate: every old pod goes first; nothing new starts while one still exists, even terminating
      for (Pod pod : List.copyOf(remaining)) {
        if (isOld.test(pod) && !rolloutStopped) {
          delete.add(new Deletion(pod, "TemplateChanged"));
          remaining.remove(pod);
        }
      }
      while (remaining.size() > want) {
        delete.add(new Deletion(remaining.remove(0), "ScaleDown"));
      }
      missing = 0;
    } else {
      // 1. an old pod that serves no traffic is replaced at once
      for (Pod pod : List.copyOf(remaining)) {
        if (!rolloutStopped && isOld.test(pod) && !PodState.isReady(pod)) {
          delete.add(new Deletion(pod, "TemplateChanged"));
          remaining.remove(pod);
        }
      }
      // 2. surplus beyond spec.replicas, plus maxSurge while old pods remain. Creates still on their
      // way cannot be chosen yet, and they would be the first to go (not ready): wait for them
      // rather than delete a serving pod in their place
      while (remaining.size() > want + rollout.surge(remaining, isOld)) {
        delete.add(new Deletion(remaining.remove(0), "ScaleDown"));
      }
      // 3. an old serving pod goes only while the available pods left cover spec.replicas - maxUnavailable
      long available = remaining.stream().filter(p -> PodState.isAvailable(p, minReady, now)).count();
      for (Pod pod : List.copyOf(remaining)) {
        if (rolloutStopped || available <= want - rollout.maxUnavailable()) {
          break;
        }
        if (isOld.test(pod) && PodState.isReady(pod)) {
          delete.add(new Deletion(pod, "TemplateChanged"));
          remaining.remove(pod);
          if (PodState.isAvailable(pod, minReady, now)) {
            available--;
          }
        }
      }
      missing = want + (rolloutStopped ? 0 : rollout.surge(remaining, isOld)) - remaining.size() - pendingCreates;
    }
    List<Integer> slots = new ArrayList<>();
    for (int slot = 0; slots.size() < missing; slot++) {
      if (!occupied.contains(Names.pod(set, slot))) {
        slots.add(slot);
      }
    }
    return new PodPlan(List.copyOf(remaining), List.copyOf(release), List.copyOf(delete), List.copyOf(slots), desiredHash);
  }

  /** Controlled pods matching the selector that are neither terminating nor ended. */
  public static List<Pod> live(LabeledAppSet set, List<Pod> owned) {
    return owned.stream()
        .filter(p -> !PodState.isTerminating(p) && !PodState.hasEnded(p))
        .filter(p -> Labels.matchesSelector(set, p.getMetadata().getLabels()))
        .toList();
  }

  /**
   * Sorts {@code pods} unscheduled first, then not ready, then an old template, then the newest slot.
   * Each pod's keys are computed once: a comparator computing them per comparison did so n log n
   * times a pass, and with every pass of a 500-pod burst that was a twentieth of the operator's CPU (JFR).
   */
  static void sortUselessFirst(List<Pod> pods, LabeledAppSet set, String desiredHash) {
    record Keyed(Pod pod, boolean scheduled, boolean ready, boolean current, int slot) {}
    List<Keyed> keyed = new ArrayList<>(pods.size());
    for (Pod p : pods) {
      keyed.add(new Keyed(p, !(PodState.isUnschedulable(p) || !PodState.isScheduled(p)), PodState.isReady(p),
          desiredHash.equals(PodState.templateHash(p)),
          Names.slotOf(set, p.getMetadata().getName()).orElse(Integer.MAX_VALUE)));
    }
    keyed.sort(Comparator.comparing(Keyed::scheduled).thenComparing(Keyed::ready).thenComparing(Keyed::current)
        .thenComparing(Comparator.comparingInt(Keyed::slot).reversed()));
    for (int i = 0; i < keyed.size(); i++) {
      pods.set(i, keyed.get(i).pod());
    }
  }
}

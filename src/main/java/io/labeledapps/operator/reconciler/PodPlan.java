package io.labeledapps.operator.reconciler;

import io.labeledapps.operator.status.PodState;
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
    int pendingCreates = (int) pending.createNames().stream()
        .filter(n -> owned.stream().noneMatch(p -> p.getMetadata().getName().equals(n)))
        .count();
    Predicate<Pod> isOld = p -> !desiredHash.equals(PodState.templateHash(p));
    Rollout rollout = Rollout.of(set.getSpec(), want);
    List<Pod> remaining = new ArrayList<>(live);
    remaining.sort(uselessFirst(set, desiredHash));
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

  /** Unscheduled first, then not ready, then an old template, then the newest slot. */
  static Comparator<Pod> uselessFirst(LabeledAppSet set, String desiredHash) {
    Comparator<Pod> unscheduled = Comparator.comparing(p -> !(PodState.isUnschedulable(p) || !PodState.isScheduled(p)));
    Comparator<Pod> notReady = Comparator.comparing(PodState::isReady);
    Comparator<Pod> oldTemplate = Comparator.comparing(p -> desiredHash.equals(PodState.templateHash(p)));
    Comparator<Pod> newestSlot = Comparator.comparingInt(
        (Pod p) -> Names.slotOf(set, p.getMetadata().getName()).orElse(Integer.MAX_VALUE)).reversed();
    return unscheduled.thenComparing(notReady).thenComparing(oldTemplate).thenComparing(newestSlot);
  }
}

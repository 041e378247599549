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
    int want = set.getSpec().getReplicas() == null ? 1 : Math.max(0, set.getSpec().getReplicas());
    Set<String> occupied = new HashSet<>(pending.foreignNames());
    occupied.addAll(pending.createNames());
    List<Pod> release = new ArrayList<>();
    List<Deletion> delete = new ArrayList<>();
    List<Pod> live = new ArrayList<>();
    boolean terminating = false;
    for (Pod pod : owned) {
      occupied.add(pod.getMetadata().getName());
      if (PodState.isTerminating(pod) || pending.deleteUids().contains(pod.getMetadata().getUid())) {
        terminating = true;
      } else if (!Labels.matchesSelector(set, pod.getMetadata().getLabels())) {
        release.add(pod);
      } else if (PodState.hasEnded(pod)) {
        delete.add(new Deletion(pod, "PodEnded"));
      } else {
        live.add(pod);
      }
    }
    // pods created but not yet in the cache count as live, current and not ready
    long pendingCreates = pending.createNames().stream()
        .filter(n -> owned.stream().noneMatch(p -> p.getMetadata().getName().equals(n)))
        .count();
    int liveCount = live.size() + (int) pendingCreates;

    List<Pod> byUselessness = new ArrayList<>(live);
    byUselessness.sort(uselessFirst(set, desiredHash));
    int kept = liveCount;
    if (liveCount > want) {
      for (Pod pod : byUselessness.subList(0, Math.min(liveCount - want, live.size()))) {
        delete.add(new Deletion(pod, "ScaleDown"));
        kept--;
      }
    } else {
      List<Pod> old = byUselessness.stream().filter(p -> !desiredHash.equals(PodState.templateHash(p))).toList();
      List<Pod> oldNotReady = old.stream().filter(p -> !PodState.isReady(p)).toList();
      // an old pod that serves no traffic is replaced at once; a serving one only when all else is settled
      List<Pod> replace = new ArrayList<>(oldNotReady);
      boolean settled = !terminating && pendingCreates == 0 && pending.deleteUids().isEmpty()
          && live.stream().allMatch(PodState::isReady) && liveCount == want;
      if (replace.isEmpty() && !old.isEmpty() && settled) {
        replace.add(old.get(0));
      }
      for (Pod pod : replace) {
        delete.add(new Deletion(pod, "TemplateChanged"));
        kept--;
      }
    }
    List<Integer> slots = new ArrayList<>();
    for (int slot = 0; slots.size() < want - kept; slot++) {
      if (!occupied.contains(Names.pod(set, slot))) {
        slots.add(slot);
      }
    }
    List<Pod> counted = new ArrayList<>(live);
    delete.forEach(d -> counted.remove(d.pod()));
    return new PodPlan(List.copyOf(counted), List.copyOf(release), List.copyOf(delete), List.copyOf(slots), desiredHash);
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

package io.labeledapps.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.model.Names;
import io.labeledapps.operator.status.PodState;
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
 * @param release controlled pods whose labels no longer match the selector: let go, like a
 *     ReplicaSet does
 * @param delete pods to delete, each with its reason
 * @param createSlots slots of the pods to create
 */
public record PodPlan(
    List<Pod> counted,
    List<Pod> release,
    List<Deletion> delete,
    List<Integer> createSlots,
    String desiredHash) {

  /** A pod to delete and why: {@code ScaleDown}, {@code PodEnded} or {@code TemplateChanged}. */
  public record Deletion(Pod pod, String reason) {}

  public boolean changesSomething() {
    return !release.isEmpty() || !delete.isEmpty() || !createSlots.isEmpty();
  }

  /**
   * Which pods to create, delete and release: plans the pods of {@code set} from {@code owned}, the
   * pods in the cache controlled by the set. An old serving pod is replaced only while the pods
   * available at {@code now} (ready for spec.minReadySeconds) cover spec.replicas - maxUnavailable;
   * without a clock, ready pods count.
   *
   * @param rolloutStopped the rollout passed its progress deadline: heal and scale, but replace no
   *     more old pods
   */
  public static PodPlan plan(
      LabeledAppSet set,
      List<Pod> owned,
      String desiredHash,
      PodExpectations.Pending pending,
      boolean rolloutStopped,
      java.time.Instant now) {
    Planning planning = new Planning(set, desiredHash, pending, rolloutStopped, now);
    planning.sort(owned);
    int missing =
        planning.rollout.recreate() && owned.stream().anyMatch(planning.isOld)
            ? planning.recreate()
            : planning.rollingUpdate(owned);
    return planning.toPlan(missing);
  }

  /** One planning: the pods left ({@code remaining}) and the decisions made so far. */
  private static final class Planning {
    final LabeledAppSet set;
    final String desiredHash;
    final PodExpectations.Pending pending;
    final boolean rolloutStopped;
    final java.time.Instant now;
    final int minReady;
    final int want;
    final Rollout rollout;
    final Predicate<Pod> isOld;
    final Set<String> occupied = new HashSet<>();
    final List<Pod> release = new ArrayList<>();
    final List<Deletion> delete = new ArrayList<>();
    final List<Pod> remaining = new ArrayList<>();

    Planning(
        LabeledAppSet set,
        String desiredHash,
        PodExpectations.Pending pending,
        boolean rolloutStopped,
        java.time.Instant now) {
      this.set = set;
      this.desiredHash = desiredHash;
      this.pending = pending;
      this.rolloutStopped = rolloutStopped;
      this.now = now;
      this.minReady = PodState.minReadySeconds(set.getSpec());
      this.want =
          set.getSpec().getReplicas() == null ? 1 : Math.max(0, set.getSpec().getReplicas());
      this.rollout = Rollout.of(set.getSpec(), want);
      this.isOld = p -> !desiredHash.equals(PodState.templateHash(p));
      occupied.addAll(pending.foreignNames());
      occupied.addAll(pending.createNames());
    }

    /**
     * Releases pods the selector no longer matches, deletes ended ones; the live rest, useless
     * first.
     */
    void sort(List<Pod> owned) {
      for (Pod pod : owned) {
        occupied.add(pod.getMetadata().getName());
        if (PodState.isTerminating(pod)
            || pending.deleteUids().contains(pod.getMetadata().getUid())) {
          continue;
        }
        if (!Labels.matchesSelector(set, pod.getMetadata().getLabels())) {
          release.add(pod);
        } else if (PodState.hasEnded(pod)) {
          delete.add(new Deletion(pod, "PodEnded"));
        } else {
          remaining.add(pod);
        }
      }
      sortUselessFirst(remaining, set, desiredHash);
    }

    /**
     * Recreate: every old pod goes first; nothing new starts while one still exists, even
     * terminating.
     */
    int recreate() {
      for (Pod pod : List.copyOf(remaining)) {
        if (isOld.test(pod) && !rolloutStopped) {
          replace(pod);
        }
      }
      scaleDownTo(want);
      return 0;
    }

    /** RollingUpdate: returns how many pods are missing. */
    int rollingUpdate(List<Pod> owned) {
      // 1. an old pod that serves no traffic is replaced at once
      for (Pod pod : List.copyOf(remaining)) {
        if (!rolloutStopped && isOld.test(pod) && !PodState.isReady(pod)) {
          replace(pod);
        }
      }
      // 2. surplus beyond spec.replicas, plus maxSurge while old pods remain. Creates still on
      // their
      // way cannot be chosen yet, and they would be the first to go (not ready): wait for them
      // rather than delete a serving pod in their place
      while (remaining.size() > want + rollout.surge(remaining, isOld)) {
        delete.add(new Deletion(remaining.remove(0), "ScaleDown"));
      }
      replaceServing();
      // pods created but not yet in the cache count as live, current and not ready
      // (a set of the names: a scan of owned per pending create was 250,000 comparisons a pass in a
      // 500-pod burst)
      Set<String> ownedNames = new HashSet<>();
      owned.forEach(p -> ownedNames.add(p.getMetadata().getName()));
      int pendingCreates =
          (int) pending.createNames().stream().filter(n -> !ownedNames.contains(n)).count();
      return want
          + (rolloutStopped ? 0 : rollout.surge(remaining, isOld))
          - remaining.size()
          - pendingCreates;
    }

    /**
     * 3. an old serving pod goes only while the available pods left cover spec.replicas -
     * maxUnavailable.
     */
    private void replaceServing() {
      long available =
          remaining.stream().filter(p -> PodState.isAvailable(p, minReady, now)).count();
      for (Pod pod : List.copyOf(remaining)) {
        if (rolloutStopped || available <= want - rollout.maxUnavailable()) {
          break;
        }
        if (isOld.test(pod) && PodState.isReady(pod)) {
          replace(pod);
          if (PodState.isAvailable(pod, minReady, now)) {
            available--;
          }
        }
      }
    }

    private void replace(Pod pod) {
      delete.add(new Deletion(pod, "TemplateChanged"));
      remaining.remove(pod);
    }

    private void scaleDownTo(int count) {
      while (remaining.size() > count) {
        delete.add(new Deletion(remaining.remove(0), "ScaleDown"));
      }
    }

    /** The plan, with the first free slots for the {@code missing} pods. */
    PodPlan toPlan(int missing) {
      List<Integer> slots = new ArrayList<>();
      for (int slot = 0; slots.size() < missing; slot++) {
        if (!occupied.contains(Names.pod(set, slot))) {
          slots.add(slot);
        }
      }
      return new PodPlan(
          List.copyOf(remaining),
          List.copyOf(release),
          List.copyOf(delete),
          List.copyOf(slots),
          desiredHash);
    }
  }

  /** Controlled pods matching the selector that are neither terminating nor ended. */
  public static List<Pod> live(LabeledAppSet set, List<Pod> owned) {
    return owned.stream()
        .filter(p -> !PodState.isTerminating(p) && !PodState.hasEnded(p))
        .filter(p -> Labels.matchesSelector(set, p.getMetadata().getLabels()))
        .toList();
  }

  /**
   * Sorts {@code pods} unscheduled first, then not ready, then an old template, then the newest
   * slot. Each pod's keys are computed once: a comparator computing them per comparison did so n
   * log n times a pass, and with every pass of a 500-pod burst that was a twentieth of the
   * operator's CPU (JFR).
   */
  static void sortUselessFirst(List<Pod> pods, LabeledAppSet set, String desiredHash) {
    record Keyed(Pod pod, boolean scheduled, boolean ready, boolean current, int slot) {}
    List<Keyed> keyed = new ArrayList<>(pods.size());
    for (Pod p : pods) {
      keyed.add(
          new Keyed(
              p,
              !(PodState.isUnschedulable(p) || !PodState.isScheduled(p)),
              PodState.isReady(p),
              desiredHash.equals(PodState.templateHash(p)),
              Names.slotOf(set, p.getMetadata().getName()).orElse(Integer.MAX_VALUE)));
    }
    keyed.sort(
        Comparator.comparing(Keyed::scheduled)
            .thenComparing(Keyed::ready)
            .thenComparing(Keyed::current)
            .thenComparing(Comparator.comparingInt(Keyed::slot).reversed()));
    for (int i = 0; i < keyed.size(); i++) {
      pods.set(i, keyed.get(i).pod());
    }
  }
}

package io.labeledapps.operator.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.status.Conditions;
import io.labeledapps.operator.status.PodState;
import io.labeledapps.operator.testkit.SetBuilder;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;

/** The sets the benchmark applies, their names, and what it reads from their status. */
final class BenchSets {
  private BenchSets() {}

  /**
   * A set of {@code replicas} nginx pods labeled {@code app: name}, with a ClusterIP Service when
   * {@code service}.
   */
  static LabeledAppSet benchSet(String ns, String name, int replicas, boolean service) {
    SetBuilder set = SetBuilder.set(name).namespace(ns).replicas(replicas);
    return (service ? set.httpService() : set).build();
  }

  /** The name of the {@code i}-th of many sets. */
  static String setName(int i) {
    return String.format(Locale.ROOT, i < 1000 ? "s-%03d" : "s-%d", i);
  }

  /** Whether the pod belongs to the set (or other group) {@code group}. */
  static boolean of(String group, Pod pod) {
    return group.equals(pod.getMetadata().getLabels().get(Labels.INSTANCE));
  }

  /** Ready pods of {@code group} the watch holds. */
  static long readyPods(Watches w, String group) {
    return w.pods().stream().filter(p -> of(group, p)).filter(PodState::isReady).count();
  }

  /**
   * Whether a status that observed {@code observed} and counts {@code replicas} pods has seen the
   * spec of generation {@code generation} and counts {@code want}.
   */
  static boolean counted(Long observed, Integer replicas, long generation, int want) {
    return observed != null && observed >= generation && Objects.equals(replicas, want);
  }

  /** The set's status has observed its latest spec and counts {@code replicas} ready pods. */
  static boolean ready(Watches w, String name, int replicas) {
    return w.set(name)
        .map(
            s -> {
              if (s.getStatus() == null
                  || !Objects.equals(s.getStatus().getReadyReplicas(), replicas)) {
                return false;
              }
              return readyCondition(s)
                  && Objects.equals(
                      s.getStatus().getObservedGeneration(), s.getMetadata().getGeneration());
            })
        .orElse(false);
  }

  /** Sets whose Ready condition is True. */
  static long readySets(Watches w) {
    return w.sets().stream().filter(BenchSets::readyCondition).count();
  }

  /**
   * Sets that are Ready and whose Service routes to every ready pod (ServiceRouted True, or no
   * Service): nothing left for their status to follow.
   */
  static long routedSets(Watches w) {
    return w.sets().stream()
        .filter(s -> readyCondition(s) && conditionTrueOrAbsent(s, Conditions.SERVICE_ROUTED))
        .count();
  }

  private static boolean readyCondition(LabeledAppSet s) {
    var c = s.getStatus() == null ? null : Conditions.find(s.getStatus(), Conditions.READY);
    return c != null && "True".equals(c.getStatus());
  }

  private static boolean conditionTrueOrAbsent(LabeledAppSet s, String type) {
    var c = s.getStatus() == null ? null : Conditions.find(s.getStatus(), type);
    return c == null || "True".equals(c.getStatus());
  }

  /** Empty when the sets were all Ready in time, else how many were. */
  static String timedOut(Watches w, OptionalLong readyAt) {
    return readyAt.isPresent() ? "" : "TIMED OUT (" + readySets(w) + " ready)";
  }

  /** The set's status exists and has observed its latest spec. */
  static boolean observed(Watches w, String name) {
    return w.set(name)
        .map(
            s ->
                s.getStatus() != null
                    && Objects.equals(
                        s.getStatus().getObservedGeneration(), s.getMetadata().getGeneration()))
        .orElse(false);
  }
}

package io.labeledapps.operator.status;

import io.fabric8.kubernetes.api.model.Pod;
import io.labeledapps.operator.api.LabeledAppSet;
import java.time.Instant;
import java.util.List;

/**
 * The numbers a status is made of: pods wanted, counted, ready, available (ready for
 * spec.minReadySeconds at {@code clock}; every ready pod when the clock is null) and on the current
 * template.
 */
record PodCounts(int want, int replicas, int ready, int available, int updated, int minReady) {

  static PodCounts of(LabeledAppSet set, List<Pod> counted, String desiredHash, Instant clock) {
    int minReady = PodState.minReadySeconds(set.getSpec());
    int want = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
    int ready = (int) counted.stream().filter(PodState::isReady).count();
    int available =
        (int) counted.stream().filter(p -> PodState.isAvailable(p, minReady, clock)).count();
    int updated =
        (int) counted.stream().filter(p -> desiredHash.equals(PodState.templateHash(p))).count();
    return new PodCounts(want, counted.size(), ready, available, updated, minReady);
  }

  /** Every wanted pod exists, is ready, available and on the current template. */
  boolean complete() {
    return replicas == want && ready == want && available == want && updated == want;
  }

  /** {@code 2 of 3 pods ready[, 1 available (ready for 10s)]} */
  String readiness() {
    return ready
        + " of "
        + want
        + " pods ready"
        + (minReady > 0 ? ", " + available + " available (ready for " + minReady + "s)" : "");
  }
}

package io.labeledapps.operator.testkit;

import java.util.List;

/** The pod-level fields a set carries to its pods as written. */
public final class PodFields {
  /** The fields of a set's spec that a pod's spec takes over as written, under the same name. */
  public static final List<String> POD =
      List.of(
          "securityContext",
          "volumes",
          "serviceAccountName",
          "automountServiceAccountToken",
          "imagePullSecrets",
          "tolerations",
          "affinity",
          "topologySpreadConstraints",
          "priorityClassName",
          "terminationGracePeriodSeconds");

  private PodFields() {}
}

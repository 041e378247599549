package io.labeledapps.operator.reconciler;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.labeledapps.operator.api.LabeledAppSetSpec;
import io.labeledapps.operator.api.UpdateStrategy;
import java.util.List;
import java.util.function.Predicate;

/**
 * The update strategy resolved against spec.replicas. Defaults: RollingUpdate with maxSurge 1 and
 * maxUnavailable 0, so a new template that never works takes nothing down.
 */
public record Rollout(boolean recreate, int maxSurge, int maxUnavailable) {
  public static Rollout of(LabeledAppSetSpec spec, int replicas) {
    UpdateStrategy s = spec.getUpdateStrategy();
    if (replicas == 0) {
      return new Rollout(s != null && s.getType() == UpdateStrategy.Type.Recreate, 0, 0);
    }
    if (s != null && s.getType() == UpdateStrategy.Type.Recreate) {
      return new Rollout(true, 0, replicas);
    }
    int surge = resolve(s == null ? null : s.getMaxSurge(), replicas, true, 1);
    int unavailable = resolve(s == null ? null : s.getMaxUnavailable(), replicas, false, 0);
    if (surge == 0 && unavailable == 0) {
      // both zero would never make progress; the validator reports it, this keeps the plan safe
      surge = 1;
    }
    return new Rollout(false, surge, Math.min(unavailable, replicas));
  }

  /** A number, or a percentage of {@code replicas} rounded up (surge) or down (unavailable). */
  static int resolve(IntOrString value, int replicas, boolean roundUp, int fallback) {
    if (value == null) {
      return fallback;
    }
    if (value.getIntVal() != null) {
      return Math.max(0, value.getIntVal());
    }
    String text = value.getStrVal() == null ? "" : value.getStrVal().trim();
    if (!text.endsWith("%")) {
      return fallback;
    }
    try {
      double percent = Double.parseDouble(text.substring(0, text.length() - 1));
      double exact = replicas * percent / 100.0;
      return Math.max(0, (int) (roundUp ? Math.ceil(exact) : Math.floor(exact)));
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /** Pods allowed above spec.replicas right now: maxSurge while old pods remain. */
  int surge(List<Pod> remaining, Predicate<Pod> isOld) {
    return maxSurge > 0 && remaining.stream().anyMatch(isOld) ? maxSurge : 0;
  }
}

package io.labeledapps.operator.conventions;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.labeledapps.operator.model.Quantities;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks before creating pods that they fit what the namespace's ResourceQuotas have left, so the
 * user reads one exact shortfall instead of pods failing one by one at admission. Pure. Quotas with
 * scopes are not checked (the API server still enforces them).
 */
public final class QuotaPreflight {
  private static final BigDecimal MI = BigDecimal.valueOf(1024L * 1024L);
  private static final BigDecimal KI = BigDecimal.valueOf(1024L);

  private QuotaPreflight() {}

  /** Violations for creating {@code newPods} pods like {@code pod} under {@code quotas}. */
  public static List<ConventionViolation> check(List<ResourceQuota> quotas, Pod pod, int newPods) {
    List<ConventionViolation> out = new ArrayList<>();
    if (newPods <= 0 || quotas == null) {
      return out;
    }
    List<ResourceQuota> sorted = new ArrayList<>(quotas);
    sorted.sort(Comparator.comparing(q -> q.getMetadata().getName()));
    for (ResourceQuota quota : sorted) {
      if (quota.getSpec() != null
          && ((quota.getSpec().getScopes() != null && !quota.getSpec().getScopes().isEmpty())
              || quota.getSpec().getScopeSelector() != null)) {
        continue;
      }
      if (quota.getStatus() == null || quota.getStatus().getHard() == null) {
        continue;
      }
      Map<String, Quantity> used =
          quota.getStatus().getUsed() == null ? Map.of() : quota.getStatus().getUsed();
      for (var entry : quota.getStatus().getHard().entrySet()) {
        check(
                quota.getMetadata().getName(),
                entry.getKey(),
                entry.getValue(),
                used.get(entry.getKey()),
                pod,
                newPods)
            .ifPresent(out::add);
      }
    }
    return out;
  }

  /**
   * The violation of quota {@code quota}'s {@code key} ({@code hard}, {@code used} of it) by the
   * new pods, if any.
   */
  private static Optional<ConventionViolation> check(
      String quota, String key, Quantity hard, Quantity used, Pod pod, int newPods) {
    BigDecimal perPod = perPod(pod, key);
    if (perPod == null) {
      return Optional.empty();
    }
    List<String> lacking = lacking(pod, key);
    if (!lacking.isEmpty()) {
      return Optional.of(unset(quota, key, lacking));
    }
    BigDecimal need = perPod.multiply(BigDecimal.valueOf(newPods));
    BigDecimal remaining =
        Quantity.getAmountInBytes(hard)
            .subtract(used != null ? Quantity.getAmountInBytes(used) : BigDecimal.ZERO)
            .max(BigDecimal.ZERO);
    if (need.compareTo(remaining) <= 0) {
      return Optional.empty();
    }
    return Optional.of(
        new ConventionViolation(
            "QuotaExceeded",
            "ResourceQuota "
                + quota
                + ": "
                + newPods
                + (newPods == 1 ? " new pod needs " : " new pods need ")
                + format(key, need)
                + " "
                + key
                + ", more than the quota's remaining "
                + format(key, remaining)
                + " (short by "
                + format(key, need.subtract(remaining))
                + ")"));
  }

  /**
   * The API server refuses a pod outright ("must specify limits.cpu"), whatever is left, when a
   * container does not set what the quota counts: {@code lacking} names them.
   */
  private static ConventionViolation unset(String quota, String key, List<String> lacking) {
    String kind = key.startsWith("limits.") ? "limits" : "requests";
    String resource = key.substring(key.indexOf('.') + 1);
    return new ConventionViolation(
        "QuotaExceeded",
        "ResourceQuota "
            + quota
            + ": every container must set "
            + key
            + ", and "
            + String.join(", ", lacking)
            + (lacking.size() == 1 ? " does" : " do")
            + " not (set resources."
            + kind
            + "."
            + resource
            + " or the namespace annotation "
            + Conventions.PREFIX
            + "default-"
            + resource
            + "-"
            + ("limits".equals(kind) ? "limit" : "request")
            + ")");
  }

  /**
   * What one pod counts against quota key {@code key}, or null if the key is not about pods'
   * compute.
   */
  static BigDecimal perPod(Pod pod, String key) {
    return switch (key) {
      case "pods", "count/pods" -> BigDecimal.ONE;
      case "cpu", "requests.cpu" -> effective(pod, "requests", "cpu");
      case "memory", "requests.memory" -> effective(pod, "requests", "memory");
      case "limits.cpu" -> effective(pod, "limits", "cpu");
      case "limits.memory" -> effective(pod, "limits", "memory");
      default -> null;
    };
  }

  /**
   * Names of the pod's containers (init containers included) that lack what quota key {@code key}
   * requires of every container. A request may come from the limit: the API server copies a limit
   * into a missing request before quota admission.
   */
  static List<String> lacking(Pod pod, String key) {
    String resource = key.substring(key.indexOf('.') + 1);
    boolean limitOnly = key.startsWith("limits.");
    if (!"cpu".equals(resource) && !"memory".equals(resource)) {
      return List.of();
    }
    List<Container> all = new ArrayList<>();
    if (pod.getSpec().getInitContainers() != null) {
      all.addAll(pod.getSpec().getInitContainers());
    }
    all.addAll(pod.getSpec().getContainers());
    List<String> out = new ArrayList<>();
    for (Container c : all) {
      var r = c.getResources();
      boolean hasLimit = r != null && r.getLimits() != null && r.getLimits().containsKey(resource);
      boolean hasRequest =
          r != null && r.getRequests() != null && r.getRequests().containsKey(resource);
      if (limitOnly ? !hasLimit : !(hasRequest || hasLimit)) {
        out.add(c.getName());
      }
    }
    return out;
  }

  /**
   * Kubernetes' effective pod resource: the larger of the containers' sum and the largest init
   * container.
   */
  private static BigDecimal effective(Pod pod, String kind, String resource) {
    BigDecimal sum = BigDecimal.ZERO;
    for (Container c : pod.getSpec().getContainers()) {
      sum = sum.add(amount(c, kind, resource));
    }
    BigDecimal init = BigDecimal.ZERO;
    if (pod.getSpec().getInitContainers() != null) {
      for (Container c : pod.getSpec().getInitContainers()) {
        init = init.max(amount(c, kind, resource));
      }
    }
    return sum.max(init);
  }

  private static BigDecimal amount(Container c, String kind, String resource) {
    if (c.getResources() == null) {
      return BigDecimal.ZERO;
    }
    Map<String, Quantity> m =
        "requests".equals(kind) ? c.getResources().getRequests() : c.getResources().getLimits();
    return m == null || !m.containsKey(resource)
        ? BigDecimal.ZERO
        : Quantities.value(m.get(resource)).orElse(BigDecimal.ZERO);
  }

  /** Kubernetes notation: millicores for cpu, Mi/Ki for memory. */
  static String format(String key, BigDecimal amount) {
    if (key.contains("cpu")) {
      BigDecimal milli =
          amount.multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING);
      return milli.remainder(BigDecimal.valueOf(1000)).signum() == 0
          ? milli.divide(BigDecimal.valueOf(1000)).toPlainString()
          : milli.toPlainString() + "m";
    }
    if (key.contains("memory")) {
      if (amount.remainder(MI).signum() == 0) {
        return amount.divide(MI).toPlainString() + "Mi";
      }
      if (amount.remainder(KI).signum() == 0) {
        return amount.divide(KI).toPlainString() + "Ki";
      }
      return amount.setScale(0, RoundingMode.CEILING).toPlainString();
    }
    return amount.stripTrailingZeros().toPlainString();
  }
}

package io.labeledapps.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A Service changing its selector without a gap in traffic. A set that starts naming its Service
 * gives its pods the label {@code labeledapps.io/service}, but only as a rollout replaces them
 * (pods are replaced, not patched): a Service switched to the new selector at once would select
 * none of the pods still serving. So the set's Service keeps its old selector, and a Service the
 * set leaves for another is kept, while a pod of the set does not match the new selector; once the
 * rollout has replaced them all, both happen in one pass. Pure.
 */
final class SelectorHandover {
  private SelectorHandover() {}

  /**
   * The Service to write over {@code actual}: {@code desired}, or {@code desired} with the selector
   * of {@code actual} while that selects every one of {@code pods} (the set's counted pods) and the
   * desired selector misses some. A selector that misses pods either way is no traffic to keep.
   */
  static Service target(Service desired, Service actual, List<Pod> pods) {
    Map<String, String> old = actual.getSpec().getSelector();
    if (missed(desired, pods).isEmpty()
        || old == null
        || old.isEmpty()
        || Objects.equals(old, desired.getSpec().getSelector())
        || !missed(old, pods).isEmpty()) {
      return desired;
    }
    return new ServiceBuilder(desired).editSpec().withSelector(old).endSpec().build();
  }

  /** The pods of {@code pods} that the selector of {@code service} does not select. */
  static List<Pod> missed(Service service, List<Pod> pods) {
    return missed(service.getSpec().getSelector(), pods);
  }

  private static List<Pod> missed(Map<String, String> selector, List<Pod> pods) {
    return pods.stream().filter(p -> !selects(selector, p.getMetadata().getLabels())).toList();
  }

  /** A selector selects a pod that carries all of its labels; an empty selector selects nothing. */
  private static boolean selects(Map<String, String> selector, Map<String, String> labels) {
    return selector != null
        && !selector.isEmpty()
        && labels != null
        && labels.entrySet().containsAll(selector.entrySet());
  }

  /**
   * For the status: the selector of {@code desired} is written once every pod of {@code pods}
   * matches it.
   */
  static String switching(Service desired, List<Pod> pods) {
    return "switching the selector to "
        + describe(desired.getSpec().getSelector())
        + " once every pod carries "
        + lacking(desired, pods)
        + progress(desired, pods);
  }

  /**
   * For the status: Service {@code former}, which the set leaves for {@code desired}, is kept until
   * every pod matches it.
   */
  static String keeping(String former, Service desired, List<Pod> pods) {
    return "Service "
        + former
        + " is kept until every pod carries "
        + lacking(desired, pods)
        + progress(desired, pods)
        + ", then "
        + desired.getMetadata().getName()
        + " alone serves them";
  }

  /** The labels of the desired selector that some pod lacks. */
  private static String lacking(Service desired, List<Pod> pods) {
    List<Pod> missed = missed(desired, pods);
    return describe(
        desired.getSpec().getSelector().entrySet().stream()
            .filter(
                e ->
                    missed.stream()
                        .anyMatch(
                            p ->
                                p.getMetadata().getLabels() == null
                                    || !e.getValue()
                                        .equals(p.getMetadata().getLabels().get(e.getKey()))))
            .collect(
                Collectors.toMap(
                    Map.Entry::getKey,
                    Map.Entry::getValue,
                    (a, b) -> a,
                    java.util.LinkedHashMap::new)));
  }

  private static String progress(Service desired, List<Pod> pods) {
    int done = pods.size() - missed(desired, pods).size();
    return " (" + done + " of " + pods.size() + " do; the rollout replaces the others)";
  }

  private static String describe(Map<String, String> labels) {
    return labels.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }
}

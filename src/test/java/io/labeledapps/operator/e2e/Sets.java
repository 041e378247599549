package io.labeledapps.operator.e2e;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.status.Conditions;
import io.labeledapps.operator.status.PodState;
import io.labeledapps.operator.testkit.SetBuilder;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The sets of one namespace and their pods, read from the API server as the end-to-end tests check
 * them ({@link E2eOperator} is one for its namespace).
 */
class Sets {
  final KubernetesClient client;
  final String ns;

  Sets(KubernetesClient client, String ns) {
    this.client = client;
    this.ns = ns;
  }

  LabeledAppSet fetch(String name) {
    return client.resources(LabeledAppSet.class).inNamespace(ns).withName(name).get();
  }

  /** Creates the set {@code set} builds, in this namespace. */
  LabeledAppSet create(SetBuilder set) {
    return client.resource(set.namespace(ns).build()).create();
  }

  /** The live pods set {@code name} controls (none while it does not exist). */
  List<Pod> pods(String name) {
    LabeledAppSet s = fetch(name);
    return client.pods().inNamespace(ns).withLabel(Labels.INSTANCE, name).list().getItems().stream()
        .filter(p -> s != null && PodState.isControlledBy(p, s) && !PodState.isTerminating(p))
        .toList();
  }

  /** The condition {@code type} of set {@code name}; null without the set, a status or one. */
  Condition condition(String name, String type) {
    LabeledAppSet s = fetch(name);
    return s == null ? null : Conditions.find(s.getStatus(), type);
  }

  /** Every live pod of set {@code name} matches {@code each}. */
  boolean allPods(String name, Predicate<Pod> each) {
    return pods(name).stream().allMatch(each);
  }

  /** Set {@code name}'s Ready is True on its current generation. */
  boolean ready(String name) {
    return ready(fetch(name));
  }

  /** {@code s} exists and its Ready is True on its current generation. */
  static boolean ready(LabeledAppSet s) {
    if (s == null || s.getStatus() == null) {
      return false;
    }
    Condition c = Conditions.find(s.getStatus(), Conditions.READY);
    return c != null
        && "True".equals(c.getStatus())
        && Objects.equals(s.getStatus().getObservedGeneration(), s.getMetadata().getGeneration());
  }

  /**
   * Set {@code name}'s condition {@code type} has {@code status} and {@code reason}, and the status
   * describes the set's current generation.
   */
  boolean is(String name, String type, String status, String reason) {
    LabeledAppSet s = fetch(name);
    Condition c = s == null ? null : Conditions.find(s.getStatus(), type);
    return c != null
        && status.equals(c.getStatus())
        && reason.equals(c.getReason())
        && Objects.equals(s.getStatus().getObservedGeneration(), s.getMetadata().getGeneration());
  }

  /** The uids of {@link #pods(String)}. */
  Set<String> uids(String name) {
    return pods(name).stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
  }

  /**
   * Sets label {@code key} of pod {@code pod} to {@code value} (a patch, as kubectl label does).
   */
  void label(String pod, String key, String value) {
    client
        .pods()
        .inNamespace(ns)
        .withName(pod)
        .edit(p -> new PodBuilder(p).editMetadata().addToLabels(key, value).endMetadata().build());
  }
}

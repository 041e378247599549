package io.labeledapps.operator.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.Labels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The benchmark's eyes on one namespace: informers on pods, LabeledAppSets and ReplicaSets, and the
 * moment each pod was first seen. Timing from watch events costs the API server nothing extra and
 * adds the same watch latency to every contender.
 */
final class Watches implements AutoCloseable {
  /** A pod seen for the first time, and when ({@link System#nanoTime}). */
  record Added(String group, String name, String uid, long nanos) {}

  private final String namespace;
  private final String groupLabel;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<LabeledAppSet> sets;
  private final SharedIndexInformer<ReplicaSet> replicaSets;
  private final Map<String, List<Long>> addTimes = new ConcurrentHashMap<>();
  private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
  private final List<Long> allAdds = Collections.synchronizedList(new ArrayList<>());
  final BlockingQueue<Added> added = new LinkedBlockingQueue<>();

  Watches(KubernetesClient client, String namespace) {
    this(client, namespace, Labels.INSTANCE);
  }

  /**
   * @param groupLabel the pod label that names a pod's group, {@code app} when it is missing
   */
  Watches(KubernetesClient client, String namespace, String groupLabel) {
    this.namespace = namespace;
    this.groupLabel = groupLabel;
    this.pods =
        client
            .pods()
            .inNamespace(namespace)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    long now = System.nanoTime();
                    if (seen.putIfAbsent(pod.getMetadata().getUid(), true) == null) {
                      String group = group(pod);
                      addTimes
                          .computeIfAbsent(
                              group, g -> Collections.synchronizedList(new ArrayList<>()))
                          .add(now);
                      allAdds.add(now);
                      added.add(
                          new Added(
                              group, pod.getMetadata().getName(), pod.getMetadata().getUid(), now));
                    }
                  }

                  @Override
                  public void onUpdate(Pod oldPod, Pod newPod) {}

                  @Override
                  public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {}
                });
    this.sets = client.resources(LabeledAppSet.class).inNamespace(namespace).inform();
    this.replicaSets = client.apps().replicaSets().inNamespace(namespace).inform();
  }

  /** The group a pod is counted in: by default the set (or ReplicaSet) it belongs to. */
  private String group(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    if (labels == null) {
      return "";
    }
    return labels.getOrDefault(groupLabel, labels.getOrDefault("app", ""));
  }

  /** How many distinct pods of {@code group} have been seen. */
  int podsSeen(String group) {
    List<Long> times = addTimes.get(group);
    return times == null ? 0 : times.size();
  }

  int podsSeen() {
    return allAdds.size();
  }

  /**
   * When the {@code n}-th pod of {@code group} (null: of any group) first seen after {@code
   * sinceNanos} was seen, if it was.
   */
  Optional<Long> nthPodSeen(String group, int n, long sinceNanos) {
    List<Long> times = group == null ? allAdds : addTimes.get(group);
    if (times == null) {
      return Optional.empty();
    }
    List<Long> after;
    synchronized (times) {
      after = times.stream().filter(t -> t > sinceNanos).sorted().toList();
    }
    return after.size() >= n ? Optional.of(after.get(n - 1)) : Optional.empty();
  }

  Optional<Long> nthPodSeen(String group, int n) {
    return nthPodSeen(group, n, Long.MIN_VALUE);
  }

  List<Pod> pods() {
    return pods.getStore().list();
  }

  Optional<LabeledAppSet> set(String name) {
    return Optional.ofNullable(sets.getStore().getByKey(namespace + "/" + name));
  }

  List<LabeledAppSet> sets() {
    return sets.getStore().list();
  }

  Optional<ReplicaSet> replicaSet(String name) {
    return Optional.ofNullable(replicaSets.getStore().getByKey(namespace + "/" + name));
  }

  @Override
  public void close() {
    pods.close();
    sets.close();
    replicaSets.close();
  }
}

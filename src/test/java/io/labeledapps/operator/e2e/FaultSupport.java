package io.labeledapps.operator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.status.PodState;
import io.labeledapps.operator.testkit.Await;
import io.labeledapps.operator.testkit.SetBuilder;
import io.labeledapps.operator.testkit.SetStatus;
import io.labeledapps.operator.testkit.Unowned;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * What the fault tests share: namespaces, sets, pod counting, polling that survives an API outage.
 */
final class FaultSupport {
  private FaultSupport() {}

  /** The set's Ready condition once its status describes its current generation, else null. */
  static io.fabric8.kubernetes.api.model.Condition currentReady(
      KubernetesClient client, String ns, String name) {
    return SetStatus.current(client, ns, name, "Ready");
  }

  static LabeledAppSet set(String ns, String name, int replicas) {
    return SetBuilder.set(name).namespace(ns).replicas(replicas).label("env", "test").build();
  }

  static LabeledAppSet fetch(KubernetesClient client, String ns, String name) {
    return client.resources(LabeledAppSet.class).inNamespace(ns).withName(name).get();
  }

  /** Every pod the set controls, terminating ones included. */
  static List<Pod> controlled(KubernetesClient client, LabeledAppSet set) {
    return client
        .pods()
        .inNamespace(set.getMetadata().getNamespace())
        .withLabel(Labels.INSTANCE, set.getMetadata().getName())
        .list()
        .getItems()
        .stream()
        .filter(p -> PodState.isControlledBy(p, set))
        .toList();
  }

  /** Ready condition True for the current generation, with {@code replicas} ready pods reported. */
  static boolean converged(KubernetesClient client, String ns, String name, int replicas) {
    LabeledAppSet s = fetch(client, ns, name);
    return Sets.ready(s)
        && s.getSpec().getReplicas() == replicas
        && Objects.equals(s.getStatus().getReplicas(), replicas)
        && Objects.equals(s.getStatus().getReadyReplicas(), replicas);
  }

  /**
   * Asserts the end state after a fault: exactly {@code replicas} live controlled pods, each named
   * {@code <set>-<slot>} (so no duplicate under another name), all ready.
   */
  static void assertExactly(KubernetesClient client, String ns, String name, int replicas) {
    LabeledAppSet s = fetch(client, ns, name);
    List<Pod> pods = controlled(client, s);
    List<Pod> live = pods.stream().filter(p -> !PodState.isTerminating(p)).toList();
    assertEquals(replicas, live.size(), "live pods of " + name + ": " + names(live));
    Pattern slotName = Pattern.compile(Pattern.quote(name) + "-\\d+");
    for (Pod pod : live) {
      assertTrue(
          slotName.matcher(pod.getMetadata().getName()).matches(), pod.getMetadata().getName());
      assertTrue(PodState.isReady(pod), pod.getMetadata().getName() + " ready");
    }
    assertEquals(replicas, live.stream().map(p -> p.getMetadata().getName()).distinct().count());
  }

  static List<String> names(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).sorted().toList();
  }

  /**
   * A pod that is not the set's but carries everything its selector and labels ask for, and a name
   * in the set's {@code <set>-<slot>} pattern: the operator must neither adopt, count, change nor
   * delete it.
   */
  static Pod foreignPod(KubernetesClient client, LabeledAppSet set, String podName) {
    Map<String, String> labels = new HashMap<>(set.getSpec().getLabels());
    labels.putAll(Labels.selector(set));
    Pod pod = Unowned.pod(set.getMetadata().getNamespace(), podName, labels);
    client.resource(pod).create();
    // the fake nodes bind and "run" it; record it only once they are done with it
    await(
        "foreign pod running",
        Duration.ofSeconds(60),
        () ->
            PodState.isReady(
                client
                    .pods()
                    .inNamespace(set.getMetadata().getNamespace())
                    .withName(podName)
                    .get()));
    return client.pods().inNamespace(set.getMetadata().getNamespace()).withName(podName).get();
  }

  /** The foreign pod is the same object, unchanged since {@code before} (same resourceVersion). */
  static void assertUntouched(KubernetesClient client, Pod before) {
    Pod now =
        client
            .pods()
            .inNamespace(before.getMetadata().getNamespace())
            .withName(before.getMetadata().getName())
            .get();
    assertNotNull(now, "foreign pod " + before.getMetadata().getName() + " deleted");
    assertEquals(before.getMetadata().getUid(), now.getMetadata().getUid(), "foreign pod replaced");
    assertEquals(
        before.getMetadata().getResourceVersion(),
        now.getMetadata().getResourceVersion(),
        "foreign pod modified: " + now.getMetadata());
    assertTrue(
        now.getMetadata().getOwnerReferences() == null
            || now.getMetadata().getOwnerReferences().isEmpty(),
        "foreign pod adopted");
  }

  /**
   * Polls {@code condition} until it holds; an exception counts as "not yet" (an API server
   * restart).
   */
  static void await(String what, Duration timeout, BooleanSupplier condition) {
    Await.throughOutages(what, timeout, condition);
  }

  static final class PodCountSampler implements AutoCloseable {
    private final AtomicInteger max = new AtomicInteger();
    private final AtomicInteger samples = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    PodCountSampler(KubernetesClient client, LabeledAppSet set) {
      thread =
          new Thread(
              () -> {
                while (running) {
                  try {
                    int n =
                        (int)
                            controlled(client, set).stream()
                                .filter(p -> !PodState.isTerminating(p))
                                .count();
                    max.accumulateAndGet(n, Math::max);
                    samples.incrementAndGet();
                  } catch (RuntimeException e) {
                    // the API server is away (a fault under test); sample again
                  }
                  try {
                    Thread.sleep(50);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "pod-count-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    int max() {
      return max.get();
    }

    int samples() {
      return samples.get();
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      thread.interrupt();
      thread.join(5000);
    }
  }
}

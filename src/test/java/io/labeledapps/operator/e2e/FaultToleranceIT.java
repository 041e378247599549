package io.labeledapps.operator.e2e;

import static io.labeledapps.operator.e2e.FaultSupport.assertExactly;
import static io.labeledapps.operator.e2e.FaultSupport.assertUntouched;
import static io.labeledapps.operator.e2e.FaultSupport.await;
import static io.labeledapps.operator.e2e.FaultSupport.controlled;
import static io.labeledapps.operator.e2e.FaultSupport.converged;
import static io.labeledapps.operator.e2e.FaultSupport.fetch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.status.PodState;
import io.labeledapps.operator.testkit.OperatorProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults injected on a real control plane while the operator works, the operator running as its own
 * process ({@link OperatorProcess}). Each case ends with: exactly the desired pods, never more at
 * any sampled moment, the foreign look-alike pod untouched, and the set converged.
 *
 * <p>Two cases need access a user's cluster rarely gives, and run only when it is offered: {@code
 * E2E_RESTART_APISERVER}, a command that restarts the API server and returns once it serves again;
 * {@code E2E_ETCD_ENDPOINTS}, etcd's client URL for {@code etcdctl}. CI sets both.
 */
class FaultToleranceIT {
  private static final Duration STARTUP = Duration.ofSeconds(120);
  private static final Duration CONVERGE = Duration.ofSeconds(180);
  static final String RESTART_APISERVER = System.getenv("E2E_RESTART_APISERVER");
  static final String ETCD_ENDPOINTS = System.getenv("E2E_ETCD_ENDPOINTS");

  @RegisterExtension static final E2eOperator cluster = E2eOperator.namespaceOnly("las-faults");
  static final KubernetesClient client = cluster.client;
  static final String ns = cluster.ns;

  /** One pod create at a time, so that a scale-up to 50 lasts long enough to be interrupted. */
  private static String config(int podCreateParallelism) {
    return "podCreateParallelism: " + podCreateParallelism + "\n";
  }

  /** A set converged under the running operator, and a foreign look-alike pod beside it. */
  private record Opening(LabeledAppSet set, Pod foreign) {}

  /**
   * Creates set {@code name} with {@code replicas} and the foreign pod {@code foreignName} that
   * looks like one of its pods, and waits until the set has converged.
   */
  private static Opening open(String name, int replicas, String foreignName) {
    LabeledAppSet set = client.resource(FaultSupport.set(ns, name, replicas)).create();
    Pod foreign = FaultSupport.foreignPod(client, set, foreignName);
    await(replicas + " ready pods", CONVERGE, () -> converged(client, ns, name, replicas));
    return new Opening(set, foreign);
  }

  private static void scale(String name, int replicas) {
    client.resources(LabeledAppSet.class).inNamespace(ns).withName(name).scale(replicas);
  }

  /**
   * Scales {@code set} to 50 and returns once 10 of its pods are created: the scale-up is under
   * way.
   */
  private static void scaleUpUnderWay(LabeledAppSet set) throws InterruptedException {
    scale(set.getMetadata().getName(), 50);
    awaitCreated(set, 10);
  }

  /** Blocks until at least {@code count} pods of the set have been created (seen by a watch). */
  private static void awaitCreated(LabeledAppSet set, int count) throws InterruptedException {
    CountDownLatch latch = new CountDownLatch(count);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    controlled(client, set)
        .forEach(
            p -> {
              if (seen.add(p.getMetadata().getName())) {
                latch.countDown();
              }
            });
    try (Watch ignored =
        client
            .pods()
            .inNamespace(ns)
            .withLabel(Labels.INSTANCE, set.getMetadata().getName())
            .watch(
                new Watcher<Pod>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    if (action == Action.ADDED
                        && PodState.isControlledBy(pod, set)
                        && seen.add(pod.getMetadata().getName())) {
                      latch.countDown();
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                })) {
      assertTrue(
          latch.await(CONVERGE.toSeconds(), TimeUnit.SECONDS), "pods created: " + seen.size());
    }
  }

  @Test
  void operatorKilledMidScaleUpEndsWithExactlyFiftyPods() throws Exception {
    OperatorProcess first = null;
    OperatorProcess second = null;
    try {
      first = OperatorProcess.start("crash-first", ns, config(1)).started(STARTUP);
      Opening opened = open("crash", 1, "crash-3");
      LabeledAppSet set = opened.set();
      try (var sampler = new FaultSupport.PodCountSampler(client, set)) {
        scaleUpUnderWay(set);
        first.kill();
        int atKill = controlled(client, set).size();
        assertTrue(
            atKill >= 10 && atKill < 50,
            "killed in the middle of the scale-up, with " + atKill + " pods");

        second = OperatorProcess.start("crash-second", ns, config(1)).started(STARTUP);
        await(
            "50 ready pods after the restart", CONVERGE, () -> converged(client, ns, "crash", 50));
        assertExactly(client, ns, "crash", 50);
        assertTrue(sampler.samples() > 0);
        assertEquals(50, sampler.max(), "never more than 50 pods at once");
      }
      assertEquals(50, fetch(client, ns, "crash").getStatus().getReplicas());
      assertUntouched(client, opened.foreign());
      assertTrue(
          controlled(client, fetch(client, ns, "crash")).stream()
              .noneMatch(p -> p.getMetadata().getName().equals("crash-3")));
    } finally {
      close(first, second);
    }
  }

  @Test
  void apiServerRestartedMidScaleUpConverges() throws Exception {
    assumeApiServerRestartable();
    OperatorProcess operator = null;
    try {
      operator = OperatorProcess.start("outage", ns, config(1)).started(STARTUP);
      Opening opened = open("outage", 1, "outage-2");
      try (var sampler = new FaultSupport.PodCountSampler(client, opened.set())) {
        scaleUpUnderWay(opened.set());
        Instant down = Instant.now();
        long outage = restartApiServer();
        assertTrue(operator.isAlive(), "the operator survives the outage");

        await(
            "50 ready pods after the restart", CONVERGE, () -> converged(client, ns, "outage", 50));
        assertExactly(client, ns, "outage", 50);
        assertEquals(50, sampler.max(), "never more than 50 pods at once");
        // creationTimestamp has whole seconds; the outage lasts longer than that
        long createdAfter =
            controlled(client, fetch(client, ns, "outage")).stream()
                .filter(
                    p ->
                        Instant.parse(p.getMetadata().getCreationTimestamp())
                            .isAfter(down.plusSeconds(1)))
                .count();
        assertTrue(createdAfter > 0, "the restart (" + outage + " ms) interrupted the scale-up");
      }
      assertTrue(operator.isAlive(), "the operator survives the outage");
      assertUntouched(client, opened.foreign());
      // the fresh API server's watch cache no longer knows the old resourceVersions
      assertTrue(
          operator.output().contains("Watch restarting due to http gone"),
          "the informers re-listed after 410 Gone:\n" + operator.tail());
    } finally {
      close(operator);
    }
  }

  /**
   * etcd compacts its history (the API server does it every 5 minutes); a client that resumes a
   * watch at a resourceVersion nobody has any more gets 410 Gone and must re-list. Compaction alone
   * does not cut a running watch (the API server's watch cache keeps serving it), so the operator
   * is frozen while the set changes, etcd is compacted and defragmented, and the API server
   * restarts: on waking the operator resumes its watches at compacted versions.
   */
  @Test
  void watchesResumedAtACompactedRevisionReListAndConverge() throws Exception {
    assumeTrue(
        ETCD_ENDPOINTS != null && !ETCD_ENDPOINTS.isBlank(), "E2E_ETCD_ENDPOINTS is not set");
    assumeApiServerRestartable();
    OperatorProcess operator = null;
    try {
      operator = OperatorProcess.start("compacted", ns, config(16)).started(STARTUP);
      Opening opened = open("compacted", 3, "compacted-foreign");
      String oldVersion = client.pods().inNamespace(ns).list().getMetadata().getResourceVersion();
      String deletedUid =
          client.pods().inNamespace(ns).withName("compacted-1").get().getMetadata().getUid();

      try (var sampler = new FaultSupport.PodCountSampler(client, opened.set())) {
        operator.suspend();
        // changes the frozen operator can only learn about from a fresh list
        client.pods().inNamespace(ns).withName("compacted-1").delete();
        scale("compacted", 5);
        await(
            "pod deleted",
            CONVERGE,
            () -> client.pods().inNamespace(ns).withName("compacted-1").get() == null);
        // a last write, so the revision compacted to is past everything the watches have seen
        client
            .configMaps()
            .inNamespace(ns)
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("compaction-marker")
                    .endMetadata()
                    .build())
            .create();
        long revision = etcdRevision();
        etcdctl("compact", Long.toString(revision));
        etcdctl("defrag");
        restartApiServer();
        assertWatchGone(oldVersion);
        operator.resume();

        await("5 ready pods", CONVERGE, () -> converged(client, ns, "compacted", 5));
        assertExactly(client, ns, "compacted", 5);
        // replaced, under its own name or another free slot's (a name still terminating is not
        // reused)
        assertTrue(
            controlled(client, fetch(client, ns, "compacted")).stream()
                .noneMatch(p -> p.getMetadata().getUid().equals(deletedUid)),
            "the pod deleted while the operator was away");
        assertEquals(5, sampler.max(), "never more than 5 pods at once");
      }
      assertTrue(operator.isAlive());
      assertUntouched(client, opened.foreign());
      String log = operator.output();
      for (String watched :
          List.of(
              "v1/namespaces/" + ns + "/pods",
              "labeledapps.io/v1alpha1/namespaces/" + ns + "/labeledappsets")) {
        assertTrue(
            log.contains("Watch restarting due to http gone for " + watched),
            "the " + watched + " informer re-listed after 410 Gone:\n" + operator.tail());
      }
    } finally {
      close(operator);
    }
  }

  /**
   * Editors change the same set at once, each adding its own label, the way kubectl edit and apply
   * do: read, change, write with the resourceVersion read, and on 409 Conflict read again. The
   * operator writes status all along (each label change rolls the pods). No change is lost.
   */
  @Test
  void concurrentEditsWithConflictsLoseNoUserChange() throws Exception {
    OperatorProcess operator = null;
    ExecutorService editors = Executors.newFixedThreadPool(4);
    try {
      operator = OperatorProcess.start("edits", ns, config(16)).started(STARTUP);
      Opening opened = open("edited", 3, "edited-foreign");

      int editorCount = 4;
      int editsEach = 3;
      AtomicInteger conflicts = new AtomicInteger();
      CyclicBarrier together = new CyclicBarrier(editorCount);
      List<Future<?>> done = new ArrayList<>();
      try (var sampler = new FaultSupport.PodCountSampler(client, opened.set())) {
        for (int e = 0; e < editorCount; e++) {
          int editor = e;
          done.add(
              editors.submit(
                  () -> {
                    for (int k = 0; k < editsEach; k++) {
                      boolean first = true;
                      while (true) {
                        LabeledAppSet current = fetch(client, ns, "edited");
                        if (first) {
                          // every editor holds the same version before anyone writes: all but one
                          // conflict
                          together.await(60, TimeUnit.SECONDS);
                          first = false;
                        }
                        current.getSpec().getLabels().put("editor-" + editor + "-" + k, "yes");
                        try {
                          client.resource(current).update();
                          break;
                        } catch (KubernetesClientException ex) {
                          if (ex.getCode() != 409) {
                            throw ex;
                          }
                          conflicts.incrementAndGet();
                        }
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> f : done) {
          f.get(CONVERGE.toSeconds(), TimeUnit.SECONDS);
        }
        assertTrue(conflicts.get() >= editorCount - 1, "editors met conflicts: " + conflicts.get());

        Map<String, String> expected = new HashMap<>(Map.of("app", "edited", "env", "test"));
        for (int e = 0; e < editorCount; e++) {
          for (int k = 0; k < editsEach; k++) {
            expected.put("editor-" + e + "-" + k, "yes");
          }
        }
        assertEquals(
            expected,
            fetch(client, ns, "edited").getSpec().getLabels(),
            "every editor's change is kept");

        await(
            "pods rolled to carry every label",
            CONVERGE,
            () ->
                converged(client, ns, "edited", 3)
                    && controlled(client, fetch(client, ns, "edited")).stream()
                        .filter(p -> !PodState.isTerminating(p))
                        .allMatch(
                            p ->
                                p.getMetadata()
                                    .getLabels()
                                    .entrySet()
                                    .containsAll(expected.entrySet())));
        assertExactly(client, ns, "edited", 3);
        // one surge pod at a time during the rollouts
        assertTrue(
            sampler.max() <= 4, "at most replicas + maxSurge pods at once, saw " + sampler.max());
      }
      assertUntouched(client, opened.foreign());
    } finally {
      editors.shutdownNow();
      close(operator);
    }
  }

  /** The test runs only where E2E_RESTART_APISERVER says how to restart the API server. */
  private static void assumeApiServerRestartable() {
    assumeTrue(
        RESTART_APISERVER != null && !RESTART_APISERVER.isBlank(),
        "E2E_RESTART_APISERVER is not set: no way to restart this cluster's API server");
  }

  /** Restarts the API server through E2E_RESTART_APISERVER; returns how long it took, in ms. */
  private static long restartApiServer() throws IOException, InterruptedException {
    long start = System.nanoTime();
    run(List.of("bash", "-c", RESTART_APISERVER), Duration.ofSeconds(180));
    await(
        "API server back",
        Duration.ofSeconds(120),
        () -> client.namespaces().withName(ns).get() != null);
    return Duration.ofNanos(System.nanoTime() - start).toMillis();
  }

  /** A watch from a resourceVersion of before the compaction and restart is answered 410 Gone. */
  private static void assertWatchGone(String resourceVersion) throws InterruptedException {
    CountDownLatch closed = new CountDownLatch(1);
    AtomicInteger code = new AtomicInteger();
    try (Watch ignored =
        client
            .pods()
            .inNamespace(ns)
            .withResourceVersion(resourceVersion)
            .watch(
                new Watcher<Pod>() {
                  @Override
                  public void eventReceived(Action action, Pod resource) {}

                  @Override
                  public void onClose(WatcherException cause) {
                    code.set(cause.asClientException().getCode());
                    closed.countDown();
                  }
                })) {
      assertTrue(
          closed.await(30, TimeUnit.SECONDS),
          "the watch from " + resourceVersion + " was not refused");
    } catch (KubernetesClientException e) {
      code.set(e.getCode());
    }
    assertEquals(410, code.get(), "a watch from resourceVersion " + resourceVersion);
  }

  private static long etcdRevision() throws IOException, InterruptedException {
    String json = etcdctl("endpoint", "status", "--write-out=json");
    var m = java.util.regex.Pattern.compile("\"revision\":(\\d+)").matcher(json);
    assertTrue(m.find(), json);
    return Long.parseLong(m.group(1));
  }

  private static String etcdctl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("etcdctl", "--endpoints=" + ETCD_ENDPOINTS));
    command.addAll(List.of(args));
    return run(command, Duration.ofSeconds(60));
  }

  private static String run(List<String> command, Duration timeout)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("ETCDCTL_API", "3");
    Process process = builder.start();
    try {
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        throw new AssertionError(command + " did not finish in " + timeout);
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, process.exitValue(), command + ": " + output);
      return output;
    } finally {
      process.destroyForcibly();
    }
  }

  private static void close(OperatorProcess... operators) {
    for (OperatorProcess operator : operators) {
      if (operator != null) {
        operator.close();
      }
    }
  }
}

package io.labeledapps.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.labeledapps.operator.LabeledAppSetOperator;
import io.labeledapps.operator.MockKubelet;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.client.OperatorSerialization;
import io.labeledapps.operator.config.OperatorConfig;
import io.labeledapps.operator.status.Conditions;
import io.labeledapps.operator.testkit.Await;
import io.labeledapps.operator.testkit.Edits;
import io.labeledapps.operator.testkit.EnabledNamespace;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A pass that runs while the operator stops: JOSDK stops the informers (emptying their caches)
 * before it interrupts the passes still running. Such a pass must write nothing; before, it
 * reported every healthy set as {@code NamespaceUnknown}.
 */
@EnableKubernetesMockClient(crud = true)
class ShutdownMockTest {
  static KubernetesClient client;
  static KubernetesMockServer server;
  private static final String NS = "shutdown";

  /**
   * The system clock, except that once armed, the next reconcile thread to read it waits there
   * until it is interrupted (by JOSDK's shutdownNow, after the informers have stopped).
   */
  static final class HoldingClock extends Clock {
    final AtomicBoolean armed = new AtomicBoolean();
    final CompletableFuture<Thread> held = new CompletableFuture<>();

    @Override
    public Instant instant() {
      if (Thread.currentThread().getName().startsWith("ReconcilerExecutor")
          && armed.compareAndSet(true, false)) {
        held.complete(Thread.currentThread());
        CountDownLatch never = new CountDownLatch(1);
        try {
          if (!never.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("not interrupted within 60 s");
          }
        } catch (InterruptedException e) {
          // interrupted by the stop; the pass carries on as a slow pass would, its flag cleared
        }
      }
      return Instant.now();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @Test
  void aPassRunningWhileTheOperatorStopsWritesNothing() throws Exception {
    EnabledNamespace.apply(client, NS);
    HoldingClock clock = new HoldingClock();
    OperatorConfig config = new OperatorConfig();
    config.metricsPort = 0;
    // a client the operator does not close, so that a late write would reach the server
    try (KubernetesClient operatorClient =
        OperatorSerialization.client(client.getConfiguration())) {
      LabeledAppSetOperator operator = LabeledAppSetOperator.start(config, operatorClient, clock);
      LabeledAppSet set = LabeledAppSetOperatorMockTest.set("web", 2, "nginx:1.27");
      set.getMetadata().setNamespace(NS);
      client.resource(set).create();
      await(
          "Ready",
          () -> {
            MockKubelet.runPods(client, NS);
            return "AllPodsReady".equals(readyReason());
          });

      clock.armed.set(true);
      Edits.set(client, NS, "web", s -> s.getMetadata().getAnnotations().put("touched", "yes"));
      Thread pass = clock.held.get(30, TimeUnit.SECONDS);
      operator.close();
      pass.join(Duration.ofSeconds(30).toMillis());
      assertFalse(pass.isAlive(), "the pass held across the stop has finished");

      assertEquals("AllPodsReady", readyReason(), "the status the running operator wrote stands");
      assertEquals(
          0,
          client.v1().events().inNamespace(NS).list().getItems().stream()
              .filter(e -> "Warning".equals(e.getType()))
              .count(),
          "no Warning event from the stopping operator");
      assertEquals(
          2, client.pods().inNamespace(NS).list().getItems().size(), "its pods are untouched");
    }
  }

  private static String readyReason() {
    LabeledAppSet set = client.resources(LabeledAppSet.class).inNamespace(NS).withName("web").get();
    assertNotNull(set);
    var ready = Conditions.find(set.getStatus(), Conditions.READY);
    return ready == null ? null : ready.getReason();
  }

  private static void await(String what, java.util.function.BooleanSupplier condition) {
    Await.until(what, Duration.ofSeconds(30), Await.MOCK_POLL, condition, () -> "");
  }
}

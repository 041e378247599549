package io.labeledapps.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.labeledapps.operator.api.ContainerSpec;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetSpec;
import io.labeledapps.operator.model.PodAdditions;
import io.labeledapps.operator.model.StampedTemplate;
import io.labeledapps.operator.model.TestDesired;
import io.labeledapps.operator.observability.OperatorMetrics;
import io.labeledapps.operator.status.PodState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pod creates go through the token bucket: what it does not grant is left for a later pass. */
@EnableKubernetesMockClient(crud = true)
class PodReconcilerRateLimitTest {
  static KubernetesClient client;

  private static final String NS = "rate";
  private final AtomicLong nanos = new AtomicLong();
  private final PodWriters pool = new PodWriters(4, Thread::new);
  private final PodExpectations expectations = new PodExpectations(Duration.ofSeconds(60));
  private final Clock clock = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
    client.pods().inAnyNamespace().delete();
  }

  private PodReconciler reconciler(CreateRateLimiter limiter) {
    return new PodReconciler(
        client, pool, expectations, new OperatorMetrics(new SimpleMeterRegistry()), clock, limiter);
  }

  private static LabeledAppSet set(String name, int replicas) {
    LabeledAppSet set = new LabeledAppSet();
    set.getMetadata().setName(name);
    set.getMetadata().setNamespace(NS);
    set.getMetadata().setUid("uid-" + name);
    LabeledAppSetSpec spec = new LabeledAppSetSpec();
    spec.setReplicas(replicas);
    ContainerSpec c = new ContainerSpec();
    c.setName("web");
    c.setImage("nginx");
    spec.setContainers(List.of(c));
    set.setSpec(spec);
    return set;
  }

  private PodPlan plan(LabeledAppSet set) {
    List<Pod> owned =
        client.pods().inNamespace(NS).list().getItems().stream()
            .filter(p -> PodState.isControlledBy(p, set))
            .toList();
    String key = PodExpectations.key(NS, set.getMetadata().getName());
    return PodPlan.plan(
        set,
        owned,
        TestDesired.templateHash(set),
        expectations.pending(key, owned, clock.instant()),
        false,
        null);
  }

  private int podsOf(LabeledAppSet set) {
    return (int)
        client.pods().inNamespace(NS).list().getItems().stream()
            .filter(p -> PodState.isControlledBy(p, set))
            .count();
  }

  @Test
  void createsBeyondTheBucketWaitForTokens() {
    CreateRateLimiter limiter = new CreateRateLimiter(3, 1, nanos::get);
    PodReconciler pods = reconciler(limiter);
    LabeledAppSet set = set("big", 5);

    PodReconciler.Result first =
        pods.execute(set, plan(set), StampedTemplate.of(set, PodAdditions.NONE));
    assertEquals(3, first.created().size());
    assertEquals(3, podsOf(set));
    // 2 creates left, at 1 token per second
    assertEquals(Duration.ofSeconds(2), first.createsDeferredFor());

    PodReconciler.Result tooEarly =
        pods.execute(set, plan(set), StampedTemplate.of(set, PodAdditions.NONE));
    assertEquals(0, tooEarly.created().size());
    assertEquals(3, podsOf(set));
    assertNotNull(tooEarly.createsDeferredFor());

    nanos.addAndGet(Duration.ofSeconds(2).toNanos());
    PodReconciler.Result second =
        pods.execute(set, plan(set), StampedTemplate.of(set, PodAdditions.NONE));
    assertEquals(2, second.created().size());
    assertNull(second.createsDeferredFor(), "nothing is left over");
    assertEquals(5, podsOf(set));
  }

  @Test
  void aBurstWithinTheBucketIsNotDeferred() {
    PodReconciler pods = reconciler(new CreateRateLimiter(500, 100, nanos::get));
    LabeledAppSet set = set("burst", 40);
    PodReconciler.Result result =
        pods.execute(set, plan(set), StampedTemplate.of(set, PodAdditions.NONE));
    assertEquals(40, result.created().size());
    assertNull(result.createsDeferredFor());
  }

  @Test
  void theBucketIsSharedBySets() {
    PodReconciler pods = reconciler(new CreateRateLimiter(4, 10, nanos::get));
    LabeledAppSet big = set("big", 100);
    LabeledAppSet small = set("small", 2);
    assertEquals(
        4,
        pods.execute(big, plan(big), StampedTemplate.of(big, PodAdditions.NONE)).created().size());
    PodReconciler.Result starved =
        pods.execute(small, plan(small), StampedTemplate.of(small, PodAdditions.NONE));
    assertEquals(0, starved.created().size());
    // the small set asks for 2 tokens, not a batch: back in 200 ms at 10/s
    assertEquals(Duration.ofMillis(200), starved.createsDeferredFor());
    nanos.addAndGet(Duration.ofMillis(200).toNanos());
    assertEquals(
        2,
        pods.execute(small, plan(small), StampedTemplate.of(small, PodAdditions.NONE))
            .created()
            .size());
  }
}

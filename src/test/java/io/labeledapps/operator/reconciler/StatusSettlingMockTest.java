package io.labeledapps.operator.reconciler;

import static io.labeledapps.operator.reconciler.TestPods.notReady;
import static io.labeledapps.operator.reconciler.TestPods.ready;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetStatus;
import io.labeledapps.operator.model.TestSets;
import io.labeledapps.operator.status.Conditions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Status stage's writes over a mock API server, on a clock the test moves: a change that only
 * moves counts waits up to {@link StatusSettling#SETTLE} for more, one that turns a condition is
 * written at once.
 */
@EnableKubernetesMockClient(crud = true)
class StatusSettlingMockTest {
  static KubernetesClient client;

  private final AtomicLong nanos = new AtomicLong();
  private final WrittenStatuses written = new WrittenStatuses();
  private UpdateStatus update;
  private LabeledAppSet set;

  @BeforeEach
  void setUp() {
    update = new UpdateStatus(new StatusWriter(client), written, new StatusSettling(nanos::get));
  }

  /** A set of 3 of its own for each test: the mock server outlives them. */
  private void create(String name) {
    set = client.resource(TestSets.web(name, 3)).create();
    assertTrue(Validate.check(StagesTest.observed(set, List.of(), List.of())).valid());
  }

  /** One pass over {@code pods}, as the reconciler runs it: against the status last written. */
  private UpdateControl<LabeledAppSet> pass(List<Pod> pods) {
    LabeledAppSet cached = client.resource(set).get();
    cached.setStatus(written.current(cached));
    Observed seen = StagesTest.observed(cached, pods, List.of());
    Validate.Verdict verdict = Validate.check(seen);
    Plan plan = Plan.of(seen, verdict, new ServiceReconciler(null, List.of()));
    Applied done = new Applied(null, null, null, false);
    LabeledAppSetStatus status = UpdateStatus.compute(seen, verdict, plan, done);
    return update.write(seen, verdict, plan, done, status, Duration.ofMinutes(10));
  }

  private LabeledAppSetStatus stored() {
    return client.resource(set).get().getStatus();
  }

  @Test
  void countsThatMoveWaitForMoreAndATurnedConditionIsWrittenAtOnce() {
    create("counts");
    pass(List.of(ready(set, 0), notReady(set, 1), notReady(set, 2)));
    assertEquals(1, stored().getReadyReplicas(), "a first status is written at once");

    UpdateControl<LabeledAppSet> held =
        pass(List.of(ready(set, 0), ready(set, 1), notReady(set, 2)));
    assertEquals(1, stored().getReadyReplicas(), "2 of 3 ready turns nothing: it waits");
    long delay = held.getScheduleDelay().orElseThrow();
    assertTrue(delay > 0 && delay <= StatusSettling.SETTLE.toMillis(), "looked at again: " + delay);

    nanos.addAndGet(Duration.ofMillis(600).toNanos());
    held = pass(List.of(ready(set, 0), ready(set, 1), notReady(set, 2)));
    assertEquals(1, stored().getReadyReplicas(), "still within the settle time");
    assertTrue(held.getScheduleDelay().orElseThrow() <= 400, "the wait does not start over");

    nanos.addAndGet(Duration.ofMillis(400).toNanos());
    pass(List.of(ready(set, 0), ready(set, 1), notReady(set, 2)));
    assertEquals(2, stored().getReadyReplicas(), "written once it waited the settle time");

    pass(List.of(ready(set, 0), ready(set, 1), ready(set, 2)));
    assertEquals(3, stored().getReadyReplicas(), "Ready turning True does not wait");
    assertEquals("True", Conditions.find(stored(), Conditions.READY).getStatus());
  }

  @Test
  void aWaitingChangeIsWrittenWithTheTurnThatFollowsIt() {
    create("turn");
    pass(List.of(notReady(set, 0), notReady(set, 1), notReady(set, 2)));
    pass(List.of(ready(set, 0), notReady(set, 1), notReady(set, 2)));
    assertEquals(0, stored().getReadyReplicas());

    pass(List.of(ready(set, 0), ready(set, 1), ready(set, 2)));
    assertEquals(3, stored().getReadyReplicas());

    nanos.addAndGet(Duration.ofSeconds(5).toNanos());
    UpdateControl<LabeledAppSet> idle = pass(List.of(ready(set, 0), ready(set, 1), ready(set, 2)));
    assertEquals(
        3, stored().getReadyReplicas(), "nothing left waiting: the write carried the counts");
    assertTrue(idle.getScheduleDelay().isEmpty(), "no pass scheduled for a settled status");
  }
}

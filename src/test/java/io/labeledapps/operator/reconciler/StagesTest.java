package io.labeledapps.operator.reconciler;

import static io.labeledapps.operator.reconciler.TestPods.ready;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetStatus;
import io.labeledapps.operator.conventions.ConventionsConfig;
import io.labeledapps.operator.model.TestSets;
import io.labeledapps.operator.status.Conditions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Each stage of a pass alone, over hand-made records: no client, no informer, no clock. */
class StagesTest {
  private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
  private static final ConventionsConfig PERMISSIVE = ConventionsConfig.permissive();
  private final ServiceReconciler services = new ServiceReconciler(null, List.of());

  private static Namespace namespace() {
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(TestSets.NAMESPACE)
        .withResourceVersion("1")
        .addToLabels("labeledapps.io/enabled", "true")
        .endMetadata()
        .build();
  }

  static Observed observed(LabeledAppSet set, List<Pod> pods, List<ResourceQuota> quotas) {
    return new Observed(
        set,
        NOW,
        namespace(),
        PERMISSIVE,
        pods,
        pods,
        PodExpectations.Pending.NONE,
        Optional.empty(),
        null,
        quotas,
        List.of(set),
        List.of(),
        Optional.empty());
  }

  private static LabeledAppSet invalid() {
    LabeledAppSet set = TestSets.web("web", 2);
    set.getSpec().getContainers().get(0).setImage("");
    return set;
  }

  /** What the Observe, Validate and Plan stages of one pass made. */
  private record Planned(Observed seen, Validate.Verdict verdict, Plan plan) {}

  /** The stages up to Plan over set web at {@code replicas}, only its slot 0 running and ready. */
  private Planned slotZeroReady(int replicas) {
    LabeledAppSet set = TestSets.web("web", replicas);
    Observed seen = observed(set, List.of(ready(set, 0)), List.of());
    Validate.Verdict verdict = Validate.check(seen);
    return new Planned(seen, verdict, Plan.of(seen, verdict, services));
  }

  @Test
  void planBuildsAndHashesTheTemplateOnceAndCreatesTheMissingSlots() {
    Planned pass = slotZeroReady(3);
    Plan plan = pass.plan();
    assertSame(
        pass.verdict().pods(), plan.template(), "the Validate stage's template, not a second one");
    assertEquals(List.of(1, 2), plan.pods().createSlots());
    assertEquals(
        pass.verdict().hash(),
        plan.template()
            .pod(1)
            .getMetadata()
            .getAnnotations()
            .get(io.labeledapps.operator.model.TemplateHash.ANNOTATION));
    assertTrue(plan.service().isEmpty(), "the set wants no Service");
  }

  @Test
  void aRefusedSpecPlansNothing() {
    LabeledAppSet set = invalid();
    Observed seen = observed(set, List.of(), List.of());
    Validate.Verdict verdict = Validate.check(seen);
    assertFalse(verdict.valid());
    assertEquals("InvalidSpec", verdict.problems().get(0).reason());
    assertSame(Plan.NOTHING, Plan.of(seen, verdict, services));
  }

  @Test
  void quotasTheCreatesWouldExceedAreConventionViolations() {
    LabeledAppSet set = TestSets.web("web", 3);
    ResourceQuota quota =
        new ResourceQuotaBuilder()
            .withNewMetadata()
            .withName("pods")
            .endMetadata()
            .withNewStatus()
            .addToHard("pods", new Quantity("2"))
            .addToUsed("pods", new Quantity("1"))
            .endStatus()
            .build();
    Observed seen = observed(set, List.of(), List.of(quota));
    Validate.Verdict verdict = Validate.check(seen);
    Validate.Verdict checked = Validate.quotas(seen, verdict, Plan.of(seen, verdict, services));
    assertEquals(
        List.of("QuotaExceeded"), checked.problems().stream().map(p -> p.reason()).toList());
    assertEquals("QuotaExceeded", checked.conventionViolations().get(0).rule());
  }

  @Test
  void applyWritesNothingForARefusedOrPausedSet() {
    // no client at all: a write would throw
    Apply apply =
        new Apply(null, new PodExpectations(java.time.Duration.ofSeconds(60)), Clock.systemUTC());
    Observed refused = observed(invalid(), List.of(), List.of());
    assertSame(
        Applied.NOTHING, apply.run(refused, Validate.check(refused), Plan.NOTHING, services, null));

    LabeledAppSet set = TestSets.web("web", 3);
    set.getMetadata().setAnnotations(Map.of(LabeledAppSetReconciler.PAUSED_ANNOTATION, "true"));
    Observed paused = observed(set, List.of(), List.of());
    Validate.Verdict verdict = Validate.check(paused);
    assertTrue(paused.paused());
    assertSame(
        Applied.NOTHING,
        apply.run(paused, verdict, Plan.of(paused, verdict, services), services, null));
  }

  @Test
  void statusCountsThePodsThisPassCreatedBeforeTheCacheShowsThem() {
    Planned pass = slotZeroReady(2);
    Pod created = pass.plan().template().pod(1);
    PodReconciler.Result result =
        new PodReconciler.Result(List.of(created), List.of(), List.of(), List.of(), null, null);
    Applied done = new Applied(null, null, result, true);

    LabeledAppSetStatus status =
        UpdateStatus.compute(pass.seen(), pass.verdict(), pass.plan(), done);

    assertEquals(2, status.getReplicas());
    assertEquals(1, status.getReadyReplicas());
    assertEquals("False", Conditions.find(status, Conditions.READY).getStatus());
    assertEquals(
        "WaitingForPods",
        Conditions.find(status, Conditions.PROGRESSING).getReason(),
        "replicas reached, one not ready");
  }

  @Test
  void statusOfARefusedSetCountsWhatRunsAndSaysWhy() {
    LabeledAppSet set = invalid();
    Observed seen = observed(set, List.of(ready(set, 0)), List.of());
    Validate.Verdict verdict = Validate.check(seen);

    LabeledAppSetStatus status = UpdateStatus.compute(seen, verdict, Plan.NOTHING, Applied.NOTHING);

    assertEquals(1, status.getReplicas());
    assertEquals("InvalidSpec", Conditions.find(status, Conditions.READY).getReason());
    assertNull(status.getLastProgressTime());
  }
}

package io.labeledapps.operator.status;

import static io.labeledapps.operator.reconciler.TestPods.ended;
import static io.labeledapps.operator.reconciler.TestPods.fresh;
import static io.labeledapps.operator.reconciler.TestPods.notReady;
import static io.labeledapps.operator.reconciler.TestPods.old;
import static io.labeledapps.operator.reconciler.TestPods.ready;
import static io.labeledapps.operator.reconciler.TestPods.withPhase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetStatus;
import io.labeledapps.operator.api.ServiceSpec;
import io.labeledapps.operator.model.DesiredService;
import io.labeledapps.operator.model.TestDesired;
import io.labeledapps.operator.model.TestSets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatusCalculatorTest {
  private static final String T1 = "2024-05-01T10:00:00Z";
  private static final String T2 = "2024-05-01T10:05:00Z";
  private static final String T3 = "2024-05-01T10:09:00Z";

  private static LabeledAppSet set(int replicas) {
    LabeledAppSet set = TestSets.web("web", replicas);
    set.getMetadata().setGeneration(7L);
    return set;
  }

  private static LabeledAppSet withService(int replicas, ServiceSpec.Type type) {
    LabeledAppSet set = set(replicas);
    set.getSpec().setService(TestSets.service(type, "http", "admin"));
    return set;
  }

  /** The Service as the API server returns it: cluster IP and node ports allocated. */
  private static Service allocated(LabeledAppSet set) {
    Service service = DesiredService.of(set).orElseThrow();
    service.getSpec().setClusterIP("10.96.12.34");
    if ("NodePort".equals(service.getSpec().getType())) {
      service.getSpec().getPorts().get(0).setNodePort(30080);
      service.getSpec().getPorts().get(1).setNodePort(31999);
    }
    return service;
  }

  private static StatusFacts observation(
      LabeledAppSet set,
      List<Pod> counted,
      Service service,
      List<Problem> problems,
      boolean pending) {
    return StatusFacts.of(counted, counted, TestDesired.templateHash(set))
        .withService(service)
        .withProblems(problems)
        .withPending(pending);
  }

  private static LabeledAppSetStatus compute(LabeledAppSet set, List<Pod> counted, String now) {
    return StatusCalculator.compute(
        set, observation(set, counted, null, List.of(), false), now, null);
  }

  /** The status computed with the set's Service present, allocated as the API server does. */
  private static LabeledAppSetStatus computeWithService(
      LabeledAppSet set, List<Pod> counted, String now) {
    return StatusCalculator.compute(
        set, observation(set, counted, allocated(set), List.of(), false), now, null);
  }

  private static void assertCondition(
      LabeledAppSetStatus status, String type, String expectedStatus, String reason) {
    Condition c = Conditions.find(status, type);
    assertNotNull(c, type + " missing from " + status.getConditions());
    assertEquals(expectedStatus, c.getStatus(), type + ".status");
    assertEquals(reason, c.getReason(), type + ".reason");
    assertEquals(
        status.getObservedGeneration(), c.getObservedGeneration(), type + ".observedGeneration");
    assertNotNull(c.getMessage());
  }

  @Test
  void convergedSet() {
    LabeledAppSet set = set(2);
    LabeledAppSetStatus status = compute(set, List.of(ready(set, 0), ready(set, 1)), T1);
    assertEquals(7L, status.getObservedGeneration());
    assertEquals(2, status.getReplicas());
    assertEquals(2, status.getReadyReplicas());
    assertEquals(2, status.getUpdatedReplicas());
    assertEquals(
        "app.kubernetes.io/instance=web,app.kubernetes.io/managed-by=labeledappset-operator",
        status.getSelector());
    assertEquals(
        Map.of("Pending", 0, "Running", 2, "Succeeded", 0, "Failed", 0, "Unknown", 0),
        status.getPodPhases());
    assertNull(status.getService());
    assertEquals(
        List.of("Ready", "Progressing"),
        status.getConditions().stream().map(Condition::getType).limit(2).toList());
    assertCondition(status, "Ready", "True", "AllPodsReady");
    assertCondition(status, "Progressing", "False", "Complete");
    assertEquals("2 of 2 pods ready", Conditions.find(status, "Ready").getMessage());
    status.getConditions().forEach(c -> assertEquals(T1, c.getLastTransitionTime()));
  }

  @Test
  void emptySetWithZeroReplicasIsReady() {
    LabeledAppSet set = set(0);
    LabeledAppSetStatus status = compute(set, List.of(), T1);
    assertEquals(0, status.getReplicas());
    assertCondition(status, "Ready", "True", "AllPodsReady");
    assertCondition(status, "Progressing", "False", "Complete");
  }

  @Test
  void podPhasesCountObservedPodsAndAlwaysListAllFive() {
    LabeledAppSet set = set(3);
    List<Pod> counted = List.of(ready(set, 0), notReady(set, 1), fresh(set, 2));
    List<Pod> observed =
        List.of(
            ready(set, 0),
            notReady(set, 1),
            fresh(set, 2),
            ended(set, 3, "Failed"),
            ended(set, 4, "Failed"),
            ended(set, 5, "Succeeded"),
            withPhase(ready(set, 6), "Unknown"),
            withPhase(ready(set, 7), "Evicted"));
    var o = StatusFacts.of(counted, observed, TestDesired.templateHash(set));
    LabeledAppSetStatus status = StatusCalculator.compute(set, o, T1, null);
    assertEquals(
        Map.of("Pending", 1, "Running", 2, "Succeeded", 1, "Failed", 2, "Unknown", 2),
        status.getPodPhases());
    assertEquals(
        3, status.getReplicas(), "replicas come from the counted pods, not the observed ones");
    assertEquals(1, status.getReadyReplicas());
  }

  @Test
  void podPhasesOfNoPodsAreAllZero() {
    LabeledAppSetStatus status = compute(set(1), List.of(), T1);
    assertEquals(
        Map.of("Pending", 0, "Running", 0, "Succeeded", 0, "Failed", 0, "Unknown", 0),
        status.getPodPhases());
  }

  /**
   * Pods for slots 0, 1, ... of {@code set}, one a kind: ready, notReady, or either with "old-"
   * before it (an older template).
   */
  private static List<Pod> pods(LabeledAppSet set, String kinds) {
    List<Pod> pods = new ArrayList<>();
    for (String kind : kinds.split(",")) {
      String k = kind.trim();
      int slot = pods.size();
      Pod pod = k.endsWith("notReady") ? notReady(set, slot) : ready(set, slot);
      pods.add(k.startsWith("old-") ? old(pod) : pod);
    }
    return pods;
  }

  /**
   * A set not yet converged: Ready is False (PodsNotReady) and Progressing True with the reason
   * that says why; an empty cell is not checked.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case                                      | replicas | pods                         | status.replicas | ready | updated | Progressing    | Ready message     | Progressing message
          updated replicas count only current template | 3 | old-ready, ready, old-notReady | 3 | 2 | 1 | RollingUpdate  |                   |
          rolling update with all pods ready          | 2        | old-ready, ready             |   |   |   | RollingUpdate  |                   | 1 of 2 pods run the current template
          scaling up                                  | 3        | ready                        |   |   |   | ScalingUp      | 1 of 3 pods ready | 1 of 3 pods exist
          scaling down                                | 1        | ready, ready                 | 2 |   |   | ScalingDown    |                   |
          waiting for pods to become ready            | 2        | ready, notReady              |   | 1 |   | WaitingForPods |                   |
          """)
  void notConvergedYet(
      String name,
      int replicas,
      String kinds,
      Integer statusReplicas,
      Integer readyReplicas,
      Integer updatedReplicas,
      String progressing,
      String readyMessage,
      String progressingMessage) {
    LabeledAppSet set = set(replicas);
    LabeledAppSetStatus status = compute(set, pods(set, kinds), T1);
    assertCondition(status, "Ready", "False", "PodsNotReady");
    assertCondition(status, "Progressing", "True", progressing);
    if (statusReplicas != null) {
      assertEquals(statusReplicas, status.getReplicas());
    }
    if (readyReplicas != null) {
      assertEquals(readyReplicas, status.getReadyReplicas());
    }
    if (updatedReplicas != null) {
      assertEquals(updatedReplicas, status.getUpdatedReplicas());
    }
    if (readyMessage != null) {
      assertEquals(readyMessage, Conditions.find(status, "Ready").getMessage());
    }
    if (progressingMessage != null) {
      assertEquals(progressingMessage, Conditions.find(status, "Progressing").getMessage());
    }
  }

  @Test
  void pendingCreatesOrDeletesKeepTheSetFromBeingReady() {
    LabeledAppSet set = set(2);
    var o = observation(set, List.of(ready(set, 0), ready(set, 1)), null, List.of(), true);
    LabeledAppSetStatus status = StatusCalculator.compute(set, o, T1, null);
    assertCondition(status, "Ready", "False", "PodsNotReady");
    assertEquals("True", Conditions.find(status, "Progressing").getStatus());
  }

  @Test
  void missingServiceKeepsTheSetFromBeingReady() {
    LabeledAppSet set = withService(1, ServiceSpec.Type.ClusterIP);
    LabeledAppSetStatus status = compute(set, List.of(ready(set, 0)), T1);
    assertCondition(status, "Ready", "False", "ServiceMissing");
    assertNull(status.getService());
  }

  @Test
  void clusterIpServiceStatus() {
    LabeledAppSet set = withService(1, ServiceSpec.Type.ClusterIP);
    LabeledAppSetStatus status = computeWithService(set, List.of(ready(set, 0)), T1);
    assertEquals("web", status.getService().getName());
    assertEquals("ClusterIP", status.getService().getType());
    assertEquals("10.96.12.34", status.getService().getClusterIP());
    assertNull(status.getService().getNodePorts());
    assertCondition(status, "Ready", "True", "AllPodsReady");
  }

  @Test
  void nodePortServiceStatusListsNodePortsInPortOrder() {
    LabeledAppSet set = withService(1, ServiceSpec.Type.NodePort);
    LabeledAppSetStatus status = computeWithService(set, List.of(ready(set, 0)), T1);
    assertEquals("NodePort", status.getService().getType());
    assertEquals(List.of(30080, 31999), status.getService().getNodePorts());
  }

  @Test
  void problemMakesBothConditionsFalseWithItsReason() {
    LabeledAppSet set = set(2);
    List<Problem> problems =
        List.of(
            new Problem("InvalidSpec", "spec is invalid: spec.containers[0].image: is required"),
            new Problem("ServiceConflict", "Service web already exists"));
    var o = observation(set, List.of(ready(set, 0), ready(set, 1)), null, problems, false);
    LabeledAppSetStatus status = StatusCalculator.compute(set, o, T1, null);
    assertCondition(status, "Ready", "False", "InvalidSpec");
    assertCondition(status, "Progressing", "False", "InvalidSpec");
    String message = Conditions.find(status, "Ready").getMessage();
    assertTrue(message.contains("spec.containers[0].image: is required"), message);
    assertTrue(message.contains("Service web already exists"), message);
    assertEquals(2, status.getReplicas(), "the counts still tell what runs");
    assertEquals(2, status.getReadyReplicas());
  }

  @Test
  void observedGenerationIsZeroWithoutGeneration() {
    LabeledAppSet set = set(1);
    set.getMetadata().setGeneration(null);
    LabeledAppSetStatus status = compute(set, List.of(ready(set, 0)), T1);
    assertEquals(0L, status.getObservedGeneration());
    assertEquals(0L, Conditions.find(status, "Ready").getObservedGeneration());
  }

  // lastTransitionTime and no-op detection

  @Test
  void identicalRecomputationIsTheSameAndKeepsTransitionTimes() {
    LabeledAppSet set = withService(2, ServiceSpec.Type.NodePort);
    List<Pod> pods = List.of(ready(set, 0), ready(set, 1));
    LabeledAppSetStatus first = computeWithService(set, pods, T1);
    set.setStatus(first);
    LabeledAppSetStatus second = computeWithService(set, pods, T2);
    assertTrue(StatusDiff.same(first, second), "a steady state must write nothing");
    second.getConditions().forEach(c -> assertEquals(T1, c.getLastTransitionTime(), c.getType()));
  }

  @Test
  void recomputationOnAStatusReadBackFromTheApiServerIsTheSame() {
    LabeledAppSet set = withService(2, ServiceSpec.Type.NodePort);
    List<Pod> pods = List.of(ready(set, 0), notReady(set, 1));
    LabeledAppSetStatus written = computeWithService(set, pods, T1);
    // the API server returns maps with sorted keys and no nulls
    written.setPodPhases(new TreeMap<>(written.getPodPhases()));
    set.setStatus(written);
    LabeledAppSet readBack =
        Serialization.unmarshal(Serialization.asJson(set), LabeledAppSet.class);
    LabeledAppSetStatus again =
        StatusCalculator.compute(
            readBack, observation(readBack, pods, allocated(set), List.of(), false), T2, null);
    assertTrue(
        StatusDiff.same(again, readBack.getStatus()),
        Serialization.asJson(again) + "\nvs\n" + Serialization.asJson(readBack.getStatus()));
  }

  @Test
  void transitionTimeMovesOnlyForTheConditionWhoseStatusChanged() {
    LabeledAppSet set = set(2);
    LabeledAppSetStatus converged = compute(set, List.of(ready(set, 0), ready(set, 1)), T1);
    set.setStatus(converged);
    // scaled up: Ready True -> False and Progressing False -> True
    set.getSpec().setReplicas(3);
    LabeledAppSetStatus scaling = compute(set, List.of(ready(set, 0), ready(set, 1)), T2);
    assertFalse(StatusDiff.same(converged, scaling));
    assertEquals(T2, Conditions.find(scaling, "Ready").getLastTransitionTime());
    assertEquals(T2, Conditions.find(scaling, "Progressing").getLastTransitionTime());
    set.setStatus(scaling);
    // a new pod exists but is not ready: both keep their status, with other reasons and messages
    LabeledAppSetStatus waiting =
        compute(set, List.of(ready(set, 0), ready(set, 1), notReady(set, 2)), T3);
    assertCondition(waiting, "Progressing", "True", "WaitingForPods");
    assertEquals(T2, Conditions.find(waiting, "Ready").getLastTransitionTime());
    assertEquals(T2, Conditions.find(waiting, "Progressing").getLastTransitionTime());
    assertFalse(StatusDiff.same(scaling, waiting), "reason and message changed, so the status did");
  }

  @Test
  void readyFlippingBackMovesItsTransitionTime() {
    LabeledAppSet set = set(1);
    set.setStatus(compute(set, List.of(notReady(set, 0)), T1));
    LabeledAppSetStatus ready = compute(set, List.of(ready(set, 0)), T2);
    assertEquals(T2, Conditions.find(ready, "Ready").getLastTransitionTime());
    assertEquals(T2, Conditions.find(ready, "Progressing").getLastTransitionTime());
  }

  @Test
  void differencesNameEachChangedFieldAndConditionByType() {
    LabeledAppSet set = set(2);
    LabeledAppSetStatus converged = compute(set, List.of(ready(set, 0), ready(set, 1)), T1);
    set.setStatus(converged);
    LabeledAppSetStatus oneNotReady = compute(set, List.of(ready(set, 0), notReady(set, 1)), T2);
    List<String> diff = StatusDiff.differences(converged, oneNotReady);
    assertTrue(diff.contains("readyReplicas: 2 -> 1"), diff.toString());
    assertTrue(diff.contains("conditions[Ready].status: \"True\" -> \"False\""), diff.toString());
    assertTrue(
        diff.contains("conditions[Ready].lastTransitionTime: \"" + T1 + "\" -> \"" + T2 + "\""),
        diff.toString());
    assertTrue(
        diff.stream()
            .noneMatch(d -> d.startsWith("observedGeneration") || d.startsWith("replicas:")),
        "unchanged fields are not listed: " + diff);
    assertEquals(List.of(), StatusDiff.differences(converged, converged));
    assertTrue(StatusDiff.differences(null, converged).contains("readyReplicas: (none) -> 2"));
  }

  @Test
  void sameComparesContent() {
    LabeledAppSet set = set(1);
    LabeledAppSetStatus a = compute(set, List.of(ready(set, 0)), T1);
    LabeledAppSetStatus b = compute(set, List.of(ready(set, 0)), T1);
    assertTrue(StatusDiff.same(a, b));
    b.setReadyReplicas(0);
    assertFalse(StatusDiff.same(a, b));
    assertFalse(StatusDiff.same(a, null));
    assertFalse(StatusDiff.same(null, a));
    assertTrue(StatusDiff.same(null, null));
    LabeledAppSetStatus c = compute(set, List.of(ready(set, 0)), T2);
    assertFalse(StatusDiff.same(a, c), "a moved lastTransitionTime is a change");
  }

  @Test
  void findReturnsNullWhenAbsent() {
    assertNull(Conditions.find(null, "Ready"));
    assertNull(Conditions.find(new LabeledAppSetStatus(), "Ready"));
    assertNull(Conditions.find(compute(set(1), List.of(), T1), "Available"));
  }
}

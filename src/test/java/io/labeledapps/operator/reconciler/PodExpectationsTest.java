package io.labeledapps.operator.reconciler;

import static io.labeledapps.operator.reconciler.TestPods.ready;
import static io.labeledapps.operator.reconciler.TestPods.terminating;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.TestSets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PodExpectationsTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  private static final String KEY = PodExpectations.key("apps", "web");
  private final PodExpectations expectations = new PodExpectations(Duration.ofSeconds(60));
  private final LabeledAppSet set = TestSets.web("web", 3);

  @Test
  void keyIsNamespaceSlashName() {
    assertEquals("apps/web", KEY);
  }

  @Test
  void nothingPendingForAnUnknownSet() {
    PodExpectations.Pending pending = expectations.pending(KEY, List.of(), T0);
    assertSame(PodExpectations.Pending.NONE, pending);
    assertFalse(pending.any());
  }

  @Test
  void createIsPendingUntilTheCacheShowsThePod() {
    expectations.expectCreate(KEY, "web-0", T0);
    expectations.expectCreate(KEY, "web-1", T0);
    PodExpectations.Pending pending = expectations.pending(KEY, List.of(), T0.plusSeconds(1));
    assertEquals(Set.of("web-0", "web-1"), pending.createNames());
    assertTrue(pending.any());
    assertEquals(
        Set.of("web-1"),
        expectations.pending(KEY, List.of(ready(set, 0)), T0.plusSeconds(2)).createNames());
  }

  @Test
  void createDeletedAgainBeforeTheCacheShowedItIsNoLongerPending() {
    expectations.expectCreate(KEY, "web-0", T0);
    expectations.observedGone(KEY, ready(set, 0));
    assertFalse(expectations.pending(KEY, List.of(), T0).any());
  }

  @Test
  void createsReadBeforeTheCacheStayPendingWhenThePodArrivesInBetween() {
    expectations.expectCreate(KEY, "web-0", T0);
    Set<String> creating = expectations.creating(KEY); // the reconcile, before reading its cache
    List<Pod> snapshot = List.of(); // its cache read, just before the pod arrives
    // the informer showing the pod meanwhile lowers nothing: only a cache that shows it does
    PodExpectations.Pending pending = expectations.pending(KEY, snapshot, T0);
    assertEquals(Set.of("web-0"), pending.createNames(), "otherwise web-0 would be created twice");
    assertEquals(Set.of("web-0"), pending.plusCreates(creating).createNames());
    assertSame(pending, pending.plusCreates(Set.of()));
    assertEquals(Set.of(), expectations.pending(KEY, List.of(ready(set, 0)), T0).createNames());
  }

  @Test
  void answeredCreateIsKnownUntilTheCacheShowsThePod() {
    Pod created = ready(set, 0);
    expectations.expectCreate(KEY, "web-0", T0);
    expectations.created(KEY, created);
    assertEquals(
        List.of(created),
        expectations.answered(KEY, T0),
        "the server's answer stands in for the cache");
    expectations.pending(KEY, List.of(), T0.plusSeconds(1));
    assertEquals(
        List.of(created), expectations.answered(KEY, T0.plusSeconds(1)), "still not in the cache");
    expectations.pending(KEY, List.of(created), T0.plusSeconds(2));
    assertEquals(
        List.of(), expectations.answered(KEY, T0.plusSeconds(2)), "the cache shows it now");
  }

  @Test
  void answerWithoutAnExpectationIsNotKept() {
    expectations.created(KEY, ready(set, 0));
    assertEquals(List.of(), expectations.answered(KEY, T0));
  }

  @Test
  void answeredCreateEndsWithItsExpectation() {
    Pod failed = ready(set, 0);
    Pod gone = ready(set, 1);
    Pod expired = ready(set, 2);
    for (Pod p : List.of(failed, gone, expired)) {
      expectations.expectCreate(KEY, p.getMetadata().getName(), T0);
      expectations.created(KEY, p);
    }
    expectations.createDone(KEY, "web-0");
    expectations.observedGone(KEY, gone);
    assertEquals(List.of(expired), expectations.answered(KEY, T0));
    assertEquals(
        List.of(),
        expectations.answered(KEY, T0.plusSeconds(61)),
        "the TTL bounds how long a pod is assumed to exist, also before a pass calls pending()");
    expectations.pending(KEY, List.of(), T0.plusSeconds(61));
    assertEquals(List.of(), expectations.answered(KEY, T0));
  }

  @Test
  void aLateDeleteOfThePodThatHadTheNameBeforeLeavesTheNewOneAlone() {
    Pod old = ready(set, 3);
    Pod renewed = ready(set, 3);
    renewed.getMetadata().setUid("uid-web-3-new");
    expectations.expectCreate(KEY, "web-3", T0);
    expectations.created(KEY, renewed);
    expectations.observedGone(KEY, old); // the delete event of the earlier web-3, handled late
    assertEquals(List.of(renewed), expectations.answered(KEY, T0), "web-3 exists: the new one");
    assertEquals(
        Set.of("web-3"),
        expectations.pending(KEY, List.of(), T0).createNames(),
        "otherwise web-3 would be created again (a 409)");
    expectations.observedGone(KEY, renewed);
    assertEquals(List.of(), expectations.answered(KEY, T0), "its own delete ends it");
  }

  @Test
  void deleteOfAnAnsweredPodTheCacheDoesNotShowYetStaysPending() {
    Pod created = ready(set, 0);
    expectations.expectCreate(KEY, "web-0", T0);
    expectations.created(KEY, created);
    expectations.expectDelete(KEY, created.getMetadata().getUid(), T0);
    assertEquals(
        Set.of(created.getMetadata().getUid()),
        expectations.pending(KEY, List.of(), T0).deleteUids(),
        "otherwise the pod would count again and another one be deleted in its place");
  }

  @Test
  void createThatFailedIsNoLongerPending() {
    expectations.expectCreate(KEY, "web-0", T0);
    expectations.createDone(KEY, "web-0");
    assertFalse(expectations.pending(KEY, List.of(), T0).any());
  }

  @Test
  void expectationsExpireAfterTheTtl() {
    Pod pod = ready(set, 1);
    expectations.expectCreate(KEY, "web-0", T0);
    expectations.expectDelete(KEY, pod.getMetadata().getUid(), T0);
    assertTrue(
        expectations.pending(KEY, List.of(pod), T0.plusSeconds(60)).any(),
        "not before the deadline");
    assertFalse(expectations.pending(KEY, List.of(pod), T0.plusSeconds(61)).any());
  }

  @Test
  void deleteIsPendingUntilThePodIsTerminatingOrGone() {
    Pod pod = ready(set, 0);
    String uid = pod.getMetadata().getUid();
    expectations.expectDelete(KEY, uid, T0);
    assertEquals(Set.of(uid), expectations.pending(KEY, List.of(pod), T0).deleteUids());
    assertEquals(
        Set.of(), expectations.pending(KEY, List.of(terminating(ready(set, 0))), T0).deleteUids());

    expectations.expectDelete(KEY, uid, T0);
    assertEquals(Set.of(), expectations.pending(KEY, List.of(), T0).deleteUids());
  }

  @Test
  void deleteIsLoweredByWhatTheCacheShowsNotByTheEvent() {
    Pod pod = ready(set, 0);
    expectations.expectDelete(KEY, pod.getMetadata().getUid(), T0);
    expectations.observedGone(KEY, pod);
    // the event may come before the cache a reconcile reads: while that cache still shows the pod
    // alive, counting it would delete another pod on a scale-down
    assertTrue(expectations.pending(KEY, List.of(pod), T0).any());
    assertFalse(expectations.pending(KEY, List.of(), T0).any());
  }

  @Test
  void deleteThatFailedIsNoLongerPending() {
    Pod pod = ready(set, 0);
    expectations.expectDelete(KEY, pod.getMetadata().getUid(), T0);
    expectations.deleteDone(KEY, pod.getMetadata().getUid());
    assertFalse(expectations.pending(KEY, List.of(pod), T0).any());
  }

  @Test
  void foreignNamesAreRememberedButAreNotPendingWork() {
    expectations.nameTakenByForeignPod(KEY, "web-0");
    PodExpectations.Pending pending =
        expectations.pending(KEY, List.of(), T0.plus(Duration.ofDays(1)));
    assertEquals(Set.of("web-0"), pending.foreignNames());
    assertFalse(pending.any());
  }

  @Test
  void setsAreKeptApartAndForgotten() {
    String other = PodExpectations.key("apps", "api");
    expectations.expectCreate(KEY, "web-0", T0);
    expectations.expectCreate(other, "api-0", T0);
    assertEquals(Set.of("web-0"), expectations.pending(KEY, List.of(), T0).createNames());
    expectations.forget(KEY);
    assertFalse(expectations.pending(KEY, List.of(), T0).any());
    assertEquals(Set.of("api-0"), expectations.pending(other, List.of(), T0).createNames());
  }
}

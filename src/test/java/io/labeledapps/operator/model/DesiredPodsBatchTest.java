package io.labeledapps.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.conventions.ConventionVerdict;
import io.labeledapps.operator.testkit.SetBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link DesiredPods#pods}: one template hash for a whole batch, the same pods as one by one. */
class DesiredPodsBatchTest {
  private static LabeledAppSet set() {
    return SetBuilder.set("web")
        .namespace("ns")
        .uid("uid-1")
        .replicas(6)
        .image("nginx")
        .noPorts()
        .spec("annotations: {team: a}")
        .build();
  }

  @Test
  void podsInABatchAreThePodsMadeOneByOne() {
    LabeledAppSet set = set();
    List<Integer> slots = List.of(0, 2, 5);
    List<?> oneByOne =
        slots.stream().map(s -> TestDesired.pod(set, s, ConventionVerdict.NONE)).toList();
    assertEquals(oneByOne, TestDesired.pods(set, slots, ConventionVerdict.NONE));
    assertEquals(
        List.of("web-0", "web-2", "web-5"),
        TestDesired.pods(set, slots, ConventionVerdict.NONE).stream()
            .map(p -> p.getMetadata().getName())
            .toList());
    assertTrue(
        TestDesired.pods(set, slots, ConventionVerdict.NONE).stream()
            .allMatch(
                p ->
                    TestDesired.templateHash(set)
                        .equals(p.getMetadata().getAnnotations().get(TemplateHash.ANNOTATION))));
  }

  @Test
  void noSlotsNoPods() {
    assertEquals(List.of(), TestDesired.pods(set(), List.of(), ConventionVerdict.NONE));
  }
}

package io.labeledapps.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labeledapps.operator.api.ContainerSpec;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetSpec;
import io.labeledapps.operator.conventions.ConventionVerdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link DesiredPods#pods}: one template hash for a whole batch, the same pods as one by one. */
class DesiredPodsBatchTest {
  private static LabeledAppSet set() {
    LabeledAppSet set = new LabeledAppSet();
    set.getMetadata().setName("web");
    set.getMetadata().setNamespace("ns");
    set.getMetadata().setUid("uid-1");
    LabeledAppSetSpec spec = new LabeledAppSetSpec();
    spec.setReplicas(6);
    spec.setLabels(Map.of("app", "web"));
    spec.setAnnotations(Map.of("team", "a"));
    ContainerSpec c = new ContainerSpec();
    c.setName("web");
    c.setImage("nginx");
    spec.setContainers(List.of(c));
    set.setSpec(spec);
    return set;
  }

  @Test
  void podsInABatchAreThePodsMadeOneByOne() {
    LabeledAppSet set = set();
    List<Integer> slots = List.of(0, 2, 5);
    List<?> oneByOne = slots.stream().map(s -> TestDesired.pod(set, s, ConventionVerdict.NONE)).toList();
    assertEquals(oneByOne, TestDesired.pods(set, slots, ConventionVerdict.NONE));
    assertEquals(List.of("web-0", "web-2", "web-5"), TestDesired.pods(set, slots, ConventionVerdict.NONE).stream()
        .map(p -> p.getMetadata().getName()).toList());
    assertTrue(TestDesired.pods(set, slots, ConventionVerdict.NONE).stream().allMatch(p ->
        TestDesired.templateHash(set).equals(p.getMetadata().getAnnotations().get(TemplateHash.ANNOTATION))));
  }

  @Test
  void noSlotsNoPods() {
    assertEquals(List.of(), TestDesired.pods(set(), List.of(), ConventionVerdict.NONE));
  }
}

package io.labeledapps.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labeledapps.operator.api.LabeledAppSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LabelsTest {
  private final LabeledAppSet set = TestSets.web("web", 2);

  @Test
  void selectorHoldsOnlyLabelsThatNeverChange() {
    assertEquals(
        Map.of(
            "app.kubernetes.io/instance", "web",
            "app.kubernetes.io/managed-by", "labeledappset-operator"),
        Labels.selector(set));
  }

  @Test
  void standardLabelsAreSelectorPlusName() {
    assertEquals(
        Map.of(
            "app.kubernetes.io/name", "web",
            "app.kubernetes.io/instance", "web",
            "app.kubernetes.io/managed-by", "labeledappset-operator"),
        Labels.standard(set));
    assertEquals(Set.copyOf(Labels.standard(set).keySet()), Labels.RESERVED);
  }

  @Test
  void podLabelsAreSpecLabelsPlusStandardOnesWhichWin() {
    set.getSpec().getLabels().put("app.kubernetes.io/instance", "not-web");
    set.getSpec().getLabels().put("team", "a");
    assertEquals(
        Map.of(
            "app", "web",
            "team", "a",
            "app.kubernetes.io/name", "web",
            "app.kubernetes.io/instance", "web",
            "app.kubernetes.io/managed-by", "labeledappset-operator"),
        Labels.pod(set));
  }

  @Test
  void podLabelsWithoutSpecLabels() {
    set.getSpec().setLabels(null);
    assertEquals(Labels.standard(set), Labels.pod(set));
  }

  @Test
  void specLabelsAreNotModified() {
    Labels.pod(set);
    assertEquals(Map.of("app", "web"), set.getSpec().getLabels());
  }

  @Test
  void selectorStringIsCommaSeparatedKeyValuePairs() {
    assertEquals(
        "app.kubernetes.io/instance=web,app.kubernetes.io/managed-by=labeledappset-operator",
        Labels.selectorString(set));
  }

  @Test
  void managedSelectorSelectsWhatTheOperatorMakes() {
    assertEquals("app.kubernetes.io/managed-by=labeledappset-operator", Labels.MANAGED_SELECTOR);
    String[] kv = Labels.MANAGED_SELECTOR.split("=");
    assertEquals(kv[1], Labels.pod(set).get(kv[0]));
  }

  @Test
  void matchesSelectorNeedsEverySelectorLabelWithItsValue() {
    assertTrue(Labels.matchesSelector(set, Labels.pod(set)));
    Map<String, String> extra = new HashMap<>(Labels.selector(set));
    extra.put("anything", "else");
    assertTrue(Labels.matchesSelector(set, extra));
    for (String key : List.of(Labels.INSTANCE, Labels.MANAGED_BY)) {
      Map<String, String> missing = new HashMap<>(Labels.pod(set));
      missing.remove(key);
      assertFalse(Labels.matchesSelector(set, missing), "without " + key);
      Map<String, String> other = new HashMap<>(Labels.pod(set));
      other.put(key, "other");
      assertFalse(Labels.matchesSelector(set, other), "other " + key);
    }
    assertFalse(Labels.matchesSelector(set, null));
    assertFalse(Labels.matchesSelector(set, Map.of()));
  }

  @Test
  void anotherSetsPodsDoNotMatch() {
    assertFalse(Labels.matchesSelector(set, Labels.pod(TestSets.web("web-2", 1))));
  }

  @Test
  void appNameLabelIsNotNeededToMatch() {
    Map<String, String> labels = new HashMap<>(Labels.pod(set));
    labels.remove(Labels.NAME);
    assertTrue(Labels.matchesSelector(set, labels));
  }
}

package io.labeledapps.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.labeledapps.operator.api.DisruptionBudget;
import io.labeledapps.operator.api.LabeledAppSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The PodDisruptionBudget of a set: named after it, owned by it, selecting only its pods, in either
 * version.
 */
class DesiredDisruptionBudgetTest {

  static LabeledAppSet set(Object maxUnavailable, Object minAvailable) {
    LabeledAppSet set = TestSets.web("shop", 3);
    set.getSpec().getLabels().put("app", "shared-by-two-sets");
    DisruptionBudget budget = new DisruptionBudget();
    budget.setMaxUnavailable(maxUnavailable == null ? null : new IntOrString(maxUnavailable));
    budget.setMinAvailable(minAvailable == null ? null : new IntOrString(minAvailable));
    set.getSpec().setDisruptionBudget(budget);
    return set;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(GenericKubernetesResource pdb) {
    return (Map<String, Object>) pdb.getAdditionalProperties().get("spec");
  }

  @Test
  void noBudgetWithoutSpecDisruptionBudget() {
    LabeledAppSet set = TestSets.web("shop", 3);
    assertTrue(DesiredDisruptionBudget.of(set, DesiredDisruptionBudget.V1).isEmpty());
  }

  @Test
  void selectsTheSetsPodsByTheSelectorLabelsOnly() {
    LabeledAppSet set = set(1, null);
    GenericKubernetesResource pdb =
        DesiredDisruptionBudget.of(set, DesiredDisruptionBudget.V1).orElseThrow();
    assertEquals("policy/v1", pdb.getApiVersion());
    assertEquals("PodDisruptionBudget", pdb.getKind());
    assertEquals("shop", pdb.getMetadata().getName());
    assertEquals(set.getMetadata().getNamespace(), pdb.getMetadata().getNamespace());
    assertEquals(Map.of("matchLabels", Labels.selector(set)), spec(pdb).get("selector"));
    assertFalse(
        spec(pdb).get("selector").toString().contains("shared-by-two-sets"),
        "not the user's labels");
    assertEquals(1, spec(pdb).get("maxUnavailable"));
    assertFalse(spec(pdb).containsKey("minAvailable"));
    assertEquals(Labels.standard(set), pdb.getMetadata().getLabels());
    assertEquals(
        DesiredPods.controllerReference(set), pdb.getMetadata().getOwnerReferences().get(0));
  }

  @Test
  void percentagesAndTheOlderVersionAreWrittenAsGiven() {
    GenericKubernetesResource pdb =
        DesiredDisruptionBudget.of(set(null, "50%"), DesiredDisruptionBudget.V1BETA1).orElseThrow();
    assertEquals("policy/v1beta1", pdb.getApiVersion());
    assertEquals("50%", spec(pdb).get("minAvailable"));
    assertFalse(spec(pdb).containsKey("maxUnavailable"));
  }
}

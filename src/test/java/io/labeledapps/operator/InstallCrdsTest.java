package io.labeledapps.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** How the CRD is installed on API servers that predate CEL validation rules. */
class InstallCrdsTest {
  private static final Path CRD = Path.of("crds/labeledappsets.labeledapps.io-v1.yml");

  @Test
  void serversBefore123DoNotKnowValidationRules() {
    assertFalse(LabeledAppSetOperator.knowsValidationRules("1.20"));
    assertFalse(LabeledAppSetOperator.knowsValidationRules("1.22+"));
    assertTrue(LabeledAppSetOperator.knowsValidationRules("1.23"));
    assertTrue(LabeledAppSetOperator.knowsValidationRules("1.31+"));
    assertTrue(LabeledAppSetOperator.knowsValidationRules("2.0"));
    assertTrue(LabeledAppSetOperator.knowsValidationRules(null), "unknown: keep the rules");
    assertTrue(LabeledAppSetOperator.knowsValidationRules("garbage"), "unknown: keep the rules");
  }

  @Test
  void strippingRemovesEveryRuleAndNothingElse() throws IOException {
    String yaml = Files.readString(CRD);
    long rules = yaml.lines().filter(l -> l.trim().startsWith("rule:")).count();
    assertTrue(rules > 10);
    CustomResourceDefinition crd = Serialization.unmarshal(yaml, CustomResourceDefinition.class);
    assertEquals(rules, LabeledAppSetOperator.withoutValidationRules(crd));
    String stripped = Serialization.asYaml(crd);
    assertFalse(stripped.contains("x-kubernetes-validations"), stripped);
    CustomResourceDefinition untouched = Serialization.unmarshal(yaml, CustomResourceDefinition.class);
    assertEquals(Serialization.asYaml(untouched).lines().filter(l -> l.contains("pattern:")).count(),
        stripped.lines().filter(l -> l.contains("pattern:")).count(), "schema patterns stay");
    assertEquals(0, LabeledAppSetOperator.withoutValidationRules(crd));
  }
}

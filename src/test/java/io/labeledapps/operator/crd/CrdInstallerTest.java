package io.labeledapps.operator.crd;

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
class CrdInstallerTest {
  private static final Path CRD = Path.of("crds/labeledappsets.labeledapps.io-v1.yml");

  @Test
  void serversBefore123DoNotKnowValidationRules() {
    assertFalse(CrdInstaller.knowsValidationRules("1.20"));
    assertFalse(CrdInstaller.knowsValidationRules("1.22+"));
    assertTrue(CrdInstaller.knowsValidationRules("1.23"));
    assertTrue(CrdInstaller.knowsValidationRules("1.31+"));
    assertTrue(CrdInstaller.knowsValidationRules("2.0"));
    assertTrue(CrdInstaller.knowsValidationRules(null), "unknown: keep the rules");
    assertTrue(CrdInstaller.knowsValidationRules("garbage"), "unknown: keep the rules");
  }

  @Test
  void strippingRemovesEveryRuleAndNothingElse() throws IOException {
    String yaml = Files.readString(CRD);
    long rules = yaml.lines().filter(l -> l.trim().startsWith("rule:")).count();
    assertTrue(rules > 10);
    CustomResourceDefinition crd = Serialization.unmarshal(yaml, CustomResourceDefinition.class);
    assertEquals(rules, CrdInstaller.withoutValidationRules(crd));
    String stripped = Serialization.asYaml(crd);
    assertFalse(stripped.contains("x-kubernetes-validations"), stripped);
    CustomResourceDefinition untouched =
        Serialization.unmarshal(yaml, CustomResourceDefinition.class);
    assertEquals(
        Serialization.asYaml(untouched).lines().filter(l -> l.contains("pattern:")).count(),
        stripped.lines().filter(l -> l.contains("pattern:")).count(),
        "schema patterns stay");
    assertEquals(0, CrdInstaller.withoutValidationRules(crd));
  }
}

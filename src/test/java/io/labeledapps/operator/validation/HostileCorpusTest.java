package io.labeledapps.operator.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.conventions.ConventionsConfig;
import io.labeledapps.operator.reconciler.Validate;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every regression the hostile-input tests found ({@code corpus/hostile}) passes the spec's own rules
 * and the CEL rules (that is why it reached the API server as a pod) and is refused by the Validate
 * stage, naming the field its header names.
 */
class HostileCorpusTest {
  static CrdRules crd;

  @org.junit.jupiter.api.BeforeAll
  static void load() throws java.io.IOException {
    crd = CrdRules.load(CrdRules.CRD);
  }

  static List<Corpus.Case> hostile() {
    return Corpus.hostile();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void theValidateStageRefusesItByField(Corpus.Case c) throws Exception {
    LabeledAppSet set = c.set().orElseThrow(() -> new AssertionError("the operator reads what 1.20 admits"));
    set.getMetadata().setNamespace("apps");
    assertEquals(List.of(), SpecValidator.validate(set), "the spec's own rules let it through");
    assertEquals(List.of(), crd.evaluate(c.object()), "no CEL rule refuses it");
    var namespace = new NamespaceBuilder().withNewMetadata().withName("apps").addToLabels("labeledapps.io/enabled", "true")
        .endMetadata().build();
    List<Violation> violations = Validate.check(set, namespace, new ConventionsConfig()).violations();
    for (String path : c.paths()) {
      assertTrue(violations.stream().anyMatch(v -> v.field().equals(path)), "names " + path + "; found " + violations);
    }
  }
}

package io.labeledapps.operator.validation;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.conventions.ConventionsConfig;
import io.labeledapps.operator.reconciler.Validate;
import io.labeledapps.operator.testkit.EnabledNamespace;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every regression the hostile-input tests found ({@code corpus/hostile}) reached the API server as
 * a pod when it was found; now the Validate stage refuses it, naming the field its header names
 * (the schema or a CEL rule may refuse it earlier too, on servers that run them).
 */
class HostileCorpusTest {
  static List<Corpus.Case> hostile() {
    return Corpus.hostile();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void theValidateStageRefusesItByField(Corpus.Case c) throws Exception {
    LabeledAppSet set =
        c.set().orElseThrow(() -> new AssertionError("the operator reads what 1.20 admits"));
    set.getMetadata().setNamespace("apps");
    var namespace = EnabledNamespace.named("apps");
    List<Violation> violations =
        Validate.check(set, namespace, new ConventionsConfig()).violations();
    for (String path : c.paths()) {
      assertTrue(
          violations.stream().anyMatch(v -> v.field().equals(path)),
          "names " + path + "; found " + violations);
    }
  }
}

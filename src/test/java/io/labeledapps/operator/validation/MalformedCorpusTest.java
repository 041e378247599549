package io.labeledapps.operator.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labeledapps.operator.api.LabeledAppSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator's own validation ({@link SpecValidator}) and the CRD's CEL rules agree on the whole
 * corpus: every malformed set is refused by the operator, naming the field its header names, and by
 * exactly the CEL rules the header names (or by none, where its header says CEL cannot check it);
 * every valid edge case passes both.
 */
class MalformedCorpusTest {
  private static final CrdRules RULES = CrdRules.generated();

  static List<Corpus.Case> malformed() {
    return Corpus.malformed();
  }

  static List<Corpus.Case> valid() {
    return Corpus.valid();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void theOperatorAndTheCelRulesRefuseIt(Corpus.Case c) {
    Optional<LabeledAppSet> set = c.set();
    if (c.expect() == Corpus.Expect.OPERATOR) {
      assertTrue(set.isPresent(), "the operator can read what the API server accepts");
    }
    // what the schema rejects, the operator refuses too when it can read it at all
    set.ifPresent(
        s -> {
          List<Violation> violations = SpecValidator.validate(s);
          for (String path : c.paths()) {
            assertTrue(
                violations.stream().anyMatch(v -> v.field().equals(path)),
                "SpecValidator names " + path + "; it found " + violations);
          }
        });
    if (c.expect() == Corpus.Expect.OPERATOR) {
      List<CrdRules.Failure> failures = RULES.evaluate(c.object());
      for (String message : c.cel()) {
        assertTrue(
            failures.stream().anyMatch(f -> f.rule().message().contains(message)),
            "a CEL rule rejects it with '" + message + "'; failures: " + failures);
      }
      List<CrdRules.Failure> unexpected =
          failures.stream()
              .filter(f -> c.cel().stream().noneMatch(m -> f.rule().message().contains(m)))
              .toList();
      assertEquals(List.of(), unexpected, "CEL rules the case does not name");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void theOperatorAndTheCelRulesAcceptIt(Corpus.Case c) {
    assertEquals(List.of(), SpecValidator.validate(c.set().orElseThrow()));
    assertEquals(List.of(), RULES.evaluate(c.object()));
  }

  @Test
  void theCorpusIsLargeEnoughAndItsNamesAreUnique() {
    List<Corpus.Case> cases = Corpus.malformed();
    assertTrue(cases.size() >= 40, "at least 40 malformed sets, got " + cases.size());
    assertTrue(cases.stream().anyMatch(c -> c.expect() == Corpus.Expect.SCHEMA));
    assertTrue(cases.stream().filter(c -> c.expect() == Corpus.Expect.OPERATOR).count() >= 20);
    Set<String> names = new HashSet<>();
    for (Corpus.Case c : cases) {
      assertTrue(names.add(c.name()), "duplicate name " + c.name());
    }
    for (Corpus.Case c : Corpus.valid()) {
      assertTrue(names.add(c.name()), "duplicate name " + c.name());
    }
  }
}

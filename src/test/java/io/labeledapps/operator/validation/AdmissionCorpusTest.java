package io.labeledapps.operator.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the API server refuses at admission, offline: the structural schema ({@link SchemaCheck})
 * refuses every {@code expect: schema} case of the corpus at the field its header names and nothing
 * else of the corpus or the examples; the CEL rules refuse the admission cases with exactly the
 * messages their headers name. {@code CrdAdmissionModernIT} proves the same on a real API server.
 */
class AdmissionCorpusTest {
  private static final CrdRules RULES = CrdRules.generated();

  static List<Corpus.Case> refused() {
    List<Corpus.Case> cases = new ArrayList<>(Corpus.malformed());
    cases.addAll(Corpus.admission());
    return cases;
  }

  static List<Corpus.Case> admission() {
    return Corpus.admission();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void theSchemaRefusesExactlyTheSchemaCases(Corpus.Case c) {
    List<String> problems = SchemaCheck.check(RULES.schema(), CrdRules.normalize(c.object()));
    if (c.expect() == Corpus.Expect.SCHEMA) {
      for (String path : c.paths()) {
        assertTrue(
            problems.stream().anyMatch(p -> p.startsWith(path + ": ")),
            "the schema names " + path + ": " + problems);
      }
    } else {
      assertEquals(
          List.of(), problems, "a 1.20 server must store it for the operator (or CEL) to refuse");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("admission")
  void theCelRulesRefuseTheAdmissionCasesTheyName(Corpus.Case c) {
    List<CrdRules.Failure> failures = RULES.evaluate(c.object());
    for (String message : c.cel()) {
      assertTrue(
          failures.stream().anyMatch(f -> f.rule().message().contains(message)),
          "a CEL rule rejects it with '" + message + "'; failures: " + failures);
    }
    if (c.expect() == Corpus.Expect.OPERATOR) {
      assertTrue(
          !c.cel().isEmpty(), "an admission case the schema admits must be one a CEL rule refuses");
      assertEquals(
          List.of(),
          failures.stream()
              .filter(f -> c.cel().stream().noneMatch(m -> f.rule().message().contains(m)))
              .toList(),
          "CEL rules the case does not name");
    }
  }

  static List<BoundaryCases.Case> boundary() {
    return BoundaryCases.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("boundary")
  void theBoundaryCasesAreRefusedWhereTheySay(BoundaryCases.Case c) {
    // as it is: 2^63 must not wrap around on its way to the check
    List<String> problems = SchemaCheck.check(RULES.schema(), c.object());
    List<CrdRules.Failure> failures = RULES.evaluate(c.object());
    if (c.expect() == Corpus.Expect.SCHEMA) {
      assertTrue(
          problems.stream().anyMatch(p -> p.startsWith(c.path() + ": ")),
          "the schema names "
              + c.path()
              + ": "
              + problems.stream().map(p -> p.substring(0, Math.min(p.length(), 200))).toList());
    } else {
      assertEquals(List.of(), problems);
      assertTrue(failures.stream().anyMatch(f -> f.rule().message().contains(c.cel())), c.cel());
    }
  }

  @Test
  void theValidCorpusAndTheExamplesPassTheSchema() throws IOException {
    for (Corpus.Case c : Corpus.valid()) {
      assertEquals(
          List.of(),
          SchemaCheck.check(RULES.schema(), CrdRules.normalize(c.object())),
          c.toString());
    }
    List<Path> examples;
    try (Stream<Path> files = Files.list(Path.of("deploy/examples"))) {
      examples = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(!examples.isEmpty());
    for (Path example : examples) {
      @SuppressWarnings("unchecked")
      Map<String, Object> object = Serialization.unmarshal(Files.readString(example), Map.class);
      assertEquals(
          List.of(),
          SchemaCheck.check(RULES.schema(), CrdRules.normalize(object)),
          example.toString());
    }
  }

  /** The check itself: it refuses what it must, so a silent pass above means something. */
  @Test
  void theCheckRefusesWhatTheServerRefuses() {
    Map<String, Object> set = Corpus.valid().get(0).object();
    assertEquals(List.of(), SchemaCheck.check(RULES.schema(), CrdRules.normalize(set)));
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) set.get("spec");
    spec.put("replicas", 2147483648L);
    spec.put("labels", Map.of("k", "v v"));
    List<String> problems = SchemaCheck.check(RULES.schema(), set);
    assertTrue(
        problems.stream().anyMatch(p -> p.startsWith("spec.replicas: should be less than")),
        problems.toString());
    assertTrue(
        problems.stream().anyMatch(p -> p.startsWith("spec.labels[k]: should match")),
        problems.toString());
  }

  @Test
  void namesAreUniqueAcrossTheCorpus() {
    Set<String> names = new HashSet<>();
    for (List<Corpus.Case> cases :
        List.of(Corpus.malformed(), Corpus.admission(), Corpus.valid())) {
      for (Corpus.Case c : cases) {
        assertTrue(names.add(c.name()), "duplicate name " + c.name());
      }
    }
    assertTrue(Corpus.admission().size() >= 20, "at least 20 admission cases");
  }
}

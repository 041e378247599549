package io.labeledapps.operator.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.api.LabeledAppSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CEL rules of the generated CRD in {@code crds/}, as an API server of 1.25 or later would run
 * them: they compile, the examples pass them, each rejects the corpus cases it exists for, and the
 * schema carries the bounds a real server needs to accept them.
 */
class CelRulesTest {
  private static final CrdRules RULES = CrdRules.generated();

  /**
   * Type-checked against the schema: a rule selecting a field the schema lacks does not compile.
   */
  @Test
  void everyRuleCompiles() {
    List<String> broken =
        RULES.rules().stream()
            .filter(r -> !r.compiles())
            .map(r -> r.location() + ": " + r.expression() + "\n" + r.errors())
            .toList();
    assertEquals(List.of(), broken);
    Set<String> locations = new LinkedHashSet<>();
    RULES.rules().forEach(r -> locations.add(r.location()));
    Set<String> expected =
        new java.util.HashSet<>(
            Set.of(
                "",
                "spec",
                "spec.service",
                "spec.service.ports[*]",
                "spec.updateStrategy",
                "spec.labels",
                "spec.annotations",
                "spec.nodeSelector",
                "spec.volumes[*]",
                "spec.disruptionBudget",
                "spec.service.annotations",
                "spec.topologySpreadConstraints[*].labelSelector.matchLabels"));
    for (String a : List.of("podAffinity", "podAntiAffinity")) {
      expected.addAll(
          List.of(
              "spec.affinity."
                  + a
                  + ".preferredDuringSchedulingIgnoredDuringExecution[*].podAffinityTerm.labelSelector.matchLabels",
              "spec.affinity."
                  + a
                  + ".requiredDuringSchedulingIgnoredDuringExecution[*].labelSelector.matchLabels"));
    }
    for (String c : List.of("spec.containers[*]", "spec.initContainers[*]")) {
      expected.addAll(
          List.of(
              c,
              c + ".ports[*].name",
              c + ".env[*]",
              c + ".env[*].valueFrom",
              c + ".resources.requests",
              c + ".resources.limits",
              c + ".envFrom[*]",
              c + ".lifecycle.postStart",
              c + ".lifecycle.preStop"));
    }
    assertEquals(expected, locations);
    RULES.rules().forEach(r -> assertNotNull(r.message(), r.expression()));
  }

  @Test
  void theTypeCheckKnowsTheSchema() {
    List<CrdRules.Step> spec = List.of(new CrdRules.Property("spec"));
    assertFalse(
        RULES
            .typeCheck(spec, "self.replicas >= 0 && self.containers.all(c, c.name != '')")
            .hasError());
    assertFalse(RULES.typeCheck(List.of(), "self.metadata.name.size() <= 52").hasError());
    assertTrue(RULES.typeCheck(spec, "has(self.nosuchfield)").hasError(), "an unknown field");
    assertTrue(
        RULES
            .typeCheck(spec, "self.containers.all(c, has(c.livenessProbe.nosuchhandler))")
            .hasError());
    assertTrue(RULES.typeCheck(spec, "self.replicas == 'one'").hasError(), "an int is no string");
  }

  @Test
  void everyExamplePassesEveryRuleAndTheOperator() throws IOException {
    List<Path> examples;
    try (Stream<Path> files = Files.list(Path.of("deploy/examples"))) {
      examples = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertFalse(examples.isEmpty());
    for (Path example : examples) {
      String yaml = Files.readString(example);
      @SuppressWarnings("unchecked")
      Map<String, Object> object = Serialization.unmarshal(yaml, Map.class);
      assertEquals(List.of(), RULES.evaluate(object), example.toString());
      assertEquals(
          List.of(),
          SpecValidator.validate(Serialization.unmarshal(yaml, LabeledAppSet.class)),
          example.toString());
    }
  }

  /** A rule that no case rejects could be a rule that rejects nothing. */
  @Test
  void everyRuleRejectsACorpusCaseThatNamesIt() {
    List<Corpus.Case> cases = new ArrayList<>(Corpus.malformed());
    cases.addAll(Corpus.admission());
    List<String> idle = new ArrayList<>();
    Set<String> messages = new LinkedHashSet<>();
    RULES.rules().forEach(r -> messages.add(r.message()));
    for (String message : messages) {
      boolean rejects =
          cases.stream()
              .filter(c -> c.cel().stream().anyMatch(message::contains))
              .anyMatch(
                  c ->
                      RULES.evaluate(c.object()).stream()
                          .anyMatch(f -> f.rule().message().equals(message)));
      if (!rejects) {
        idle.add(message);
      }
    }
    assertEquals(List.of(), idle, "rules that reject no corpus case naming them");
  }

  @Test
  void defaultsApplyBeforeTheRules() {
    // protocol defaults to TCP: a port without one clashes with the same port declared TCP
    Map<String, Object> set =
        Corpus.malformed().stream()
            .filter(c -> c.name().equals("o08-same-port-twice-in-one-container"))
            .findFirst()
            .orElseThrow()
            .object();
    assertFalse(RULES.evaluate(set).isEmpty());
    @SuppressWarnings("unchecked")
    var port =
        (Map<String, Object>)
            ((List<?>)
                    ((Map<?, ?>) ((List<?>) ((Map<?, ?>) set.get("spec")).get("containers")).get(0))
                        .get("ports"))
                .get(1);
    port.put("protocol", "UDP");
    assertEquals(List.of(), RULES.evaluate(set));
  }

  /**
   * A real API server estimates each rule's worst-case cost from maxItems and maxLength and refuses
   * a CRD whose rules could cost more than 10^7 each; without bounds it assumes a 3 MiB request's
   * worth of items. These are the lists the rules iterate and the strings they compare.
   */
  @Test
  void theListsAndStringsTheRulesUseAreBounded() {
    for (String c : List.of("spec.containers", "spec.initContainers")) {
      assertBound(c, "maxItems");
      assertBound(c + "[*].ports", "maxItems");
      assertBound(c + "[*].name", "maxLength");
      assertBound(c + "[*].ports[*].name", "maxLength");
      assertBound(c + "[*].ports[*].protocol", "maxLength");
    }
    for (String c : List.of("spec.containers", "spec.initContainers")) {
      assertBound(c + "[*].volumeMounts", "maxItems");
      assertBound(c + "[*].volumeMounts[*].name", "maxLength");
      assertBound(c + "[*].volumeMounts[*].mountPath", "maxLength");
    }
    assertBound("spec.volumes", "maxItems");
    assertBound("spec.volumes[*].name", "maxLength");
    assertBound("spec.service.ports", "maxItems");
    assertBound("spec.service.ports[*].name", "maxLength");
    assertBound("spec.service.ports[*].protocol", "maxLength");
    assertBound("spec.service.type", "maxLength");
    assertBound("spec.labels[*]", "maxLength");
    // the pairwise container port rules compare containers^2 * ports^2 pairs
    long containers = ((Number) RULES.node("spec.containers").get("maxItems")).longValue();
    long ports = ((Number) RULES.node("spec.containers[*].ports").get("maxItems")).longValue();
    assertTrue(
        containers * containers * ports * ports <= 100_000,
        "at most 10^5 port comparisons per rule, got " + containers * containers * ports * ports);
  }

  private static void assertBound(String path, String bound) {
    assertNotNull(RULES.node(path).get(bound), path + " has no " + bound);
  }
}

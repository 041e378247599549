package io.labeledapps.operator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.crd.CrdInstaller;
import io.labeledapps.operator.validation.Corpus;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The CRD's admission where CEL rules are enforced: an API server of Kubernetes 1.25 or later named
 * by {@code MODERN_KUBECONFIG} ({@code .ci/run} starts the 1.36 one of {@code
 * ../shared/controlplane-modern}; it serves CRDs only, so no operator runs here). The CRD in {@code
 * crds/} is applied as it is, which also proves that its rules fit the server's CEL cost budget (a
 * server refuses a CRD whose rules could cost too much). Then every set of the corpus and every
 * boundary case is created with a server-side dry run: each one the schema or a rule must refuse is
 * refused with the message a user should read (each message matched on its own), each the server
 * cannot judge (label key syntax) and each valid set and example is admitted.
 *
 * <p>Without {@code MODERN_KUBECONFIG} the class is skipped, and says so: the CI script decides
 * whether the variable is set.
 */
@EnabledIfEnvironmentVariable(
    named = "MODERN_KUBECONFIG",
    matches = ".*\\S.*",
    disabledReason =
        "MODERN_KUBECONFIG is not set: the CRD's CEL rules were NOT checked against an API server that enforces them")
class CrdAdmissionModernIT {
  /** Namespaces are not objects on a CRD-only server; any name will do. */
  private static final String NS = "crd-admission";

  static KubernetesClient client;

  @BeforeAll
  static void connect() throws IOException {
    String kubeconfig = System.getenv("MODERN_KUBECONFIG");
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(new File(kubeconfig)))
            .build();
    CrdInstaller.install(client, Path.of("crds"));
  }

  @AfterAll
  static void close() {
    if (client != null) {
      client.close();
    }
  }

  @Test
  void theServerKeepsEveryRuleOfTheCrd() throws IOException {
    var version = client.getKubernetesVersion();
    int minor = Integer.parseInt(version.getMinor().replaceAll("\\D", ""));
    assertTrue(minor >= 25, "a server that enforces CEL rules, got " + version.getGitVersion());
    CustomResourceDefinition local;
    try (var in = Files.newInputStream(Path.of("crds/labeledappsets.labeledapps.io-v1.yml"))) {
      local = Serialization.unmarshal(in, CustomResourceDefinition.class);
    }
    CustomResourceDefinition served =
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName(local.getMetadata().getName())
            .get();
    int rules = rules(local.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema());
    assertTrue(rules >= 40, "the CRD has its rules, got " + rules);
    assertEquals(
        rules, rules(served.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema()));
  }

  private static int rules(JSONSchemaProps node) {
    int n = node.getXKubernetesValidations() == null ? 0 : node.getXKubernetesValidations().size();
    if (node.getProperties() != null) {
      n += node.getProperties().values().stream().mapToInt(CrdAdmissionModernIT::rules).sum();
    }
    if (node.getItems() != null && node.getItems().getSchema() != null) {
      n += rules(node.getItems().getSchema());
    }
    if (node.getAdditionalProperties() != null
        && node.getAdditionalProperties().getSchema() != null) {
      n += rules(node.getAdditionalProperties().getSchema());
    }
    return n;
  }

  @Test
  void everyValidSetAndExampleIsAdmitted() throws IOException {
    List<String> wrong = new ArrayList<>();
    for (Corpus.Case c : Corpus.valid()) {
      Admission.Answer answer = Admission.dryRunCreate(client, NS, c.object());
      if (!answer.admitted()) {
        wrong.add(c + ": " + answer);
      }
    }
    List<Path> examples;
    try (Stream<Path> files = Files.list(Path.of("deploy/examples"))) {
      examples = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path example : examples) {
      @SuppressWarnings("unchecked")
      Map<String, Object> set = Serialization.unmarshal(Files.readString(example), Map.class);
      Admission.Answer answer = Admission.dryRunCreate(client, NS, set);
      if (!answer.admitted()) {
        wrong.add(example + ": " + answer);
      }
    }
    assertEquals(List.of(), wrong);
    assertTrue(Corpus.valid().size() + examples.size() >= 10);
  }

  @Test
  void everyMalformedSetIsRefusedWithEachMessageAUserShouldRead() {
    List<String> wrong = new ArrayList<>();
    int refused = 0;
    for (var entry : Admission.refusedSets()) {
      Admission.Verdict v = entry.getKey();
      Admission.Answer answer = Admission.dryRunCreate(client, NS, entry.getValue());
      boolean mustRefuse = v.expect() == Corpus.Expect.SCHEMA || !v.cel().isEmpty();
      if (!mustRefuse) {
        // a case whose header says no CEL rule can judge it: the operator's to refuse
        if (!answer.admitted()) {
          wrong.add(
              v.name()
                  + ": refused, though no rule can judge it: "
                  + Admission.brief(answer.message()));
        }
        continue;
      }
      wrong.addAll(Admission.refusalFaults(v, answer));
      if (answer.code() != 422) {
        continue;
      }
      refused++;
      // a set the schema refuses for a missing required field or a wrong type is not given to the
      // rules
      boolean rulesRan = !answer.message().contains("some validation rules were not checked");
      v.cel().stream()
          .filter(
              m ->
                  !answer.message().contains(m) && (v.expect() != Corpus.Expect.SCHEMA || rulesRan))
          .forEach(
              m ->
                  wrong.add(
                      v.name()
                          + ": the refusal lacks '"
                          + m
                          + "': "
                          + Admission.brief(answer.message())));
    }
    assertEquals(List.of(), wrong);
    assertTrue(refused >= 80, "refused sets checked: " + refused);
  }
}

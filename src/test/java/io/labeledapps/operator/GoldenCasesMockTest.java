package io.labeledapps.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.config.OperatorConfig;
import io.labeledapps.operator.testkit.Await;
import io.labeledapps.operator.testkit.MockOperator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden case folders under {@code src/test/resources/golden/<scenario>/}, run through the
 * production path: the real Operator, with the production conventions (or those of the case's
 * {@code in-config.yaml}), against fabric8's mock API server in CRUD mode, which plays the kubelet
 * (pods become Running and Ready) but not garbage collection or server-side apply.
 *
 * <p>A folder holds the inputs {@code in-namespace.yaml} (the Namespace), {@code in-set.yaml} (one
 * or more LabeledAppSets, {@code ---} between them) and optionally {@code in-config.yaml} (the
 * operator's configuration file, e.g. its {@code conventions:}), and the expected {@code
 * out-pods.yaml} (every pod of the namespace, by name), {@code out-service.yaml} (every Service, by
 * name) and {@code out-status.yaml} (the status of each set, by set name). Volatile fields (uid,
 * resourceVersion, timestamps, allocated IPs, the pod status the test itself wrote) are left out
 * before comparing. Any other file in a folder, or a folder missing one of these, fails the build:
 * a file nobody reads would pass for a test.
 *
 * <p>After a deliberate change of behaviour, regenerate the expected files with {@code mvn -o test
 * -Dtest=GoldenCasesMockTest -Dgolden.update=true} (or {@code GOLDEN_UPDATE=true}) and review the
 * diff: the files pin the template hash too, and a changed hash replaces every pod on upgrade.
 */
@EnableKubernetesMockClient(crud = true)
class GoldenCasesMockTest {
  static final Path ROOT = Path.of("src", "test", "resources", "golden");
  static final Set<String> REQUIRED =
      Set.of(
          "in-namespace.yaml",
          "in-set.yaml",
          "out-pods.yaml",
          "out-service.yaml",
          "out-status.yaml");
  static final Set<String> OPTIONAL = Set.of("in-config.yaml");
  private static final boolean UPDATE =
      Boolean.getBoolean("golden.update")
          || "true".equalsIgnoreCase(System.getenv("GOLDEN_UPDATE"));
  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static final ObjectMapper YAML =
      new ObjectMapper(
              YAMLFactory.builder()
                  .disable(
                      YAMLGenerator.Feature.WRITE_DOC_START_MARKER,
                      YAMLGenerator.Feature.SPLIT_LINES)
                  .enable(
                      YAMLGenerator.Feature.MINIMIZE_QUOTES,
                      YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                  .build())
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  static KubernetesClient client;
  static KubernetesMockServer server;

  /**
   * One operator per distinct {@code in-config.yaml}, watching the namespaces of every case that
   * shares it.
   */
  private static final Map<String, LabeledAppSetOperator> OPERATORS = new HashMap<>();

  @AfterAll
  static void stopOperators() {
    OPERATORS.values().forEach(LabeledAppSetOperator::close);
  }

  /**
   * The operator for the case in {@code dir}, started on first use (starting one per case costs
   * seconds each).
   */
  private static void operatorFor(Path dir) throws IOException {
    String configYaml = configYaml(dir);
    if (OPERATORS.containsKey(configYaml)) {
      return;
    }
    List<String> namespaces = new ArrayList<>();
    for (String name : cases().toList()) {
      if (configYaml(ROOT.resolve(name)).equals(configYaml)) {
        namespaces.add(namespace(ROOT.resolve(name)).getMetadata().getName());
      }
    }
    OperatorConfig config =
        configYaml.isBlank()
            ? new OperatorConfig()
            : YAML.readValue(configYaml, OperatorConfig.class);
    config = config == null ? new OperatorConfig() : config;
    config.watchNamespaces = namespaces;
    OPERATORS.put(configYaml, MockOperator.start(client, config));
  }

  private static String configYaml(Path dir) throws IOException {
    Path file = dir.resolve("in-config.yaml");
    return Files.exists(file) ? Files.readString(file) : "";
  }

  private static Namespace namespace(Path dir) throws IOException {
    return Serialization.unmarshal(
        Files.readString(dir.resolve("in-namespace.yaml")), Namespace.class);
  }

  static Stream<String> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(ROOT)) {
      return dirs
          .filter(Files::isDirectory)
          .map(d -> d.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  /** Every folder has exactly the files the test reads: none missing, none unused. */
  @Test
  void everyCaseFolderHoldsExactlyTheFilesTheTestReads() throws IOException {
    List<String> problems = new ArrayList<>();
    try (Stream<Path> entries = Files.list(ROOT)) {
      for (Path entry : entries.sorted().toList()) {
        if (!Files.isDirectory(entry)) {
          problems.add(entry.getFileName() + ": not a case folder");
          continue;
        }
        problems.addAll(folderProblems(entry));
      }
    }
    assertTrue(
        problems.isEmpty(),
        "golden case folders under " + ROOT + ":\n" + String.join("\n", problems));
    assertTrue(
        cases().count() >= 6, "expected at least six golden cases under " + ROOT.toAbsolutePath());
  }

  @Test
  void theFolderCheckCatchesAnUnusedAndAMissingFile() throws IOException {
    Path dir = Files.createTempDirectory("golden-check");
    for (String name : REQUIRED) {
      Files.writeString(dir.resolve(name), "{}");
    }
    assertEquals(List.of(), folderProblems(dir));
    Files.writeString(dir.resolve("out-pod.yaml"), "{}");
    Files.delete(dir.resolve("out-status.yaml"));
    assertEquals(
        List.of(
            "golden-check: missing out-status.yaml",
            "golden-check: out-pod.yaml is not read by the test"),
        folderProblems(dir).stream()
            .map(p -> p.replaceFirst("^golden-check\\d*", "golden-check"))
            .toList());
  }

  static List<String> folderProblems(Path dir) throws IOException {
    Set<String> present = new TreeSet<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(f -> present.add(f.getFileName().toString()));
    }
    List<String> problems = new ArrayList<>();
    for (String name : new TreeSet<>(REQUIRED)) {
      if (!present.contains(name)) {
        problems.add(dir.getFileName() + ": missing " + name);
      }
    }
    for (String name : present) {
      if (!REQUIRED.contains(name) && !OPTIONAL.contains(name)) {
        problems.add(dir.getFileName() + ": " + name + " is not read by the test");
      }
    }
    return problems;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theOperatorTurnsTheInputsIntoTheExpectedObjects(String name) throws IOException {
    Path dir = ROOT.resolve(name);
    assertEquals(List.of(), folderProblems(dir));
    Namespace namespace = namespace(dir);
    String ns = namespace.getMetadata().getName();
    client.namespaces().resource(namespace).create();
    MockDryRun.accept(server, ns);
    operatorFor(dir);
    List<String> sets = new ArrayList<>();
    for (String doc : Files.readString(dir.resolve("in-set.yaml")).split("(?m)^---\\s*$")) {
      if (doc.isBlank() || doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
        continue;
      }
      LabeledAppSet set = Serialization.unmarshal(doc, LabeledAppSet.class);
      set.getMetadata().setNamespace(ns);
      sets.add(client.resource(set).create().getMetadata().getName());
    }
    assertFalse(sets.isEmpty(), name + "/in-set.yaml holds no set");

    Map<String, Path> outputs =
        Map.of(
            "pods",
            dir.resolve("out-pods.yaml"),
            "service",
            dir.resolve("out-service.yaml"),
            "status",
            dir.resolve("out-status.yaml"));
    if (UPDATE) {
      Await.until(
          name + ": every set observed and settled",
          SETTLE,
          () -> settled(ns, sets),
          () -> actual(ns, sets).toString());
      for (Map.Entry<String, JsonNode> e : actual(ns, sets).entrySet()) {
        Files.writeString(
            outputs.get(e.getKey()),
            "# generated by GoldenCasesMockTest with -Dgolden.update=true; review the diff\n"
                + YAML.writeValueAsString(e.getValue()));
      }
    }
    Map<String, JsonNode> expected = new TreeMap<>();
    for (Map.Entry<String, Path> e : outputs.entrySet()) {
      JsonNode tree = Serialization.yamlMapper().readTree(Files.readString(e.getValue()));
      expected.put(
          e.getKey(), tree == null || tree.isMissingNode() ? YAML.createArrayNode() : tree);
    }
    Await.until(
        name + ": pods, Service and status as in " + dir,
        SETTLE,
        () -> canonical(expected).equals(canonical(actual(ns, sets))),
        () -> "expected:\n" + canonical(expected) + "\nactual:\n" + canonical(actual(ns, sets)));
  }

  /** Every set's status is for its generation, and it is Ready or has stopped progressing. */
  private static boolean settled(String ns, List<String> sets) {
    MockKubelet.runPods(client, ns);
    for (String name : sets) {
      LabeledAppSet set =
          client.resources(LabeledAppSet.class).inNamespace(ns).withName(name).get();
      if (set.getStatus() == null
          || !Objects.equals(
              set.getStatus().getObservedGeneration(), set.getMetadata().getGeneration())) {
        return false;
      }
      List<Condition> conditions =
          Objects.requireNonNullElse(set.getStatus().getConditions(), List.of());
      boolean ready =
          conditions.stream()
              .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      boolean stopped =
          conditions.stream()
              .anyMatch(c -> "Progressing".equals(c.getType()) && "False".equals(c.getStatus()));
      if (!ready && !stopped) {
        return false;
      }
    }
    return true;
  }

  /** What the operator made, without volatile fields; plays the kubelet first. */
  private static Map<String, JsonNode> actual(String ns, List<String> sets) {
    MockKubelet.runPods(client, ns);
    ArrayNode pods = YAML.createArrayNode();
    client.pods().inNamespace(ns).list().getItems().stream()
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .forEach(p -> pods.add(normalised(p, true)));
    ArrayNode services = YAML.createArrayNode();
    client.services().inNamespace(ns).list().getItems().stream()
        .sorted(Comparator.comparing(s -> s.getMetadata().getName()))
        .forEach(s -> services.add(normalised(s, false)));
    ObjectNode status = YAML.createObjectNode();
    for (String name : new TreeSet<>(sets)) {
      LabeledAppSet set =
          client.resources(LabeledAppSet.class).inNamespace(ns).withName(name).get();
      JsonNode s =
          set == null || set.getStatus() == null
              ? YAML.nullNode()
              : Serialization.jsonMapper().valueToTree(set.getStatus());
      if (s instanceof ObjectNode o) {
        o.remove("lastProgressTime");
        o.withArray("conditions").forEach(c -> ((ObjectNode) c).remove("lastTransitionTime"));
      }
      status.set(name, s);
    }
    return Map.of("pods", pods, "service", services, "status", status);
  }

  private static JsonNode normalised(Object object, boolean isPod) {
    ObjectNode tree = Serialization.jsonMapper().valueToTree(object);
    ObjectNode meta = (ObjectNode) tree.get("metadata");
    for (String volatileField :
        List.of("uid", "resourceVersion", "creationTimestamp", "managedFields", "generation")) {
      meta.remove(volatileField);
    }
    // a shared Service's owners are listed in the order the sets joined it, which the test does not
    // fix
    List<JsonNode> owners = new ArrayList<>();
    meta.withArray("ownerReferences").forEach(o -> owners.add(((ObjectNode) o).without("uid")));
    owners.sort(Comparator.comparing(o -> o.path("name").asText()));
    meta.remove("ownerReferences");
    if (!owners.isEmpty()) {
      meta.putArray("ownerReferences").addAll(owners);
    }
    if (isPod) {
      // written by this test playing the kubelet, not by the operator
      tree.remove("status");
      ((ObjectNode) tree.get("spec")).remove("nodeName");
    } else {
      ObjectNode spec = (ObjectNode) tree.get("spec");
      spec.remove(List.of("clusterIP", "clusterIPs"));
      if (tree.path("status").isEmpty() || tree.path("status").path("loadBalancer").isEmpty()) {
        tree.remove("status");
      }
    }
    return tree;
  }

  private static String canonical(Object tree) {
    try {
      return YAML.writeValueAsString(YAML.treeToValue(YAML.valueToTree(tree), Object.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void caseNamesAreNotReusedAsNamespaces() throws IOException {
    Set<String> namespaces = new TreeSet<>();
    for (String name : cases().toList()) {
      Namespace n = namespace(ROOT.resolve(name));
      if (!namespaces.add(n.getMetadata().getName())) {
        fail(
            "namespace "
                + n.getMetadata().getName()
                + " is used by two golden cases; each needs its own");
      }
    }
  }
}

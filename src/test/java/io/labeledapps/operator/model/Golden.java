package io.labeledapps.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Golden files under {@code src/test/resources/model}: {@code in-<case>.yaml} is a LabeledAppSet,
 * {@code out-<case>-<kind>.yaml} what the model makes of it. Compared as trees (key order and
 * quoting do not matter), shown as canonical YAML so a failure reads as a diff.
 *
 * <p>After a deliberate change, regenerate with {@code mvn test -Dgolden.update=true} and review
 * the diff: the files pin the template hash too, and a changed hash replaces every pod on upgrade.
 */
final class Golden {
  static final Path DIR = Path.of("src", "test", "resources", "model");
  private static final boolean UPDATE = Boolean.getBoolean("golden.update");
  private static final ObjectMapper CANONICAL =
      new ObjectMapper(new YAMLFactory())
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private Golden() {}

  /** The case names, {@code <case>} of every {@code in-<case>.yaml}. */
  static List<String> cases() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      List<String> cases =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.startsWith("in-") && n.endsWith(".yaml"))
              .map(n -> n.substring("in-".length(), n.length() - ".yaml".length()))
              .sorted()
              .toList();
      assertTrue(cases.size() >= 3, "golden inputs missing from " + DIR.toAbsolutePath());
      return cases;
    }
  }

  static Path in(String name) {
    return DIR.resolve("in-" + name + ".yaml");
  }

  static Path out(String name, String kind) {
    return DIR.resolve("out-" + name + "-" + kind + ".yaml");
  }

  static void assertMatches(Path expectedFile, Object actual) {
    try {
      if (UPDATE) {
        Files.writeString(expectedFile, Serialization.asYaml(actual));
      }
      JsonNode expected = Serialization.yamlMapper().readTree(Files.readString(expectedFile));
      JsonNode got = Serialization.jsonMapper().valueToTree(actual);
      assertEquals(canonical(expected), canonical(got), "differs from " + expectedFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String canonical(JsonNode tree) throws IOException {
    return CANONICAL.writeValueAsString(CANONICAL.treeToValue(tree, Object.class));
  }
}

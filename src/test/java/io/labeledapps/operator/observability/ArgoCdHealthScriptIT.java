package io.labeledapps.operator.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs deploy/monitoring/argocd-health.lua with a real Lua interpreter (Debian package lua5.4), the
 * way Argo CD does: the LabeledAppSet as the global {@code obj}, the script's {@code hs} as the
 * answer. One case per file under src/test/resources/monitoring/argocd-health/, whose name starts
 * with the expected health. An IT, not a unit test, because it needs that interpreter; it fails,
 * not skips, when the interpreter is missing.
 */
class ArgoCdHealthScriptIT {
  static final Path SCRIPT = Path.of("deploy/monitoring/argocd-health.lua");
  static final Path CASES = Path.of("src/test/resources/monitoring/argocd-health");
  static final Set<String> ARGO_HEALTH =
      Set.of("Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static String lua;

  @TempDir static Path tmp;

  @BeforeAll
  static void findLua() {
    lua =
        Stream.of("lua5.4", "lua")
            .filter(ArgoCdHealthScriptIT::onPath)
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "no Lua interpreter (lua5.4 or lua) on PATH: install it (Debian/Ubuntu: apt-get install lua5.4)"));
  }

  private static boolean onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  /** What the script answered: Argo CD's {@code hs.status} and {@code hs.message}. */
  record Health(String status, String message) {}

  static Health run(JsonNode object) throws IOException, InterruptedException {
    Path harness = Files.createTempFile(tmp, "harness", ".lua");
    Files.writeString(
        harness,
        """
        obj = %s
        local check = assert(loadfile(%s))
        local hs = check()
        io.write(tostring(hs.status), "\\n", tostring(hs.message), "\\n")
        """
            .formatted(toLua(object, ""), luaString(SCRIPT.toAbsolutePath().toString())));
    Process process = new ProcessBuilder(lua, harness.toString()).redirectErrorStream(true).start();
    String out;
    try (var in = process.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("lua did not finish in 30 s");
    }
    assertEquals(0, process.exitValue(), "lua failed:\n" + out);
    String[] lines = out.split("\n", -1);
    return new Health(lines[0], lines.length > 1 ? lines[1] : "");
  }

  /**
   * A Lua table constructor for a JSON tree, as Argo CD decodes it: arrays are 1-based sequences,
   * null is nil.
   */
  static String toLua(JsonNode node, String indent) {
    if (node.isObject()) {
      List<String> fields = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!field.getValue().isNull()) {
          fields.add(
              indent
                  + "  ["
                  + luaString(field.getKey())
                  + "] = "
                  + toLua(field.getValue(), indent + "  "));
        }
      }
      return fields.isEmpty() ? "{}" : "{\n" + String.join(",\n", fields) + "\n" + indent + "}";
    }
    if (node.isArray()) {
      List<String> items = new ArrayList<>();
      node.forEach(item -> items.add(indent + "  " + toLua(item, indent + "  ")));
      return items.isEmpty() ? "{}" : "{\n" + String.join(",\n", items) + "\n" + indent + "}";
    }
    if (node.isNumber() || node.isBoolean()) {
      return node.asText();
    }
    return luaString(node.asText());
  }

  static String luaString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '"' -> b.append("\\\"");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\%03d", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  @TestFactory
  Stream<DynamicTest> eachSampleSetGetsTheHealthItsFileNameSays() throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(CASES)) {
      files = list.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(files.size() >= 10, "the sample sets are in " + CASES);
    return files.stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getFileName().toString(),
                    () -> {
                      String name = file.getFileName().toString();
                      String expected =
                          Character.toUpperCase(name.charAt(0))
                              + name.substring(1, name.indexOf('-'));
                      assertTrue(
                          ARGO_HEALTH.contains(expected),
                          name + " must start with an Argo CD health status");
                      JsonNode set = YAML.readTree(file.toFile());
                      Health health = run(set);
                      assertEquals(expected, health.status(), name + ": " + health);
                      assertFalse(
                          health.message().isBlank() || health.message().equals("nil"),
                          name + " explains itself: " + health);
                      if (!expected.equals("Progressing")) {
                        // the message a user sees in Argo CD is the condition's own message
                        List<String> messages = new ArrayList<>();
                        set.path("status")
                            .path("conditions")
                            .forEach(c -> messages.add(c.path("message").asText()));
                        assertTrue(
                            messages.contains(health.message()),
                            name + ": message from a condition, got " + health);
                      }
                    }));
  }

  @Test
  void everyHealthTheScriptCanAnswerIsCovered() throws IOException {
    Set<String> covered;
    try (Stream<Path> list = Files.list(CASES)) {
      covered =
          list.map(p -> p.getFileName().toString())
              .map(n -> n.substring(0, n.indexOf('-')))
              .collect(java.util.stream.Collectors.toSet());
    }
    assertEquals(Set.of("healthy", "progressing", "degraded", "suspended"), covered);
  }

  @Test
  void handlesValuesThatNeedEscaping() throws IOException, InterruptedException {
    JsonNode set =
        YAML.readTree(
            """
        metadata: {name: web, generation: 1}
        status:
          observedGeneration: 1
          conditions:
            - {type: Ready, status: "True", reason: AllPodsReady, message: "quote \\" backslash \\\\ done"}
        """);
    assertEquals(new Health("Healthy", "quote \" backslash \\ done"), run(set));
  }
}

package io.labeledapps.operator.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a run found: every figure by section (the JSON in target/bench/) and the table's rows
 * (printed, and written to bench-latest.md).
 */
final class Report {
  private final Map<String, Object> results = new LinkedHashMap<>();
  private final List<String[]> rows = new ArrayList<>();

  /** A top-level figure of the run. */
  void put(String key, Object value) {
    results.put(key, value);
  }

  Object get(String key) {
    return results.get(key);
  }

  /** A new section of the JSON, for one scenario's figures. */
  Map<String, Object> section(String name) {
    Map<String, Object> m = new LinkedHashMap<>();
    results.put(name, m);
    return m;
  }

  void row(String scenario, String measure, String value, String target, String verdict) {
    rows.add(new String[] {scenario, measure, value, target, verdict});
  }

  /** Prints the table and writes it with every figure to {@code out}. */
  void write(Path out, List<String> operatorJvm) throws IOException {
    Map<?, ?> machine = (Map<?, ?>) results.get("machine");
    StringBuilder t = new StringBuilder();
    t.append(
        String.format(
            Locale.ROOT,
            "%nMachine: %s, %s cores, %s; Java %s; Kubernetes %s%n",
            machine.get("cpu"),
            machine.get("cores"),
            machine.get("memory"),
            machine.get("java"),
            machine.get("kubernetes")));
    t.append(
        String.format(
            Locale.ROOT,
            "Load average (1/5/15 min): %s before, %s after; operator JVM: %s%n%n",
            results.get("loadBefore"),
            results.get("loadAfter"),
            String.join(" ", operatorJvm)));
    t.append("| Scenario | Measure | Result | Target | |\n|---|---|---|---|---|\n");
    for (String[] r : rows) {
      t.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    System.out.println(t);
    Path json =
        out.resolve(
            "bench-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + ".json");
    results.put("table", rows.stream().map(Arrays::asList).toList());
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(json.toFile(), results);
    Files.writeString(out.resolve("bench-latest.md"), t.toString());
    System.out.println("Written: " + json);
  }

  /** A progress line on standard output. */
  static void say(String format, Object... args) {
    System.out.printf(
        Locale.ROOT,
        "[bench %s] %s%n",
        LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")),
        String.format(Locale.ROOT, format, args));
  }
}

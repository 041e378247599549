package io.labeledapps.operator.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what deploy/monitoring/ ships, for the tests: the dashboard's queries and the alert rules.
 */
public final class MonitoringFiles {
  public static final Path DIR = Path.of("deploy/monitoring");
  public static final Path DASHBOARD = DIR.resolve("grafana-dashboard.json");
  public static final Path RULES = DIR.resolve("alerts.rules.yaml");
  public static final Path PROMETHEUS_RULE = DIR.resolve("alerts.yaml");
  public static final Path SERVICE_MONITOR = DIR.resolve("servicemonitor.yaml");

  /** The scrape job's name: the ServiceMonitor names it after the metrics Service. */
  public static final String JOB = "labeledappset-operator-metrics";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** Series the operator exposes; {@code up} and the like come from Prometheus itself. */
  private static final Pattern OPERATOR_SERIES =
      Pattern.compile("\\b((?:labeledappset|operator_sdk|jvm|process|system)_[a-zA-Z0-9_]*)");

  private MonitoringFiles() {}

  /** One query of a dashboard panel. */
  public record PanelQuery(String panel, String refId, String expr) {
    @Override
    public String toString() {
      return "panel \"" + panel + "\" query " + refId + ": " + expr;
    }
  }

  public static JsonNode yaml(Path file) {
    try {
      return YAML.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode dashboard() {
    try {
      return JSON.readTree(DASHBOARD.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every panel, those inside collapsed rows too. */
  public static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> all = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      all.add(panel);
      panel.path("panels").forEach(all::add);
    }
    return all;
  }

  public static List<PanelQuery> dashboardQueries() {
    List<PanelQuery> queries = new ArrayList<>();
    for (JsonNode panel : panels(dashboard())) {
      for (JsonNode target : panel.path("targets")) {
        queries.add(
            new PanelQuery(
                panel.path("title").asText(),
                target.path("refId").asText(),
                target.path("expr").asText()));
      }
    }
    return queries;
  }

  /**
   * The templating variables of type query: name -> Grafana query (e.g. {@code label_values(...)}).
   */
  public static List<String[]> variableQueries() {
    List<String[]> vars = new ArrayList<>();
    for (JsonNode v : dashboard().path("templating").path("list")) {
      if (v.path("type").asText().equals("query")) {
        vars.add(new String[] {v.path("name").asText(), v.path("definition").asText()});
      }
    }
    return vars;
  }

  /** Every alert rule's expression in the plain rules file. */
  public static List<String> alertExprs() {
    List<String> exprs = new ArrayList<>();
    for (JsonNode group : yaml(RULES).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        exprs.add(rule.path("expr").asText());
      }
    }
    return exprs;
  }

  /**
   * The operator's series an expression names (labeledappset_*, operator_sdk_*, jvm_*, process_*,
   * system_*).
   */
  public static Set<String> operatorSeries(String expr) {
    Set<String> names = new TreeSet<>();
    Matcher m = OPERATOR_SERIES.matcher(expr);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}

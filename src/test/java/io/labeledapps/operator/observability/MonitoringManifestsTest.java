package io.labeledapps.operator.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/monitoring/ fits together: the PrometheusRule and the plain rules file hold the same
 * rules, the ServiceMonitor scrapes the metrics Service under the job name the alerts and the
 * dashboard use, and the dashboard is well formed. Whether the queries return data is
 * PrometheusIT's job; whether they name exposed series, MetricsEndpointMockTest's.
 */
class MonitoringManifestsTest {
  static final Path METRICS_SERVICE = Path.of("deploy/05-metrics-service.yaml");
  static final Path DEPLOYMENT = Path.of("deploy/04-deployment.yaml");

  @Test
  void prometheusRuleHoldsExactlyTheGroupsOfThePlainRulesFile() {
    JsonNode rule = MonitoringFiles.yaml(MonitoringFiles.PROMETHEUS_RULE);
    assertEquals("monitoring.coreos.com/v1", rule.path("apiVersion").asText());
    assertEquals("PrometheusRule", rule.path("kind").asText());
    assertEquals("labeledappset-system", rule.path("metadata").path("namespace").asText());
    JsonNode plain = MonitoringFiles.yaml(MonitoringFiles.RULES);
    assertEquals(Set.of("groups"), fieldNames(plain));
    assertEquals(Set.of("groups"), fieldNames(rule.path("spec")));
    assertEquals(
        plain.path("groups"),
        rule.path("spec").path("groups"),
        "alerts.yaml's spec.groups must equal alerts.rules.yaml's groups: edit both");
  }

  @Test
  void theRulesCoverTheIssuesAlerts() {
    Set<String> alerts = new HashSet<>();
    MonitoringFiles.yaml(MonitoringFiles.RULES)
        .path("groups")
        .forEach(
            g ->
                g.path("rules")
                    .forEach(
                        r -> {
                          alerts.add(r.path("alert").asText());
                          assertFalse(
                              r.path("labels").path("severity").asText().isEmpty(),
                              "severity on " + r.path("alert"));
                          assertFalse(
                              r.path("annotations").path("summary").asText().isEmpty(),
                              "summary on " + r.path("alert"));
                          assertFalse(
                              r.path("annotations").path("description").asText().isEmpty(),
                              "description on " + r.path("alert"));
                        }));
    assertEquals(
        Set.of(
            "LabeledAppSetOperatorDown", "LabeledAppSetReconcileErrors", "LabeledAppSetDegraded"),
        alerts);
  }

  @Test
  void serviceMonitorScrapesTheMetricsServiceOnItsNamedPort() {
    JsonNode monitor = MonitoringFiles.yaml(MonitoringFiles.SERVICE_MONITOR);
    JsonNode service = MonitoringFiles.yaml(METRICS_SERVICE);
    assertEquals("ServiceMonitor", monitor.path("kind").asText());
    assertEquals("monitoring.coreos.com/v1", monitor.path("apiVersion").asText());

    String namespace = service.path("metadata").path("namespace").asText();
    assertEquals(namespace, monitor.path("metadata").path("namespace").asText());
    List<String> namespaces = new java.util.ArrayList<>();
    monitor
        .path("spec")
        .path("namespaceSelector")
        .path("matchNames")
        .forEach(n -> namespaces.add(n.asText()));
    assertTrue(
        namespaces.contains(namespace) || namespaces.isEmpty(), "namespaceSelector " + namespaces);

    JsonNode wanted = monitor.path("spec").path("selector").path("matchLabels");
    assertFalse(wanted.isEmpty(), "a ServiceMonitor without a selector would scrape every Service");
    JsonNode labels = service.path("metadata").path("labels");
    wanted
        .fields()
        .forEachRemaining(
            e ->
                assertEquals(
                    e.getValue().asText(),
                    labels.path(e.getKey()).asText(),
                    "Service label " + e.getKey()));

    Set<String> servicePorts = new HashSet<>();
    service.path("spec").path("ports").forEach(p -> servicePorts.add(p.path("name").asText()));
    JsonNode endpoints = monitor.path("spec").path("endpoints");
    assertEquals(1, endpoints.size());
    JsonNode endpoint = endpoints.get(0);
    assertTrue(
        servicePorts.contains(endpoint.path("port").asText()),
        "endpoint port "
            + endpoint.path("port")
            + " must name a port of the Service: "
            + servicePorts);
    assertEquals("/metrics", endpoint.path("path").asText());
    assertTrue(
        endpoint.path("honorLabels").asBoolean(),
        "the operator's namespace label must win over the target's, or it becomes exported_namespace");

    // the Service sends that port to the container port serving /metrics
    String targetPort = service.path("spec").path("ports").get(0).path("targetPort").asText();
    JsonNode container =
        MonitoringFiles.yaml(DEPLOYMENT)
            .path("spec")
            .path("template")
            .path("spec")
            .path("containers")
            .get(0);
    Set<String> containerPorts = new HashSet<>();
    container.path("ports").forEach(p -> containerPorts.add(p.path("name").asText()));
    assertTrue(
        containerPorts.contains(targetPort), "targetPort " + targetPort + " in " + containerPorts);

    // the Prometheus Operator names the job after the Service; the alerts and the dashboard use
    // that name
    assertEquals(MonitoringFiles.JOB, service.path("metadata").path("name").asText());
  }

  @Test
  void alertsAndDashboardSelectTheServiceMonitorsJob() {
    Pattern job = Pattern.compile("job=\"([^\"]*)\"");
    for (String expr : MonitoringFiles.alertExprs()) {
      Matcher m = job.matcher(expr);
      assertTrue(m.find(), "alert expression selects the operator's job: " + expr);
      do {
        assertEquals(MonitoringFiles.JOB, m.group(1), expr);
      } while (m.find());
    }
    JsonNode jobVariable = variable("job");
    assertEquals(MonitoringFiles.JOB, jobVariable.path("query").asText());
    assertEquals(MonitoringFiles.JOB, jobVariable.path("current").path("value").asText());
  }

  @Test
  void dashboardIsWellFormed() {
    JsonNode dashboard = MonitoringFiles.dashboard();
    assertFalse(dashboard.path("uid").asText().isEmpty());
    assertFalse(dashboard.path("title").asText().isEmpty());
    assertEquals("datasource", variable("datasource").path("type").asText());
    assertEquals("prometheus", variable("datasource").path("query").asText());
    Set<String> variables = new HashSet<>();
    dashboard.path("templating").path("list").forEach(v -> variables.add(v.path("name").asText()));

    Set<Integer> ids = new HashSet<>();
    Pattern reference = Pattern.compile("\\$\\{?(\\w+)");
    for (JsonNode panel : MonitoringFiles.panels(dashboard)) {
      String title = panel.path("title").asText();
      assertTrue(ids.add(panel.path("id").asInt()), "panel ids are unique: " + title);
      JsonNode pos = panel.path("gridPos");
      assertTrue(
          pos.path("w").asInt() > 0
              && pos.path("h").asInt() > 0
              && pos.path("x").asInt() + pos.path("w").asInt() <= 24,
          "gridPos of " + title);
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      assertFalse(title.isEmpty());
      assertFalse(panel.path("description").asText().isEmpty(), "description of " + title);
      assertFalse(panel.path("targets").isEmpty(), "queries of " + title);
      for (JsonNode target : panel.path("targets")) {
        assertEquals(
            "${datasource}",
            target.path("datasource").path("uid").asText(),
            title + ": the data source variable");
        String expr = target.path("expr").asText();
        assertFalse(expr.isBlank(), title);
        Matcher m = reference.matcher(expr);
        while (m.find()) {
          String name = m.group(1);
          assertTrue(
              variables.contains(name) || name.startsWith("__"),
              title + " uses undefined variable $" + name);
        }
        // everything the operator exposes has the job label of its scrape; selecting on it keeps
        // other exporters' jvm_* or up series out
        assertTrue(expr.contains("job=\"$job\""), title + " selects job=\"$job\": " + expr);
      }
    }
    List<String> issueRequires =
        List.of(
            "Operator up",
            "Reconcile rate",
            "Reconcile latency",
            "Reconcile errors",
            "Sets not ready",
            "Desired vs ready pods",
            "Pods by phase",
            "Pods created and deleted",
            "API errors");
    Set<String> titles = new HashSet<>();
    MonitoringFiles.panels(dashboard).forEach(p -> titles.add(p.path("title").asText()));
    issueRequires.forEach(t -> assertTrue(titles.contains(t), "panel " + t));
  }

  @Test
  void kustomizationListsTheClusterObjects() throws Exception {
    JsonNode kustomization =
        MonitoringFiles.yaml(MonitoringFiles.DIR.resolve("kustomization.yaml"));
    Set<String> listed = new HashSet<>();
    kustomization.path("resources").forEach(r -> listed.add(r.asText()));
    assertEquals(Set.of("servicemonitor.yaml", "alerts.yaml"), listed);
    for (String file : listed) {
      assertTrue(Files.exists(MonitoringFiles.DIR.resolve(file)), file);
    }
  }

  private static JsonNode variable(String name) {
    for (JsonNode v : MonitoringFiles.dashboard().path("templating").path("list")) {
      if (v.path("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("no dashboard variable " + name);
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new HashSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}

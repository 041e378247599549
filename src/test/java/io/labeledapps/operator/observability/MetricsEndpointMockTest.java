package io.labeledapps.operator.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.labeledapps.operator.LabeledAppSetOperator;
import io.labeledapps.operator.MockKubelet;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.config.OperatorConfig;
import io.labeledapps.operator.testkit.Await;
import io.labeledapps.operator.testkit.Edits;
import io.labeledapps.operator.testkit.EnabledNamespace;
import io.labeledapps.operator.testkit.SetBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's HTTP endpoints as Prometheus and the kubelet see them: the real operator on an
 * ephemeral port against fabric8's mock API server, scraped over HTTP.
 */
@EnableKubernetesMockClient(crud = true)
class MetricsEndpointMockTest {
  static KubernetesClient client;
  static KubernetesMockServer server;

  private static final String NS = "metrics";
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private LabeledAppSetOperator operator;
  private KubernetesClient operatorClient;

  @BeforeEach
  void startOperator() throws IOException {
    EnabledNamespace.apply(client, NS);
    OperatorConfig config = new OperatorConfig();
    config.metricsPort = -1;
    // no retries inside the client, as in production (LabeledAppSetOperator.newClient): an
    // injected server error then reaches the reconciler instead of being retried away
    operatorClient =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(client.getConfiguration())
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build();
    io.labeledapps.operator.MockDryRun.accept(server, NS);
    operator = LabeledAppSetOperator.start(config, operatorClient);
  }

  @AfterEach
  void stopOperator() {
    operator.close();
    operatorClient.close();
    client.resources(LabeledAppSet.class).inAnyNamespace().delete();
    client.pods().inAnyNamespace().delete();
    client.services().inAnyNamespace().delete();
  }

  private HttpResponse<String> get(String path) {
    try {
      return http.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + operator.httpPort() + path))
              .timeout(Duration.ofSeconds(5))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("GET " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private PrometheusText scrape() {
    HttpResponse<String> response = get("/metrics");
    assertEquals(200, response.statusCode());
    assertTrue(
        response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
        "Prometheus text format, got " + response.headers().firstValue("Content-Type"));
    return PrometheusText.parse(response.body());
  }

  static void await(String what, BooleanSupplier condition) {
    Await.until(what, Duration.ofSeconds(30), Await.MOCK_POLL, condition, () -> "");
  }

  /** Every pod name seen while the test ran. */
  private final Set<String> podNames = new HashSet<>();

  /**
   * Waits until a scrape satisfies {@code condition}, playing before each the kubelet's part, which
   * the mock server does not (pods become Running and Ready), and noting the pods' names.
   */
  private void awaitMetrics(String what, Predicate<PrometheusText> condition) {
    await(
        what,
        () -> {
          MockKubelet.runPods(client, NS);
          client.pods().inNamespace(NS).list().getItems().stream()
              .map(p -> p.getMetadata().getName())
              .forEach(podNames::add);
          return condition.test(scrape());
        });
  }

  /** The next pod create answers 500, once. */
  static void failNextPodCreate() {
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/" + NS + "/pods")
        .andReturn(500, new StatusBuilder().withCode(500).withMessage("injected failure").build())
        .once();
  }

  static LabeledAppSet set(String name, int replicas) {
    return set(name, replicas, "app");
  }

  /**
   * A set whose pods carry the label {@code labelKey}; the default conventions require {@code app}.
   */
  static LabeledAppSet set(String name, int replicas, String labelKey) {
    return SetBuilder.set(name)
        .namespace(NS)
        .replicas(replicas)
        .labels(Map.of(labelKey, name))
        .build();
  }

  /** Pods created: not "_created", a suffix Prometheus reserves (micrometer would drop it). */
  static final String CREATED = "labeledappset_pods_creations_total";

  private static final Map<String, String> WEB = Map.of("namespace", NS, "name", "web");
  private static final Map<String, String> IN_NS = Map.of("namespace", NS);

  private static Map<String, String> web(String key, String value) {
    return Map.of("namespace", NS, "name", "web", key, value);
  }

  @Test
  void healthAndReadinessAnswer200OnceStarted() {
    assertTrue(operator.httpPort() > 0, "metricsPort -1 binds an ephemeral port");
    assertEquals(200, get("/healthz").statusCode());
    assertEquals(200, get("/readyz").statusCode());
    assertEquals(404, get("/nothing-here").statusCode());
  }

  @Test
  void metricsCarryTheNamedSeriesPerSetAndNoPodNames() {
    // the first pod create fails with a server error: an API error, a failed reconcile, a retry
    failNextPodCreate();
    client.resource(set("web", 3)).create();
    awaitMetrics(
        "3 Ready pods in the metrics",
        m ->
            !m.find("labeledappset_pods_ready", WEB).isEmpty()
                && m.value("labeledappset_pods_ready", WEB) == 3
                && m.value("labeledappset_condition", web("condition", "Ready")) == 1);

    Edits.set(client, NS, "web", s -> s.getSpec().setReplicas(2));
    awaitMetrics(
        "scaled down to 2 in the metrics",
        m ->
            m.value("labeledappset_pods_existing", IN_NS) == 2
                && m.value("labeledappset_pods_ready", WEB) == 2
                && !m.find("labeledappset_pods_deleted_total", IN_NS).isEmpty());

    // a set whose only pod create fails: no event follows, so JOSDK schedules a retry, and the
    // operator counts the failure per set
    failNextPodCreate();
    client.resource(set("lonely", 1)).create();
    Map<String, String> lonely = Map.of("namespace", NS, "name", "lonely");
    awaitMetrics(
        "set lonely ready after its retry",
        m ->
            !m.find("labeledappset_pods_ready", lonely).isEmpty()
                && m.value("labeledappset_pods_ready", lonely) == 1);

    // a set without the label the conventions require
    client.resource(set("unconventional", 1, "tier")).create();
    Map<String, String> violation = Map.of("namespace", NS, "rule", "MissingRequiredLabel");
    await(
        "a convention violation counted",
        () -> !scrape().find("labeledappset_convention_violations_total", violation).isEmpty());

    PrometheusText m = scrape();
    assertEquals(1, m.value("labeledappset_convention_violations_total", violation));
    // per namespace: web and lonely meet the conventions, unconventional does not
    assertEquals(
        2, m.value("labeledappset_sets", Map.of("namespace", NS, "condition", "ConventionsMet")));
    assertTrue(
        m.find("labeledappset_condition", Map.of("condition", "ConventionsMet")).isEmpty(),
        "per set only Ready and Degraded");
    assertEquals(2, m.value("labeledappset_pods_desired", WEB));
    assertEquals(2, m.value("labeledappset_pods_ready", WEB));
    // web's 2 and lonely's 1, per namespace
    assertEquals(3, m.value("labeledappset_pods_existing", IN_NS));
    assertEquals(
        3, m.value("labeledappset_pods_phase", Map.of("namespace", NS, "phase", "Running")));
    for (String phase : List.of("Pending", "Succeeded", "Failed", "Unknown")) {
      assertEquals(
          0, m.value("labeledappset_pods_phase", Map.of("namespace", NS, "phase", phase)), phase);
    }
    assertEquals(1, m.value("labeledappset_condition", web("condition", "Ready")));
    assertEquals(0, m.value("labeledappset_condition", web("condition", "Degraded")));
    for (String condition : OperatorMetrics.CONDITIONS) {
      double v = m.value("labeledappset_sets", Map.of("namespace", NS, "condition", condition));
      assertTrue(v >= 0 && v <= 3, condition + " counts at most the 3 sets, got " + v);
    }
    assertEquals(4, m.sum(CREATED, IN_NS), "3 pods of web and 1 of lonely created in all");
    m.find(CREATED, IN_NS)
        .forEach(
            s ->
                assertTrue(
                    Set.of("ScaleUp", "Heal").contains(s.labels().get("reason")),
                    "create reason of " + s));
    assertEquals(
        1,
        m.value(
            "labeledappset_pods_deleted_total", Map.of("namespace", NS, "reason", "ScaleDown")));
    assertEquals(
        2,
        m.value(
            "labeledappset_api_errors_total", Map.of("operation", "create_pod", "code", "500")));
    assertEquals(
        0,
        m.value("labeledappset_events_dropped_total", Map.of()),
        "always exported, 0 when healthy");

    // JOSDK's reconcile metrics, operator-wide (per set they would be some 80 series a set)
    assertTrue(m.sum("operator_sdk_reconciliations_started_total", Map.of()) >= 3);
    assertTrue(m.sum("operator_sdk_reconciliations_success_total", Map.of()) >= 2);
    Map<String, String> timerLabels = Map.of("controller", "labeledappset");
    assertTrue(
        m.sum("operator_sdk_controllers_execution_reconcile_seconds_count", timerLabels) >= 3);
    assertFalse(
        m.find("operator_sdk_controllers_execution_reconcile_seconds_bucket", timerLabels)
            .isEmpty(),
        "a latency histogram, for histogram_quantile");
    // every failed reconcile counts here; the per-set labeledappset_reconcile_failures_total
    // (JOSDK's
    // failedReconciliation) misses a failure followed at once by a new event (web: the pods it did
    // create), so the reconcile-error panels and the alert use this one
    assertEquals(
        2,
        m.value(
            "operator_sdk_controllers_execution_reconcile_failure_total",
            Map.of("controller", "labeledappset", "exception", "OperatorException")),
        "each injected 500 failed a reconcile");
    assertTrue(m.find("labeledappset_reconcile_failures_total", WEB).isEmpty());
    assertEquals(1, m.sum("labeledappset_reconcile_failures_total", lonely));
    for (PrometheusText.Sample s : m.samples()) {
      if (s.name().startsWith("operator_sdk_")) {
        assertFalse(
            s.labels().containsKey("name") || s.labels().containsKey("resource_name"),
            "per-set JOSDK series " + s);
      }
    }
    m.value("operator_sdk_reconciliations_queue_size_labeledappset", Map.of());
    m.value("operator_sdk_reconciliations_executions_labeledappset", Map.of());

    // the process, for the dashboard's operator health row
    assertTrue(m.sum("jvm_memory_used_bytes", Map.of("area", "heap")) > 0);
    assertTrue(m.value("process_uptime_seconds", Map.of()) > 0);
    m.value("process_cpu_usage", Map.of());
    assertTrue(m.sum("jvm_threads_live_threads", Map.of()) > 0);

    // bounded cardinality: no label names a pod
    assertEquals(Set.of("web-0", "web-1", "web-2", "lonely-0"), podNames);
    for (PrometheusText.Sample s : m.samples()) {
      assertFalse(s.labels().containsKey("pod"), "no pod label: " + s);
      for (String value : s.labels().values()) {
        assertFalse(podNames.contains(value), "a label names pod " + value + ": " + s);
      }
    }

    // the dashboard and the alert rules name only series the operator exposes
    Set<String> exposed = new HashSet<>(m.names());
    for (MonitoringFiles.PanelQuery q : MonitoringFiles.dashboardQueries()) {
      for (String series : MonitoringFiles.operatorSeries(q.expr())) {
        assertTrue(
            exposed.contains(series),
            "dashboard " + q + " names " + series + ", which /metrics does not have");
      }
    }
    for (String[] variable : MonitoringFiles.variableQueries()) {
      MonitoringFiles.operatorSeries(variable[1])
          .forEach(
              series ->
                  assertTrue(
                      exposed.contains(series),
                      "dashboard variable "
                          + variable[0]
                          + " names "
                          + series
                          + ", which /metrics does not have"));
    }
    for (String expr : MonitoringFiles.alertExprs()) {
      MonitoringFiles.operatorSeries(expr)
          .forEach(
              series ->
                  assertTrue(
                      exposed.contains(series),
                      "alert rule "
                          + expr
                          + " names "
                          + series
                          + ", which /metrics does not have"));
    }
  }

  @Test
  void seriesOfADeletedSetGoAway() {
    client.resource(set("gone", 1)).create();
    Map<String, String> gone = Map.of("namespace", NS, "name", "gone");
    awaitMetrics("series of set gone", m -> !m.find("labeledappset_pods_desired", gone).isEmpty());
    client.resources(LabeledAppSet.class).inNamespace(NS).withName("gone").delete();
    await(
        "no labeledappset_* series of set gone",
        () ->
            scrape().samples().stream()
                .noneMatch(s -> s.name().startsWith("labeledappset_") && s.has(gone)));
    // nor any of JOSDK's per-set series (counters, and the reconcile timer with its histogram)
    await(
        "no series at all about set gone",
        () -> scrape().samples().stream().noneMatch(s -> s.labels().containsValue("gone")));
  }
}

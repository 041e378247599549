package io.labeledapps.operator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfigurationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.LabeledAppSetOperator;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.config.OperatorConfig;
import io.labeledapps.operator.crd.CrdInstaller;
import io.labeledapps.operator.observability.MonitoringFiles;
import io.labeledapps.operator.status.Conditions;
import io.labeledapps.operator.testkit.Await;
import io.labeledapps.operator.testkit.Edits;
import io.labeledapps.operator.testkit.Namespaces;
import io.labeledapps.operator.testkit.SetBuilder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (the {@code prometheus} binary, Debian package {@code prometheus}) scrapes the
 * operator, which runs in-process against the API server in KUBECONFIG. Then every query of the
 * Grafana dashboard must return data, and the alert rules must load and evaluate without errors.
 *
 * <p>So that every panel has something to show, the test makes the cluster produce it: a healthy
 * set scaled down (pods created and deleted), a crash-looping set (not ready), and a set in a
 * namespace where an admission webhook that cannot be reached rejects every pod create with HTTP
 * 500 (API errors, failed reconciles, retries), and a set without the label the conventions
 * require. The webhook only selects that namespace and points to a closed loopback port.
 */
class PrometheusIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * The rate window the dashboard's $__rate_interval stands for; Prometheus scrapes every second
   * here.
   */
  private static final String RATE_INTERVAL = "1m";

  static KubernetesClient client;
  static LabeledAppSetOperator operator;
  static String ns;
  static String rejectingNs;
  static String webhook;
  static Process prometheus;
  static Path prometheusLog;
  static String prometheusUrl;

  @TempDir static Path tmp;

  static Path prometheusBinary() {
    Path binary = Path.of(System.getenv().getOrDefault("PROMETHEUS_BIN", "/usr/bin/prometheus"));
    if (!Files.isExecutable(binary)) {
      throw new AssertionError(
          "PrometheusIT needs the Prometheus server at "
              + binary
              + " (Debian/Ubuntu: apt-get install prometheus; elsewhere set PROMETHEUS_BIN to its path)");
    }
    return binary;
  }

  @BeforeAll
  static void setUp() throws Exception {
    Path binary = prometheusBinary();
    client = LabeledAppSetOperator.newClient();
    CrdInstaller.install(client, Path.of("crds"));
    String id = UUID.randomUUID().toString().substring(0, 8);
    ns = "las-prom-" + id;
    rejectingNs = "las-prom-" + id + "-rejected";
    webhook = "las-prom-" + id;
    Namespaces.create(client, ns, Namespaces.OPTED_IN);
    Map<String, String> rejecting = new HashMap<>(Namespaces.OPTED_IN);
    rejecting.put("las-prom-reject-pods", id);
    Namespaces.create(client, rejectingNs, rejecting);
    client
        .admissionRegistration()
        .v1()
        .validatingWebhookConfigurations()
        .resource(rejectPodCreates(id))
        .create();

    OperatorConfig config = new OperatorConfig();
    config.watchNamespaces = List.of(ns, rejectingNs);
    config.metricsPort = -1;
    operator = LabeledAppSetOperator.start(config, client);
    startPrometheus(binary, operator.httpPort());
  }

  /**
   * Pod creates in the rejecting namespace go to a webhook nobody serves: the API server answers
   * 500.
   */
  static ValidatingWebhookConfiguration rejectPodCreates(String id) {
    // @formatter:off
    return new ValidatingWebhookConfigurationBuilder()
        .withNewMetadata().withName(webhook).endMetadata()
        .addNewWebhook()
          .withName("reject-pods.las-prom.test")
          .withAdmissionReviewVersions("v1")
          .withSideEffects("None")
          .withFailurePolicy("Fail")
          .withTimeoutSeconds(2)
          .withNewNamespaceSelector().addToMatchLabels("las-prom-reject-pods", id).endNamespaceSelector()
          .addNewRule()
            .withOperations("CREATE").withApiGroups("").withApiVersions("v1").withResources("pods")
          .endRule()
          .withNewClientConfig().withUrl("https://127.0.0.1:1/reject").endClientConfig()
        .endWebhook()
        .build();
    // @formatter:on
  }

  static void startPrometheus(Path binary, int operatorPort) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    prometheusUrl = "http://127.0.0.1:" + port;
    Path config = tmp.resolve("prometheus.yml");
    // honor_labels and a target label namespace, as the ServiceMonitor's scrape has them: the
    // operator's own namespace label must win
    Files.writeString(
        config,
        """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        rule_files:
          - %s
        scrape_configs:
          - job_name: %s
            honor_labels: true
            static_configs:
              - targets: ["127.0.0.1:%d"]
                labels:
                  namespace: labeledappset-system
        """
            .formatted(MonitoringFiles.RULES.toAbsolutePath(), MonitoringFiles.JOB, operatorPort));
    prometheusLog = tmp.resolve("prometheus.log");
    prometheus =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + tmp.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(prometheusLog.toFile())
            .start();
    await(
        "Prometheus ready at " + prometheusUrl,
        () -> {
          if (!prometheus.isAlive()) {
            throw new AssertionError(
                "Prometheus exited with " + prometheus.exitValue() + ":\n" + log());
          }
          return get("/-/ready") == 200;
        });
    await(
        "Prometheus scraping the operator",
        () -> !query("up{job=\"" + MonitoringFiles.JOB + "\"} == 1").isEmpty());
  }

  @AfterAll
  static void tearDown() throws InterruptedException {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(15, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
    if (operator != null) {
      operator.close();
    }
    if (client != null) {
      if (webhook != null) {
        client
            .admissionRegistration()
            .v1()
            .validatingWebhookConfigurations()
            .withName(webhook)
            .delete();
      }
      for (String namespace : new String[] {ns, rejectingNs}) {
        if (namespace != null) {
          client.namespaces().withName(namespace).delete();
        }
      }
      client.close();
    }
  }

  static String log() {
    try {
      String text = Files.readString(prometheusLog);
      return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  static int get(String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(prometheusUrl + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static JsonNode api(String pathAndQuery) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(prometheusUrl + pathAndQuery))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(response.body());
      if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
        throw new AssertionError(
            "Prometheus answered "
                + response.statusCode()
                + " to "
                + pathAndQuery
                + ": "
                + response.body());
      }
      return body.path("data");
    } catch (IOException e) {
      throw new AssertionError("Prometheus API " + pathAndQuery + ": " + e + "\n" + log(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** An instant query; the result vector (fails on a query Prometheus rejects). */
  static JsonNode query(String promql) {
    return api("/api/v1/query?query=" + encode(promql)).path("result");
  }

  /**
   * The dashboard's template variables, as Grafana fills them in for "All" namespaces of this test
   * and all sets.
   */
  static String substitute(String expr) {
    Map<String, String> values = new HashMap<>();
    values.put("job", MonitoringFiles.JOB);
    values.put("namespace", "(" + ns + "|" + rejectingNs + ")");
    values.put("set", ".*");
    values.put("__rate_interval", RATE_INTERVAL);
    Matcher m = Pattern.compile("\\$\\{?(\\w+)}?").matcher(expr);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new AssertionError(
            "the test does not know dashboard variable $" + m.group(1) + " in " + expr);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    return m.appendTail(out).toString();
  }

  static void await(String what, BooleanSupplier condition) {
    Await.until(what, TIMEOUT, condition);
  }

  static LabeledAppSet set(String namespace, String name, int replicas, String image) {
    return set(namespace, name, replicas, image, "app");
  }

  /**
   * A set whose pods carry the label {@code labelKey}; the default conventions require {@code app}.
   */
  static LabeledAppSet set(
      String namespace, String name, int replicas, String image, String labelKey) {
    return client
        .resource(
            SetBuilder.set(name)
                .namespace(namespace)
                .replicas(replicas)
                .labels(Map.of(labelKey, name))
                .container("main", image)
                .noPorts()
                .build())
        .create();
  }

  /** Waits until the set reports Ready for its current generation. */
  static void awaitReady(String namespace, String name) {
    LabeledAppSet[] last = new LabeledAppSet[1];
    try {
      await(
          "set " + name + " ready",
          () -> {
            LabeledAppSet s =
                last[0] =
                    client
                        .resources(LabeledAppSet.class)
                        .inNamespace(namespace)
                        .withName(name)
                        .get();
            var c = s == null ? null : Conditions.find(s.getStatus(), Conditions.READY);
            return c != null
                && "True".equals(c.getStatus())
                && java.util.Objects.equals(
                    s.getStatus().getObservedGeneration(), s.getMetadata().getGeneration());
          });
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage() + "; last seen:\n" + Serialization.asYaml(last[0]), e);
    }
  }

  @Test
  void everyDashboardQueryReturnsDataAndTheAlertRulesEvaluate() {
    set(ns, "healthy", 3, "nginx:1.27");
    set(ns, "crashing", 2, "crashloop:1.0");
    set(rejectingNs, "rejected", 1, "nginx:1.27");
    set(ns, "unconventional", 1, "nginx:1.27", "tier");
    awaitReady(ns, "healthy");
    Edits.set(client, ns, "healthy", s -> s.getSpec().setReplicas(2));
    // the pod deleted by this scale-down shows in labeledappset_pods_deleted_total, which the
    // dashboard queries below wait for

    // every query of every panel, until all return data
    List<MonitoringFiles.PanelQuery> queries = MonitoringFiles.dashboardQueries();
    assertTrue(queries.size() >= 15, "the dashboard's queries: " + queries.size());
    List<String> empty = new ArrayList<>();
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      empty.clear();
      for (MonitoringFiles.PanelQuery q : queries) {
        if (query(substitute(q.expr())).isEmpty()) {
          empty.add(q + "\n    sent as: " + substitute(q.expr()));
        }
      }
      if (empty.isEmpty()) {
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            empty.size()
                + " of "
                + queries.size()
                + " dashboard queries return no data after "
                + TIMEOUT
                + ":\n  "
                + String.join("\n  ", empty)
                + "\nseries Prometheus has: "
                + api("/api/v1/label/__name__/values").toString());
      }
      sleep();
    }

    // the template variables list this test's namespaces and sets; the namespace is the set's,
    // not the scrape target's (honor_labels)
    for (String[] variable : MonitoringFiles.variableQueries()) {
      Matcher m = Pattern.compile("label_values\\((.*),\\s*(\\w+)\\)").matcher(variable[1]);
      assertTrue(m.matches(), "variable " + variable[0] + ": " + variable[1]);
      JsonNode values =
          api("/api/v1/label/" + m.group(2) + "/values?match[]=" + encode(substitute(m.group(1))));
      List<String> list = new ArrayList<>();
      values.forEach(v -> list.add(v.asText()));
      switch (variable[0]) {
        case "namespace" ->
            assertTrue(list.containsAll(List.of(ns, rejectingNs)), "namespace values " + list);
        case "set" ->
            assertTrue(
                list.containsAll(List.of("healthy", "crashing", "rejected", "unconventional")),
                "set values " + list);
        default -> assertTrue(!list.isEmpty(), "variable " + variable[0] + " has values");
      }
    }

    // the alert rules loaded, evaluate without errors, and react to what happened
    long rulesInFile = MonitoringFiles.alertExprs().size();
    Map<String, JsonNode> rules = new HashMap<>();
    await(
        "every alert rule evaluated",
        () -> {
          rules.clear();
          api("/api/v1/rules")
              .path("groups")
              .forEach(g -> g.path("rules").forEach(r -> rules.put(r.path("name").asText(), r)));
          return rules.size() == rulesInFile
              && rules.values().stream()
                  .noneMatch(r -> r.path("health").asText().equals("unknown"));
        });
    rules.forEach(
        (name, rule) -> {
          assertEquals("ok", rule.path("health").asText(), name + ": " + rule);
          assertTrue(
              rule.path("lastError").asText("").isEmpty(), name + ": " + rule.path("lastError"));
        });
    assertEquals(
        "inactive",
        rules.get("LabeledAppSetOperatorDown").path("state").asText(),
        "the operator is up");
    // the alerts' expressions match the real series: both wait out their "for" in state pending
    await(
        "LabeledAppSetReconcileErrors pending: reconciles of set rejected fail",
        () -> alertState("LabeledAppSetReconcileErrors").equals("pending"));
    await(
        "LabeledAppSetDegraded pending: set crashing is degraded",
        () -> alertState("LabeledAppSetDegraded").equals("pending"));
    JsonNode degraded = query("ALERTS{alertname=\"LabeledAppSetDegraded\"}");
    assertEquals(1, degraded.size(), "only set crashing is degraded: " + degraded);
    assertEquals("crashing", degraded.get(0).path("metric").path("name").asText());
    assertEquals(ns, degraded.get(0).path("metric").path("namespace").asText());
  }

  static String alertState(String alert) {
    for (JsonNode group : api("/api/v1/rules?type=alert").path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.path("name").asText().equals(alert)) {
          return rule.path("state").asText();
        }
      }
    }
    throw new AssertionError("Prometheus has no alert rule " + alert);
  }

  private static void sleep() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}

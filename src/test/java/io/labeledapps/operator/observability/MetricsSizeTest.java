package io.labeledapps.operator.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetSpec;
import io.labeledapps.operator.api.LabeledAppSetStatus;
import io.labeledapps.operator.reconciler.LabeledAppSetReconciler;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The size of a scrape with many sets: the operator's meters and JOSDK's, configured as the
 * operator configures them ({@link ForgettingMetrics#operatorWide}), after every set was reconciled
 * a few times (the timer, the success and failure counters, the finished and failed reconciles). A
 * size assertion, not a timing one.
 */
class MetricsSizeTest {
  private static final int SETS = 2_000;
  private static final String NS = "team-payments-production";

  private static LabeledAppSet set(int i) {
    LabeledAppSet set = new LabeledAppSet();
    set.getMetadata().setNamespace(NS);
    set.getMetadata().setName(String.format("checkout-api-%04d", i));
    set.getMetadata().setUid("uid-" + i);
    set.setSpec(new LabeledAppSetSpec());
    set.getSpec().setReplicas(5);
    return set;
  }

  private static LabeledAppSetStatus status(boolean degraded) {
    LabeledAppSetStatus status = new LabeledAppSetStatus();
    status.setReplicas(5);
    status.setReadyReplicas(degraded ? 3 : 5);
    status.setPodPhases(Map.of("Running", 5));
    List<Condition> conditions = new ArrayList<>();
    for (String type : OperatorMetrics.CONDITIONS) {
      boolean isTrue = type.equals("Degraded") ? degraded : !(degraded && type.equals("Ready"));
      conditions.add(
          new ConditionBuilder().withType(type).withStatus(isTrue ? "True" : "False").build());
    }
    status.setConditions(conditions);
    return status;
  }

  /** What one reconcile of {@code set} records, as JOSDK and the reconciler record it. */
  private static void reconcile(
      Metrics josdk, OperatorMetrics metrics, LabeledAppSet set, boolean fails) throws Exception {
    Map<String, Object> metadata =
        Map.of(
            Constants.RESOURCE_GVK_KEY,
            GroupVersionKind.gvkFor(LabeledAppSet.class),
            Constants.CONTROLLER_NAME,
            LabeledAppSetReconciler.NAME);
    // reconcileCustomResource and the execution start/finish need a registered Controller (queue
    // gauges per controller); MetricsEndpointMockTest shows, with the real operator, that no
    // operator_sdk_* series names a set
    try {
      josdk.timeControllerExecution(
          new Metrics.ControllerExecution<String>() {
            @Override
            public String name() {
              return "reconcile";
            }

            @Override
            public String controllerName() {
              return LabeledAppSetReconciler.NAME;
            }

            @Override
            public String successTypeName(String result) {
              return "resource";
            }

            @Override
            public ResourceID resourceID() {
              return ResourceID.fromResource(set);
            }

            @Override
            public Map<String, Object> metadata() {
              return metadata;
            }

            @Override
            public String execute() {
              if (fails) {
                throw new IllegalStateException("injected");
              }
              return "done";
            }
          });
      metrics.podsCreated(set, "ScaleUp", 5);
      metrics.recordStatus(set, status(false));
      josdk.finishedReconciliation(set, metadata);
    } catch (RuntimeException e) {
      // JOSDK wraps what the reconciler threw
      metrics.recordStatus(set, status(true));
      josdk.failedReconciliation(set, e, metadata);
    }
  }

  @Test
  void twoThousandSetsScrapeInUnderOneMebibyte() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OperatorMetrics metrics = new OperatorMetrics(registry);
    Metrics josdk =
        ForgettingMetrics.operatorWide(
            registry, metrics, id -> metrics.forget(id.getNamespace().orElseThrow(), id.getName()));
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < SETS; i++) {
        // one set in a hundred fails its first reconcile
        reconcile(josdk, metrics, set(i), round == 0 && i % 100 == 0);
      }
    }
    String scrape = registry.scrape();
    int bytes = scrape.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    assertTrue(
        bytes < 1024 * 1024,
        "a scrape of "
            + SETS
            + " sets is "
            + bytes
            + " bytes, "
            + scrape.lines().count()
            + " lines");
    // what remains per set: desired and ready pods, Ready and Degraded (and failures, for those
    // that failed)
    PrometheusText m = PrometheusText.parse(scrape);
    Map<String, String> one = Map.of("namespace", NS, "name", "checkout-api-0100");
    assertEquals(5, m.value("labeledappset_pods_desired", one));
    assertEquals(5, m.value("labeledappset_pods_ready", one));
    assertEquals(1, m.sum("labeledappset_reconcile_failures_total", one));
    assertEquals(
        SETS / 100,
        m.find("labeledappset_reconcile_failures_total", Map.of("namespace", NS)).size());
    assertEquals(
        SETS, m.value("labeledappset_sets", Map.of("namespace", NS, "condition", "Ready")));
    assertEquals(SETS * 5, m.value("labeledappset_pods_existing", Map.of("namespace", NS)));
    long perSet =
        m.samples().stream()
            .filter(
                s ->
                    one.get("name").equals(s.labels().get("name"))
                        || one.get("name").equals(s.labels().get("resource_name")))
            .count();
    assertEquals(5, perSet, "series naming one set that failed once");
  }
}

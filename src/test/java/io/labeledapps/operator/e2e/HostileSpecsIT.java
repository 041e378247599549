package io.labeledapps.operator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.labeledapps.operator.crd.CrdInstaller;
import io.labeledapps.operator.testkit.SetStatus;
import io.labeledapps.operator.validation.HostileSpecs;
import io.micrometer.core.instrument.Counter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A sample of hostile specs ({@link HostileSpecs}) applied to a namespace the operator, running
 * in-process, watches, on the real API server in KUBECONFIG. Each must end as exactly one of:
 * refused at admission (the apply fails), {@code Ready=False InvalidSpec} naming a field, or
 * converged ({@code Ready=True}). Never an exception out of reconcile, never a FailedCreate (a real
 * create the API server refused), never an operator stop. The seed is printed; rerun one with
 * {@code -Dhostile.seed=<seed>}, more with {@code -Dhostile.count=<n>}. {@code
 * -Dhostile.unreadable=true} adds what a CRD without bounds admits but the operator's types cannot
 * read (issue 15 items 1-2).
 */
class HostileSpecsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(180);
  @RegisterExtension static final E2eOperator e2e = E2eOperator.perClass("las-hostile");
  static final KubernetesClient client = e2e.client;
  static final String ns = e2e.ns;

  enum Outcome {
    ADMISSION,
    INVALID_SPEC,
    CONVERGED
  }

  /**
   * POSTs the tree as JSON (a typed client could not carry a wrong type); null when stored, else
   * the answer.
   */
  static String create(Map<String, Object> object) {
    HttpResponse<String> response = Admission.post(client, ns, object, "");
    if (response.code() == 201) {
      return null;
    }
    if (response.code() >= 400 && response.code() < 500) {
      return response.code() + " " + response.body();
    }
    throw new AssertionError("HTTP " + response.code() + " " + response.body());
  }

  static Condition ready(String name) {
    return SetStatus.current(client, ns, name, "Ready");
  }

  /** The outcome a status shows, or null while the set is still on its way. */
  static Outcome outcome(Condition ready) {
    if (ready == null) {
      return null;
    }
    if ("True".equals(ready.getStatus())) {
      return Outcome.CONVERGED;
    }
    if ("InvalidSpec".equals(ready.getReason())
        && ready.getMessage().matches("(?s).*\\b(spec|metadata)\\.[A-Za-z].*")) {
      return Outcome.INVALID_SPEC;
    }
    return null;
  }

  private static double counter(String meter) {
    return e2e.operator.registry().find(meter).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  @Test
  void everyHostileSpecIsRefusedReportedOrConverges() throws Exception {
    long seed = Long.getLong("hostile.seed", System.nanoTime());
    int count = Integer.getInteger("hostile.count", 100);
    boolean unreadable = Boolean.getBoolean("hostile.unreadable");
    System.out.println(
        "HostileSpecsIT: seed "
            + seed
            + ", "
            + count
            + " specs, unreadable "
            + unreadable
            + " (rerun: -Dhostile.seed="
            + seed
            + ")");
    // the cluster is shared: make sure it runs this CRD
    CrdInstaller.install(client, Path.of("crds"));
    HostileSpecs specs =
        new HostileSpecs(new Random(seed), new HostileSpecs.Options(true, unreadable));
    Map<String, HostileSpecs.Spec> all = new LinkedHashMap<>();
    Map<String, Outcome> outcomes = new TreeMap<>();
    Map<String, String> answers = new TreeMap<>();
    for (int i = 0; i < count; i++) {
      HostileSpecs.Spec spec = specs.next("hostile-" + i);
      all.put(spec.name(), spec);
      String refusal = create(spec.object());
      if (refusal != null) {
        outcomes.put(spec.name(), Outcome.ADMISSION);
        answers.put(spec.name(), refusal.length() > 300 ? refusal.substring(0, 300) : refusal);
      }
    }

    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    List<String> open =
        new ArrayList<>(all.keySet().stream().filter(n -> !outcomes.containsKey(n)).toList());
    while (!open.isEmpty() && System.nanoTime() < deadline) {
      for (String name : List.copyOf(open)) {
        Condition ready = ready(name);
        Outcome o = outcome(ready);
        if (o != null) {
          outcomes.put(name, o);
          answers.put(
              name,
              ready.getReason()
                  + ": "
                  + (ready.getMessage().length() > 300
                      ? ready.getMessage().substring(0, 300)
                      : ready.getMessage()));
          open.remove(name);
        }
      }
      Thread.sleep(250);
    }
    List<String> stuck =
        open.stream()
            .map(
                n ->
                    n
                        + " "
                        + all.get(n).mutations()
                        + " -> "
                        + (ready(n) == null
                            ? "no status"
                            : ready(n).getReason() + ": " + ready(n).getMessage()))
            .toList();

    Map<Outcome, Long> tally =
        outcomes.values().stream()
            .collect(Collectors.groupingBy(o -> o, TreeMap::new, Collectors.counting()));
    long byDryRun = answers.values().stream().filter(a -> a.contains("dry-run create")).count();
    System.out.println(
        "HostileSpecsIT: seed "
            + seed
            + ": "
            + tally
            + ", InvalidSpec from the server's dry-run: "
            + byDryRun
            + ", without an outcome: "
            + stuck.size());
    answers.entrySet().stream()
        .filter(e -> e.getValue().contains("dry-run create"))
        .forEach(
            e ->
                System.out.println(
                    "  caught only by the dry-run (a regression case to keep): "
                        + e.getKey()
                        + " "
                        + all.get(e.getKey()).mutations()
                        + " -> "
                        + e.getValue()));
    assertEquals(List.of(), stuck, "seed " + seed + ": sets with none of the three outcomes");

    // no real create was refused, nothing was thrown out of reconcile, and the operator runs on
    List<String> failedCreates =
        client.v1().events().inNamespace(ns).list().getItems().stream()
            .filter(e -> "FailedCreate".equals(e.getReason()))
            .map(e -> e.getInvolvedObject().getName() + ": " + e.getMessage())
            .toList();
    assertEquals(List.of(), failedCreates, "seed " + seed);
    assertEquals(
        0.0,
        e2e
            .operator
            .registry()
            .find("labeledappset.api.errors")
            .tag("operation", "create_pod")
            .counters()
            .stream()
            .mapToDouble(Counter::count)
            .sum(),
        "seed " + seed + ": pod creates the API server refused");
    assertEquals(
        0.0,
        counter("operator.sdk.reconciliations.failed"),
        "seed " + seed + ": reconciles that threw");
    assertEquals(
        0.0,
        counter("operator.sdk.controllers.execution.reconcile.failure"),
        "seed " + seed + ": failed reconciles");
    assertTrue(e2e.operator.operator().getRuntimeInfo().isStarted(), "the operator runs");
    assertTrue(
        e2e.operator.operator().getRuntimeInfo().allEventSourcesAreHealthy(), "its informers run");
    for (String name : outcomes.keySet()) {
      if (outcomes.get(name) == Outcome.INVALID_SPEC) {
        assertTrue(
            client
                .pods()
                .inNamespace(ns)
                .withLabel("app.kubernetes.io/instance", name)
                .list()
                .getItems()
                .isEmpty(),
            name + ": no pod for a refused spec");
      }
    }
  }
}

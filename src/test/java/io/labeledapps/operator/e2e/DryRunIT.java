package io.labeledapps.operator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.model.TestSets;
import io.labeledapps.operator.testkit.Edits;
import io.labeledapps.operator.testkit.Events;
import io.labeledapps.operator.testkit.Namespaces;
import io.labeledapps.operator.testkit.SetStatus;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API server's last word, on a real one: what only admission knows (here a LimitRange the
 * operator does not read) refuses a template through the dry-run create, as a status with the
 * server's message, with no pod and no FailedCreate; the namespace changing asks again. A burst of
 * one template costs one dry-run.
 */
class DryRunIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  @RegisterExtension static final E2eOperator e2e = E2eOperator.perClass("las-dryrun");
  static final KubernetesClient client = e2e.client;
  static final String ns = e2e.ns;

  static LabeledAppSet set(String name, int replicas, String cpuLimit) {
    LabeledAppSet set = TestSets.web(name, replicas);
    set.getMetadata().setNamespace(ns);
    set.getMetadata().setUid(null);
    set.getMetadata().setGeneration(null);
    set.getSpec().setLabels(Map.of("app", name));
    var resources = new io.fabric8.kubernetes.api.model.ResourceRequirements();
    resources.setLimits(Map.of("cpu", new Quantity(cpuLimit)));
    set.getSpec().getContainers().get(0).setResources(resources);
    return set;
  }

  static Condition ready(String name) {
    return SetStatus.current(client, ns, name, "Ready");
  }

  static void await(String what, BooleanSupplier condition) {
    FaultSupport.await(what, TIMEOUT, condition);
  }

  static double dryRuns(String result) {
    return e2e
        .operator
        .registry()
        .find("labeledappset.dry.runs")
        .tag("result", result)
        .counters()
        .stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  static double successfulPasses() {
    return e2e.operator.registry().find("operator.sdk.reconciliations.success").counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  static int pods(String name) {
    return client.pods().inNamespace(ns).withLabel(Labels.INSTANCE, name).list().getItems().size();
  }

  @Test
  void aLimitRangeRefusalIsAStatusWithNoPodUntilTheNamespaceChanges() throws Exception {
    client
        .limitRanges()
        .inNamespace(ns)
        .resource(
            new LimitRangeBuilder()
                .withNewMetadata()
                .withName("small")
                .endMetadata()
                .withNewSpec()
                .addNewLimit()
                .withType("Container")
                .addToMax("cpu", new Quantity("500m"))
                .endLimit()
                .endSpec()
                .build())
        .create();
    double accepted = dryRuns("accepted");
    client.resource(set("big", 3, "1")).create();
    await(
        "AdmissionRefused",
        () -> ready("big") != null && "AdmissionRefused".equals(ready("big").getReason()));
    Condition refused = ready("big");
    assertEquals("False", refused.getStatus());
    assertTrue(
        refused.getMessage().contains("maximum cpu usage per Container is 500m"),
        refused.getMessage());
    assertEquals(0, pods("big"), "no pod is written");
    assertEquals(1.0, dryRuns("AdmissionRefused"));
    await(
        "an AdmissionRefused Warning event",
        () -> Events.any(client, ns, Events.of("Warning", "AdmissionRefused", null)));

    // a pass that changes nothing admission depends on asks nothing
    // (the count is read before the edit: the pass it causes can end before the edit call returns)
    double reconciles = successfulPasses();
    Edits.set(client, ns, "big", x -> x.getMetadata().setAnnotations(Map.of("touched", "1")));
    await("a pass after the edit", () -> successfulPasses() > reconciles);
    assertEquals(1.0, dryRuns("AdmissionRefused"), "a refused template is not asked about again");

    // the LimitRange goes (the operator does not watch those), then the namespace changes: asked
    // again
    client.limitRanges().inNamespace(ns).withName("small").delete();
    Namespaces.label(client, ns, "touched", "1");
    await(
        "Ready after the namespace changed",
        () -> ready("big") != null && "True".equals(ready("big").getStatus()));
    assertEquals(3, pods("big"));
    assertEquals(1.0, dryRuns("accepted") - accepted);
    assertFalse(Events.any(client, ns, Events.of(null, "FailedCreate", null)), "no FailedCreate");
  }

  /**
   * A Service the API server refuses (here a nodePort another Service holds, which no rule of the
   * operator can know) is found by its dry-run before anything is written: no Service, and no pod.
   */
  @Test
  void aServiceTheServerRefusesIsFoundBeforeAnyPodIsWritten() throws Exception {
    int nodePort = 30000 + new java.util.Random().nextInt(2700);
    client
        .services()
        .inNamespace(ns)
        .resource(
            new io.fabric8.kubernetes.api.model.ServiceBuilder()
                .withNewMetadata()
                .withName("holder")
                .endMetadata()
                .withNewSpec()
                .withType("NodePort")
                .addNewPort()
                .withPort(80)
                .withProtocol("TCP")
                .withNodePort(nodePort)
                .endPort()
                .endSpec()
                .build())
        .create();
    double before = dryRuns("InvalidSpec");
    LabeledAppSet set = set("taken", 2, "100m");
    var service = new io.labeledapps.operator.api.ServiceSpec();
    service.setType(io.labeledapps.operator.api.ServiceSpec.Type.NodePort);
    var port =
        new io.labeledapps.operator.api.ServicePortSpec(
            "http", 80, new io.fabric8.kubernetes.api.model.IntOrString("http"));
    port.setNodePort(nodePort);
    service.setPorts(List.of(port));
    set.getSpec().setService(service);
    client.resource(set).create();
    await(
        "InvalidSpec from the Service's dry-run",
        () -> ready("taken") != null && "InvalidSpec".equals(ready("taken").getReason()));
    assertTrue(
        ready("taken").getMessage().contains("provided port is already allocated"),
        ready("taken").getMessage());
    assertTrue(
        ready("taken").getMessage().contains("the API server refuses the Service (dry-run)"),
        ready("taken").getMessage());
    assertEquals(0, pods("taken"), "no pod is written");
    assertEquals(
        null, client.services().inNamespace(ns).withName("taken").get(), "nor the Service");
    assertEquals(1.0, dryRuns("InvalidSpec") - before);
    // a refused set is asked again when the namespace changes: out of the other tests' way
    client.resource(set).delete();
  }

  /**
   * One dry-run for a burst of 200 pods of one template; prints what it costs next to the burst.
   */
  @Test
  void aBurstOfOneTemplateCostsOneDryRun() throws Exception {
    double before = dryRuns("accepted");
    long start = System.nanoTime();
    client.resource(set("burst", 200, "100m")).create();
    await("200 pods", () -> pods("burst") == 200);
    long burstMillis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(1.0, dryRuns("accepted") - before, "dry-runs for a burst of 200");
    await("Ready", () -> ready("burst") != null && "True".equals(ready("burst").getStatus()));
    assertEquals(1.0, dryRuns("accepted") - before, "dry-runs once the burst converged");

    // what the one request costs: the same dry-run create, 20 times, as the operator sends it
    LabeledAppSet stored =
        client.resources(LabeledAppSet.class).inNamespace(ns).withName("burst").get();
    var pod =
        io.labeledapps.operator.model.TestDesired.pods(
                stored, List.of(999), io.labeledapps.operator.conventions.ConventionVerdict.NONE)
            .get(0);
    List<Long> micros = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long t = System.nanoTime();
      client.pods().inNamespace(ns).resource(pod).dryRun().create();
      micros.add((System.nanoTime() - t) / 1000);
    }
    micros.sort(Long::compare);
    System.out.println(
        "DryRunIT: 200 pods of one template created in "
            + burstMillis
            + " ms (set applied to the"
            + " last pod seen), with 1 dry-run create; one dry-run create takes "
            + micros.get(10) / 1000.0
            + " ms (median of 20, max "
            + micros.get(19) / 1000.0
            + " ms)");
    assertEquals(200, pods("burst"), "the dry-runs stored nothing");
  }
}

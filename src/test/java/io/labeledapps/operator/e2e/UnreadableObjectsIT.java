package io.labeledapps.operator.e2e;

import static io.labeledapps.operator.e2e.FaultSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.crd.CrdInstaller;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.observability.PrometheusText;
import io.labeledapps.operator.status.PodState;
import io.labeledapps.operator.testkit.Events;
import io.labeledapps.operator.testkit.OperatorProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Objects stored the way an older, looser schema or a careless client leaves them, on the API
 * server in KUBECONFIG: sets stored under a CRD whose spec takes anything (then the real CRD is put
 * back), and a pod whose env var name of 60,000 characters becomes a JSON name of its
 * managedFields. The operator runs as its own process, so that an informer stop (which exits the
 * JVM) shows as a dead process: it must keep running, converge the healthy set beside them, report
 * the unreadable sets, count them, survive a restart, and converge a fixed set.
 */
class UnreadableObjectsIT {
  private static final Duration STARTUP = Duration.ofSeconds(90);
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final ResourceDefinitionContext SETS =
      new ResourceDefinitionContext.Builder()
          .withGroup(LabeledAppSet.GROUP)
          .withVersion(LabeledAppSet.VERSION)
          .withKind("LabeledAppSet")
          .withPlural("labeledappsets")
          .withNamespaced(true)
          .build();
  private static final String LONG_ENV_NAME = "E".repeat(60_000);

  @RegisterExtension static final E2eOperator cluster = E2eOperator.namespaceOnly("las-unreadable");
  static final KubernetesClient client = cluster.client;
  static final String ns = cluster.ns;

  @AfterAll
  static void tearDown() throws IOException {
    // whatever happened, the real CRD is back for the next tests (runs before the namespace goes)
    CrdInstaller.install(client, Path.of("crds"));
  }

  /**
   * The real CRD with a spec and a status that take anything: what an older schema without bounds
   * let through.
   */
  static void installLooseCrd() throws IOException {
    CustomResourceDefinition crd;
    try (InputStream in =
        Files.newInputStream(Path.of("crds", "labeledappsets.labeledapps.io-v1.yml"))) {
      crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
    }
    CrdInstaller.withoutValidationRules(crd);
    for (String loose : List.of("spec", "status")) {
      crd.getSpec()
          .getVersions()
          .forEach(
              v ->
                  v.getSchema()
                      .getOpenAPIV3Schema()
                      .getProperties()
                      .put(
                          loose,
                          new JSONSchemaPropsBuilder()
                              .withType("object")
                              .withXKubernetesPreserveUnknownFields(true)
                              .build()));
    }
    client.resource(crd).fieldManager("labeledappset-operator").forceConflicts().serverSideApply();
    // the API server serves the new schema a moment after it stores the CRD: wait until it admits
    await(
        "the loose schema admits an int64",
        TIMEOUT,
        () -> {
          GenericKubernetesResource probe =
              set("probe", "{\"progressDeadlineSeconds\":4294967296}");
          client.genericKubernetesResources(SETS).inNamespace(ns).resource(probe).create();
          client
              .genericKubernetesResources(SETS)
              .inNamespace(ns)
              .withName("probe")
              .withGracePeriod(0)
              .delete();
          return true;
        });
  }

  static GenericKubernetesResource set(String name, String specFields) {
    String spec = specFields.replaceFirst("}$", "").replaceFirst("^\\{", "");
    // the operator's serialization: Jackson's default limits refuse the long label key below
    return client
        .getKubernetesSerialization()
        .unmarshal(
            """
        {"apiVersion":"labeledapps.io/v1alpha1","kind":"LabeledAppSet","metadata":{"name":"%s","namespace":"%s"},
         "spec":{"replicas":2,"labels":{"app":"%s"},"containers":[{"name":"web","image":"nginx:1.27"}]%s}}"""
                .formatted(name, ns, name, spec.isEmpty() ? "" : "," + spec),
            GenericKubernetesResource.class);
  }

  static void store(GenericKubernetesResource set) {
    client.genericKubernetesResources(SETS).inNamespace(ns).resource(set).create();
  }

  static LabeledAppSet fetch(String name) {
    return client.resources(LabeledAppSet.class).inNamespace(ns).withName(name).get();
  }

  static io.fabric8.kubernetes.api.model.Condition ready(String name) {
    return FaultSupport.currentReady(client, ns, name);
  }

  static String readyReason(String name) {
    var c = ready(name);
    return c == null ? null : c.getReason();
  }

  static boolean warned(String set, String text) {
    return Events.any(
        client,
        ns,
        Events.of("Warning", "InvalidSpec", set).and(e -> e.getMessage().contains(text)));
  }

  static List<Pod> pods(String set) {
    return client.pods().inNamespace(ns).withLabel(Labels.INSTANCE, set).list().getItems().stream()
        .filter(p -> !PodState.isTerminating(p))
        .toList();
  }

  static boolean converged(String set, int replicas) {
    List<Pod> pods = pods(set);
    return "AllPodsReady".equals(readyReason(set))
        && pods.size() == replicas
        && pods.stream().allMatch(PodState::isReady);
  }

  static double unreadable(OperatorProcess operator, String kind) {
    return PrometheusText.parse(operator.metrics())
        .sum("labeledappset_unreadable_objects_total", Map.of("kind", kind, "namespace", ns));
  }

  @Test
  void unreadableObjectsAreReportedAndNeverStopTheOperator() throws Exception {
    installLooseCrd();
    store(set("healthy", "{}"));
    store(set("big", "{\"progressDeadlineSeconds\":2147483648}"));
    store(set("wrongtype", "{\"progressDeadlineSeconds\":\"soon\"}"));
    // a label key of 60,000 characters: a JSON name in spec and in the set's managedFields
    store(
        set("longkey", "{\"labels\":{\"app\":\"longkey\",\"" + "k".repeat(60_000) + "\":\"v\"}}"));
    // a readable spec with a status the operator cannot read: it writes a fresh one
    store(set("oddstatus", "{}"));
    client
        .genericKubernetesResources(SETS)
        .inNamespace(ns)
        .withName("oddstatus")
        .subresource("status")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"status\":{\"observedGeneration\":\"old\",\"conditions\":7}}");
    assertEquals(
        null, fetch("oddstatus").getStatus(), "stored, and unreadable to the operator's types");
    // not the operator's, but its pods informer lists it (it carries the managed-by label)
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("long-env")
                .withNamespace(ns)
                .addToLabels(Labels.MANAGED_BY, Labels.MANAGER)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("busybox")
                .addNewEnv()
                .withName(LONG_ENV_NAME)
                .withValue("x")
                .endEnv()
                .endContainer()
                .endSpec()
                .build())
        .create();
    Pod stored = client.pods().inNamespace(ns).withName("long-env").get();
    assertTrue(
        client
            .getKubernetesSerialization()
            .asJson(stored.getMetadata().getManagedFields())
            .contains(LONG_ENV_NAME),
        "the server records the env var by its name, as a JSON name of managedFields");

    // a server without the bounds (the loose CRD still installed): statuses can be written
    try (OperatorProcess first =
        OperatorProcess.start("unreadable-first", ns, "").started(STARTUP)) {
      await("the healthy set converges beside them", TIMEOUT, () -> converged("healthy", 2));
      await(
          "a fresh status replaces one that cannot be read",
          TIMEOUT,
          () -> converged("oddstatus", 2));
      await(
          "the unreadable sets are reported",
          TIMEOUT,
          () ->
              "InvalidSpec".equals(readyReason("big"))
                  && "InvalidSpec".equals(readyReason("wrongtype"))
                  && "InvalidSpec".equals(readyReason("longkey")));
      assertEquals(
          "spec is invalid: spec.progressDeadlineSeconds: 2147483648 is out of range of int32",
          ready("big").getMessage());
      assertEquals(
          "spec is invalid: spec.progressDeadlineSeconds: must be int32, got \"soon\"",
          ready("wrongtype").getMessage());
      await(
          "Warning events name the fields",
          TIMEOUT,
          () ->
              warned("big", "spec.progressDeadlineSeconds: 2147483648 is out of range of int32")
                  && warned(
                      "wrongtype", "spec.progressDeadlineSeconds: must be int32, got \"soon\""));
      assertEquals(List.of(), pods("big"), "nothing is created for a set that cannot be read");
      assertEquals(List.of(), pods("wrongtype"));
      assertEquals(2.0, unreadable(first, "LabeledAppSet"), "big and wrongtype, once each");

      client
          .genericKubernetesResources(SETS)
          .inNamespace(ns)
          .withName("healthy")
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":3}}");
      await("the healthy set still reacts", TIMEOUT, () -> converged("healthy", 3));
      assertTrue(first.isAlive(), "operator running:\n" + first.tail());
    }
    // stopped by SIGTERM: what it wrote last still stands (a half-stopped operator writes nothing)
    assertEquals("AllPodsReady", readyReason("healthy"));
    assertEquals("InvalidSpec", readyReason("big"));

    // stored while no operator runs; then the real schema is back, which refuses this spec's type,
    // and the server validates a status write with the whole stored object
    store(set("refused", "{\"progressDeadlineSeconds\":\"soon\"}"));
    // readable, but below the current schema's minimum (1): its status writes are refused the same
    // way
    store(set("stale", "{\"progressDeadlineSeconds\":0}"));
    CrdInstaller.install(client, Path.of("crds"));

    try (OperatorProcess second =
        OperatorProcess.start("unreadable-second", ns, "").started(STARTUP)) {
      assertEquals("InvalidSpec", readyReason("big"), "a restart starts from the same objects");
      await("the healthy set is as it was", TIMEOUT, () -> converged("healthy", 3));
      // its status cannot be written: the event, the log line and the metric say it, nothing is
      // retried
      await(
          "a Warning event for the set whose status is refused",
          TIMEOUT,
          () -> warned("refused", "spec.progressDeadlineSeconds: must be int32, got \"soon\""));
      await(
          "the refusal logged",
          TIMEOUT,
          () ->
              second
                  .output()
                  .contains("Status of LabeledAppSet " + ns + "/refused cannot be written"));
      assertEquals(null, fetch("refused").getStatus());
      await(
          "the refusal of a readable set's status logged once, not retried",
          TIMEOUT,
          () ->
              second
                  .output()
                  .contains("Status of LabeledAppSet " + ns + "/stale cannot be written"));
      assertEquals(List.of(), pods("refused"));

      client
          .genericKubernetesResources(SETS)
          .inNamespace(ns)
          .withName("big")
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"spec\":{\"progressDeadlineSeconds\":600}}");
      await("the fixed set converges", TIMEOUT, () -> converged("big", 2));
      assertTrue(second.isAlive(), "operator running:\n" + second.tail());
      assertEquals(
          3.0,
          unreadable(second, "LabeledAppSet"),
          "big (before its fix), wrongtype and refused, once each");
      assertTrue(
          second
              .output()
              .contains("LabeledAppSet " + ns + "/refused (generation 1, resourceVersion"),
          "a WARN line names it:\n" + second.tail());
      assertTrue(
          !second.output().contains("Exhausted retries"),
          "a refused status is not retried:\n" + second.tail());
    }
  }
}

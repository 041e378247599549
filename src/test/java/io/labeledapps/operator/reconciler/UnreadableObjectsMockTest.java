package io.labeledapps.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.LabeledAppSetOperator;
import io.labeledapps.operator.MockKubelet;
import io.labeledapps.operator.config.OperatorConfig;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.observability.PrometheusText;
import io.labeledapps.operator.testkit.Await;
import io.labeledapps.operator.testkit.Edits;
import io.labeledapps.operator.testkit.EnabledNamespace;
import io.labeledapps.operator.testkit.Events;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Objects stored on the server that the operator's types cannot hold, as an old schema or a client
 * that skipped validation leaves them: the operator keeps running, reports the set, skips the pod,
 * and converges once the set is fixed. The mock server stores whatever JSON it is sent.
 */
@EnableKubernetesMockClient(crud = true)
class UnreadableObjectsMockTest {
  static KubernetesClient client;
  static KubernetesMockServer server;

  private static final String NS = "unreadable";
  private static final ResourceDefinitionContext SETS =
      new ResourceDefinitionContext.Builder()
          .withGroup("labeledapps.io")
          .withVersion("v1alpha1")
          .withKind("LabeledAppSet")
          .withPlural("labeledappsets")
          .withNamespaced(true)
          .build();
  private LabeledAppSetOperator operator;

  static GenericKubernetesResource set(String name, String deadline) {
    return Serialization.unmarshal(
        """
        {"apiVersion":"labeledapps.io/v1alpha1","kind":"LabeledAppSet","metadata":{"name":"%s","namespace":"%s"},
         "spec":{"replicas":2,"progressDeadlineSeconds":%s,"labels":{"app":"%s"},
                 "containers":[{"name":"web","image":"nginx:1.27"}]}}"""
            .formatted(name, NS, deadline, name),
        GenericKubernetesResource.class);
  }

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
  }

  @Test
  void unreadableSetIsReportedAndUnreadablePodSkippedWhileTheOthersConverge() {
    EnabledNamespace.apply(client, NS);
    // stored before the operator starts: its first list holds them
    client
        .genericKubernetesResources(SETS)
        .inNamespace(NS)
        .resource(set("big", "2147483648"))
        .create();
    client.genericKubernetesResources(SETS).inNamespace(NS).resource(set("good", "600")).create();
    client
        .genericKubernetesResources("v1", "Pod")
        .inNamespace(NS)
        .resource(
            Serialization.unmarshal(
                """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"stray","namespace":"%s",
          "labels":{"%s":"%s"}},
         "spec":{"containers":[{"name":"web","image":"nginx","ports":[{"containerPort":"http"}]}]}}"""
                    .formatted(NS, Labels.MANAGED_BY, Labels.MANAGER),
                GenericKubernetesResource.class))
        .create();

    OperatorConfig config = new OperatorConfig();
    config.metricsPort = 0;
    operator = assertStarts(config);

    await("the readable set is Ready", () -> "AllPodsReady".equals(readyReason("good")));
    await("the unreadable set reported", () -> "InvalidSpec".equals(readyReason("big")));
    assertEquals(
        "spec is invalid: spec.progressDeadlineSeconds: 2147483648 is out of range of int32",
        ready("big").get("message"));
    assertEquals("False", ready("big").get("status"));
    await(
        "a Warning event for it",
        () ->
            Events.any(
                client,
                NS,
                Events.of("Warning", "InvalidSpec", "big")
                    .and(
                        e ->
                            e.getMessage()
                                .contains(
                                    "spec.progressDeadlineSeconds: 2147483648 is out of range of int32"))));
    assertEquals(List.of(), pods("big"), "nothing is created for a set that cannot be read");
    assertEquals(1.0, unreadable("LabeledAppSet"), "counted once, not once per pass");
    assertTrue(unreadable("Pod") >= 1.0, "the pod left out of the cache is counted");

    // stored while the operator runs: its watch brings it
    client
        .genericKubernetesResources(SETS)
        .inNamespace(NS)
        .resource(set("later", "99999999999"))
        .create();
    await("the set from the watch reported", () -> "InvalidSpec".equals(readyReason("later")));
    assertEquals(2.0, unreadable("LabeledAppSet"));

    // the readable set still reacts to changes
    Edits.generic(client, SETS, NS, "good", g -> spec(g).put("replicas", 3));
    await(
        "the readable set scaled to 3",
        () -> pods("good").size() == 3 && "AllPodsReady".equals(readyReason("good")));

    Edits.generic(client, SETS, NS, "big", g -> spec(g).put("progressDeadlineSeconds", 600));
    await(
        "the fixed set converges",
        () -> pods("big").size() == 2 && "AllPodsReady".equals(readyReason("big")));
  }

  private LabeledAppSetOperator assertStarts(OperatorConfig config) {
    try {
      return LabeledAppSetOperator.start(config, client);
    } catch (Exception e) {
      throw new AssertionError("the operator did not start with unreadable objects stored", e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> spec(GenericKubernetesResource set) {
    return (Map<String, Object>) set.getAdditionalProperties().get("spec");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> ready(String name) {
    GenericKubernetesResource set =
        client.genericKubernetesResources(SETS).inNamespace(NS).withName(name).get();
    Map<String, Object> status =
        set == null ? null : (Map<String, Object>) set.getAdditionalProperties().get("status");
    if (status == null || status.get("conditions") == null) {
      return Map.of();
    }
    return ((List<Map<String, Object>>) status.get("conditions"))
        .stream().filter(c -> "Ready".equals(c.get("type"))).findFirst().orElse(Map.of());
  }

  static String readyReason(String name) {
    return (String) ready(name).get("reason");
  }

  static List<String> pods(String set) {
    return client.pods().inNamespace(NS).withLabel(Labels.INSTANCE, set).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .map(Pod::getMetadata)
        .map(m -> m.getName())
        .sorted()
        .toList();
  }

  private double unreadable(String kind) {
    return PrometheusText.parse(operator.registry().scrape())
        .sum("labeledappset_unreadable_objects_total", Map.of("kind", kind, "namespace", NS));
  }

  /**
   * The mock kubelet, for the pods of the sets only: the stray pod cannot be read by the typed
   * client either.
   */
  static void runPods() {
    client.pods().inNamespace(NS).withLabel(Labels.INSTANCE).list().getItems().stream()
        .filter(p -> p.getStatus() == null || !"Running".equals(p.getStatus().getPhase()))
        .forEach(p -> MockKubelet.run(client, p));
  }

  /**
   * Waits until {@code condition} holds, playing the kubelet for the sets' pods meanwhile (the only
   * pods are theirs and the stray one, which it leaves alone).
   */
  static void await(String what, BooleanSupplier condition) {
    Await.until(
        what,
        Duration.ofSeconds(30),
        Await.MOCK_POLL,
        () -> {
          runPods();
          return condition.getAsBoolean();
        },
        () ->
            "sets now: "
                + client.genericKubernetesResources(SETS).inNamespace(NS).list().getItems().stream()
                    .map(
                        s ->
                            s.getMetadata().getName()
                                + " "
                                + s.getAdditionalProperties().get("status"))
                    .toList());
  }
}

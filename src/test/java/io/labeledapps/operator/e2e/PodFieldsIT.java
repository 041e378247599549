package io.labeledapps.operator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.api.DisruptionBudget;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.deploy.Manifests;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.model.TemplateHash;
import io.labeledapps.operator.status.Conditions;
import io.labeledapps.operator.status.PodState;
import io.labeledapps.operator.testkit.Await;
import io.labeledapps.operator.testkit.Edits;
import io.labeledapps.operator.testkit.PodFields;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The realistic example of deploy/examples applied end to end on the real API server: every
 * pod-level and container-level field reaches every pod as written (the server may only add), a
 * change of one rolls the pods, minReadySeconds and disruptionBudget roll none, and the
 * PodDisruptionBudget (policy/v1beta1 on 1.20) is created, updated, deleted and selects exactly the
 * set's pods.
 */
class PodFieldsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  @RegisterExtension static final E2eOperator e2e = E2eOperator.perClass("las-podfields");
  static final KubernetesClient client = e2e.client;
  static final String ns = e2e.ns;
  static String priorityClass;

  @BeforeAll
  static void setUp() throws IOException {
    for (HasMetadata o :
        Manifests.parse(Files.readString(Path.of("deploy/examples/prerequisites/real-app.yaml")))) {
      o.getMetadata().setNamespace(ns);
      client.resource(o).create();
    }
    priorityClass = ns + "-high";
    client
        .resource(
            new PriorityClassBuilder()
                .withNewMetadata()
                .withName(priorityClass)
                .endMetadata()
                .withValue(1000)
                .build())
        .create();
  }

  @AfterAll
  static void tearDown() {
    client.scheduling().v1().priorityClasses().withName(priorityClass).delete();
  }

  static LabeledAppSet example() throws IOException {
    LabeledAppSet set =
        Serialization.unmarshal(
            Files.readString(Path.of("deploy/examples/real-app.yaml")), LabeledAppSet.class);
    set.getMetadata().setNamespace(ns);
    return set;
  }

  /** Ready on the current generation with every pod available. */
  static boolean available(String name, int replicas) {
    LabeledAppSet s = e2e.fetch(name);
    return Sets.ready(s)
        && Objects.equals(s.getStatus().getAvailableReplicas(), replicas)
        && e2e.pods(name).size() == replicas;
  }

  static GenericKubernetesResource budget(String name) {
    return client
        .genericKubernetesResources("policy/v1beta1", "PodDisruptionBudget")
        .inNamespace(ns)
        .withName(name)
        .get();
  }

  static void await(String what, BooleanSupplier condition) {
    Await.until(what, TIMEOUT, condition);
  }

  /**
   * Every field of {@code written} is in {@code actual} with the same value; {@code actual} may
   * have more (the API server's defaults) and longer lists.
   */
  static void assertContains(String path, JsonNode written, JsonNode actual) {
    assertNotNull(actual, path + " is missing");
    if (written.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = written.fields(); it.hasNext(); ) {
        var e = it.next();
        assertContains(path + "." + e.getKey(), e.getValue(), actual.get(e.getKey()));
      }
    } else if (written.isArray()) {
      // admission may append (DefaultTolerationSeconds adds two tolerations), never drop or reorder
      assertTrue(actual.size() >= written.size(), path + " lost items: " + actual);
      for (int i = 0; i < written.size(); i++) {
        assertContains(path + "[" + i + "]", written.get(i), actual.get(i));
      }
    } else {
      assertEquals(written.asText(), actual.asText(), path);
    }
  }

  @Test
  void theExampleRunsWithEveryFieldOnEveryPodAndItsBudget() throws IOException {
    LabeledAppSet set = example();
    set.getSpec().setPriorityClassName(priorityClass);
    client.resource(set).create();
    String name = set.getMetadata().getName();
    await("3 available pods", () -> available(name, 3));
    assertEquals(5, e2e.fetch(name).getSpec().getMinReadySeconds());

    JsonNode written = Serialization.jsonMapper().valueToTree(e2e.fetch(name).getSpec());
    for (Pod pod : e2e.pods(name)) {
      JsonNode spec = Serialization.jsonMapper().valueToTree(pod.getSpec());
      for (String field : PodFields.POD) {
        assertContains(
            pod.getMetadata().getName() + ".spec." + field, written.get(field), spec.get(field));
      }
      for (String field :
          List.of(
              "securityContext", "volumeMounts", "env", "envFrom", "lifecycle", "readinessProbe")) {
        assertContains(
            pod.getMetadata().getName() + ".containers[0]." + field,
            written.get("containers").get(0).get(field),
            spec.get("containers").get(0).get(field));
      }
    }

    // the budget: policy/v1beta1 on this server, selecting exactly this set's pods
    await("the PodDisruptionBudget", () -> budget(name) != null);
    GenericKubernetesResource pdb = budget(name);
    assertTrue(PodState.isControlledBy(pdb, e2e.fetch(name)), "owned by the set");
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) pdb.getAdditionalProperties().get("spec");
    assertEquals(Map.of("matchLabels", Labels.selector(e2e.fetch(name))), spec.get("selector"));
    assertEquals(1, spec.get("maxUnavailable"));
    // another set with the same user labels: its pods are not the budget's
    LabeledAppSet twin = example();
    twin.getMetadata().setName("storefront-twin");
    twin.getSpec().setReplicas(2);
    twin.getSpec().setDisruptionBudget(null);
    twin.getSpec().setService(null);
    client.resource(twin).create();
    await("the twin's pods", () -> available("storefront-twin", 2));
    await(
        "the disruption controller counts the set's 3 pods only",
        () -> {
          GenericKubernetesResource b = budget(name);
          Object status = b.getAdditionalProperties().get("status");
          return status instanceof Map<?, ?> m
              && Objects.equals(m.get("expectedPods"), 3)
              && Objects.equals(m.get("currentHealthy"), 3)
              && Objects.equals(m.get("disruptionsAllowed"), 1);
        });

    // minReadySeconds and disruptionBudget change: the budget follows, no pod is replaced
    Set<String> before = e2e.uids(name);
    Edits.set(
        client,
        ns,
        name,
        s -> {
          s.getSpec().setMinReadySeconds(1);
          DisruptionBudget b = new DisruptionBudget();
          b.setMinAvailable(new IntOrString("50%"));
          s.getSpec().setDisruptionBudget(b);
        });
    await(
        "the budget updated",
        () -> {
          @SuppressWarnings("unchecked")
          Map<String, Object> s =
              (Map<String, Object>) budget(name).getAdditionalProperties().get("spec");
          return "50%".equals(s.get("minAvailable")) && !s.containsKey("maxUnavailable");
        });
    await("status of the new generation", () -> available(name, 3));
    assertEquals(before, e2e.uids(name), "no pod replaced");

    // a pod field changes: every pod is replaced by one carrying it
    String hash = e2e.pods(name).get(0).getMetadata().getAnnotations().get(TemplateHash.ANNOTATION);
    Edits.set(
        client,
        ns,
        name,
        s ->
            s.getSpec()
                .getTolerations()
                .add(
                    new TolerationBuilder()
                        .withKey("spot")
                        .withOperator("Exists")
                        .withEffect("NoSchedule")
                        .build()));
    await(
        "pods replaced with the new toleration",
        () ->
            available(name, 3)
                && e2e.allPods(
                    name,
                    p ->
                        !hash.equals(p.getMetadata().getAnnotations().get(TemplateHash.ANNOTATION))
                            && p.getSpec().getTolerations().stream()
                                .anyMatch(t -> "spot".equals(t.getKey()))));
    assertTrue(e2e.uids(name).stream().noneMatch(before::contains));

    // the budget removed: deleted; then the set deleted: nothing of it left
    Edits.set(client, ns, name, s -> s.getSpec().setDisruptionBudget(null));
    await("the budget deleted", () -> budget(name) == null);
    assertEquals(3, e2e.pods(name).size());
    Edits.set(
        client,
        ns,
        name,
        s -> {
          DisruptionBudget b = new DisruptionBudget();
          b.setMaxUnavailable(new IntOrString(1));
          s.getSpec().setDisruptionBudget(b);
        });
    await("the budget back", () -> budget(name) != null);
    client.resources(LabeledAppSet.class).inNamespace(ns).withName(name).delete();
    await("the budget garbage-collected with the set", () -> budget(name) == null);
  }

  /**
   * What {@code kubectl explain labeledappset.spec.volumes} (and the other new fields) reads: the
   * server's OpenAPI.
   */
  @Test
  void theServerPublishesTheNewFieldsWithTheirDescriptions() throws IOException {
    JsonNode definitions =
        Serialization.jsonMapper().readTree(client.raw("/openapi/v2")).get("definitions");
    JsonNode set = null;
    for (Iterator<String> names = definitions.fieldNames(); names.hasNext(); ) {
      String n = names.next();
      if (n.endsWith("labeledapps.v1alpha1.LabeledAppSet")) {
        set = definitions.get(n);
      }
    }
    assertNotNull(set, "the CRD's schema is published");
    JsonNode spec = set.get("properties").get("spec").get("properties");
    List<String> documented = new ArrayList<>(PodFields.POD);
    documented.addAll(List.of("minReadySeconds", "disruptionBudget"));
    for (String field : documented) {
      assertTrue(
          spec.has(field) && !spec.get(field).path("description").asText().isBlank(),
          "spec." + field);
    }
    JsonNode volume = spec.get("volumes").get("items").get("properties");
    assertTrue(
        volume.get("configMap").path("description").asText().contains("ConfigMap"),
        volume.toString());
    assertTrue(!volume.has("hostPath"), "no hostPath volumes");
    JsonNode container = spec.get("containers").get("items").get("properties");
    for (String field : List.of("securityContext", "volumeMounts", "envFrom", "lifecycle")) {
      assertTrue(
          !container.get(field).path("description").asText().isBlank(), "containers[]." + field);
    }
  }

  /** A budget of the set's name that is not the set's is left alone and reported. */
  @Test
  void aForeignBudgetOfTheSameNameIsReportedNotTouched() throws IOException {
    GenericKubernetesResource foreign =
        Serialization.unmarshal(
            """
        apiVersion: policy/v1beta1
        kind: PodDisruptionBudget
        metadata:
          name: taken
        spec:
          minAvailable: 1
          selector:
            matchLabels: {app: someone-else}
        """,
            GenericKubernetesResource.class);
    client
        .genericKubernetesResources("policy/v1beta1", "PodDisruptionBudget")
        .inNamespace(ns)
        .resource(foreign)
        .create();
    LabeledAppSet set = example();
    set.getMetadata().setName("taken");
    set.getSpec().setReplicas(1);
    set.getSpec().setService(null);
    client.resource(set).create();
    await(
        "DisruptionBudgetConflict",
        () -> {
          LabeledAppSet s = e2e.fetch("taken");
          var ready = s == null ? null : Conditions.find(s.getStatus(), Conditions.READY);
          return ready != null && "DisruptionBudgetConflict".equals(ready.getReason());
        });
    GenericKubernetesResource after = budget("taken");
    assertTrue(
        after.getMetadata().getOwnerReferences() == null
            || after.getMetadata().getOwnerReferences().isEmpty());
    assertEquals(1, ((Map<?, ?>) after.getAdditionalProperties().get("spec")).get("minAvailable"));
  }
}

package io.labeledapps.operator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.crd.CrdInstaller;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.testkit.Await;
import io.labeledapps.operator.testkit.Events;
import io.labeledapps.operator.validation.Corpus;
import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Applies every set of the malformed corpus ({@code src/test/resources/corpus/malformed}, and the
 * regressions in {@code corpus/hostile}) to the API server in KUBECONFIG, with the operator running
 * and the valid corpus beside it: each malformed set is rejected by the API server (schema) or
 * stored and reported by the operator (InvalidSpec naming its fields, a Warning Event, nothing
 * created, no retries), and the valid sets converge.
 */
class MalformedCorpusIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  @RegisterExtension static final E2eOperator e2e = E2eOperator.perClass("las-corpus");
  static final KubernetesClient client = e2e.client;
  static final String ns = e2e.ns;

  /**
   * POSTs the set exactly as its YAML says, as JSON: a typed client could not carry a wrong type or
   * enum value, and fabric8's untyped one turns an empty string into null.
   *
   * @return null when the API server stored it, else its rejection (HTTP 422)
   */
  static String create(Corpus.Case c) {
    HttpResponse<String> response = Admission.post(client, ns, c.object(), "");
    if (response.code() == 201) {
      return null;
    }
    if (response.code() == 422) {
      return response.body();
    }
    throw new AssertionError(c + ": HTTP " + response.code() + " " + response.body());
  }

  static LabeledAppSet fetch(String name) {
    return client.resources(LabeledAppSet.class).inNamespace(ns).withName(name).get();
  }

  static io.fabric8.kubernetes.api.model.Condition ready(String name) {
    return FaultSupport.currentReady(client, ns, name);
  }

  static void await(String what, BooleanSupplier condition) {
    await(what, condition, () -> "");
  }

  static void await(
      String what, BooleanSupplier condition, java.util.function.Supplier<String> state) {
    Await.until(what, TIMEOUT, condition, state);
  }

  /**
   * The field as a 1.20 API server names it in a schema error: without list indices, map keys after
   * a dot ({@code spec.containers.ports.name}, {@code spec.labels.env}).
   */
  static String serverPath(String path) {
    return path.replaceAll("\\[[0-9]+\\]", "").replaceAll("\\[([^\\]]+)\\]", ".$1");
  }

  /** No object of {@code kind} carries set {@code set}'s instance label. */
  static boolean nothingLabeled(Class<? extends HasMetadata> kind, String set) {
    return client
        .resources(kind)
        .inNamespace(ns)
        .withLabel(Labels.INSTANCE, set)
        .list()
        .getItems()
        .isEmpty();
  }

  private double counter(String meter, String set) {
    return e2e.operator.registry().find(meter).tag("name", set).counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  @Test
  void everyMalformedSetIsRefusedAndTheSetsBesideThemConverge() throws IOException {
    List<Corpus.Case> valid = Corpus.valid();
    // the hostile-input regressions are stored and refused by the operator's Validate stage the
    // same way
    List<Corpus.Case> malformed = new ArrayList<>(Corpus.malformed());
    malformed.addAll(Corpus.hostile());
    for (Corpus.Case c : valid) {
      assertEquals(null, create(c), c.toString());
    }

    // the cluster is shared: make sure it runs this CRD, not one another run installed meanwhile
    CrdInstaller.install(client, Path.of("crds"));
    Map<Corpus.Case, String> rejected = new LinkedHashMap<>();
    List<Corpus.Case> stored = new ArrayList<>();
    for (Corpus.Case c : malformed) {
      String rejection = create(c);
      if (rejection == null) {
        stored.add(c);
      } else {
        rejected.put(c, rejection);
      }
    }

    List<String> wrong = new ArrayList<>();
    for (Corpus.Case c : malformed) {
      if (c.expect() == Corpus.Expect.SCHEMA && !rejected.containsKey(c)) {
        wrong.add(c + ": the API server accepted it; is the CRD from crds/ installed?");
      } else if (c.expect() == Corpus.Expect.SCHEMA) {
        c.paths().stream()
            .map(MalformedCorpusIT::serverPath)
            .filter(p -> !rejected.get(c).contains(p))
            .forEach(
                p ->
                    wrong.add(
                        c
                            + ": the API server's rejection does not name "
                            + p
                            + ": "
                            + rejected.get(c)));
      } else if (!stored.contains(c)) {
        wrong.add(
            c + ": the API server rejected what only the operator should: " + rejected.get(c));
      }
    }
    assertEquals(List.of(), wrong);

    // the operator reports every stored one, naming each field, and creates nothing for it
    for (Corpus.Case c : stored) {
      await(
          c.name() + " InvalidSpec",
          () -> {
            var ready = ready(c.name());
            return ready != null && "InvalidSpec".equals(ready.getReason());
          });
      var condition = ready(c.name());
      assertEquals("False", condition.getStatus(), c.toString());
      for (String path : c.paths()) {
        assertTrue(
            condition.getMessage().contains(path + ": "),
            c + " names " + path + ": " + condition.getMessage());
      }
    }
    await(
        "a Warning event for each refused set",
        () ->
            stored.stream()
                .allMatch(
                    c -> Events.any(client, ns, Events.of("Warning", "InvalidSpec", c.name()))));

    // the sets beside them converge
    for (Corpus.Case c : valid) {
      await(
          c.name() + " Ready",
          () -> ready(c.name()) != null && "True".equals(ready(c.name()).getStatus()),
          () -> Serialization.asYaml(fetch(c.name()).getStatus()));
    }
    Map<String, String> versions = new LinkedHashMap<>();
    stored.forEach(c -> versions.put(c.name(), fetch(c.name()).getMetadata().getResourceVersion()));

    // the operator still runs and still converges what it is given
    assertTrue(e2e.operator.operator().getRuntimeInfo().isStarted());
    assertTrue(e2e.operator.operator().getRuntimeInfo().allEventSourcesAreHealthy());
    assertEquals(null, create(Corpus.valid().get(0).withName("after-the-corpus")));
    await(
        "a set applied after the corpus Ready",
        () ->
            ready("after-the-corpus") != null
                && "True".equals(ready("after-the-corpus").getStatus()));

    for (Corpus.Case c : stored) {
      assertTrue(nothingLabeled(Pod.class, c.name()), c + ": no pod");
      assertTrue(nothingLabeled(Service.class, c.name()), c + ": no Service");
      // no retry loop: reconciled, never failed, and its status not rewritten since it was reported
      // (JOSDK's meters are operator-wide; the operator's own failure counter is per set)
      LabeledAppSet seen = fetch(c.name());
      assertEquals(
          seen.getMetadata().getGeneration(),
          seen.getStatus().getObservedGeneration(),
          c + " reconciled");
      assertEquals(0.0, counter("labeledappset.reconcile.failures", c.name()), c + " never failed");
      assertEquals(
          versions.get(c.name()),
          fetch(c.name()).getMetadata().getResourceVersion(),
          c + " left alone");
    }
  }
}

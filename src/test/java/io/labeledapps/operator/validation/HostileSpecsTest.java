package io.labeledapps.operator.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.conventions.ConventionsConfig;
import io.labeledapps.operator.conventions.QuotaPreflight;
import io.labeledapps.operator.model.TestDesired;
import io.labeledapps.operator.reconciler.Validate;
import io.labeledapps.operator.status.Problem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Hostile specs through the operator's own path, without a server: for each, the Validate stage
 * either reports violations naming a field, or the pod it would write passes an independent oracle
 * of what the API server refuses (Kubernetes' documented quantity pattern, fabric8's quantity
 * arithmetic, the name patterns of pod validation, Jackson's default read limits). Nothing throws.
 * jqwik prints the seed of a failing case; {@code new HostileSpecs(new Random(seed), ...)} replays
 * it. The real API server's word on a sample is {@code HostileSpecsIT}.
 */
class HostileSpecsTest {
  private static final HostileSpecs.Options OPTIONS = new HostileSpecs.Options(false, false);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final io.fabric8.kubernetes.api.model.Namespace NAMESPACE =
      new NamespaceBuilder()
          .withNewMetadata()
          .withName("apps")
          .withResourceVersion("1")
          .addToLabels("labeledapps.io/enabled", "true")
          .endMetadata()
          .build();

  /**
   * Kubernetes' documented quantity pattern (the OpenAPI one), written independently of Quantities.
   */
  private static final Pattern K8S_QUANTITY =
      Pattern.compile(
          "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$");

  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
  private static final Pattern HEADER = Pattern.compile("[-A-Za-z0-9]+");

  @Property(tries = 2000)
  void everyHostileSpecIsReportedByFieldOrMakesAPodTheServerAccepts(@ForAll long seed)
      throws Exception {
    HostileSpecs.Spec generated =
        new HostileSpecs(new Random(seed), OPTIONS).next("h-" + Long.toHexString(seed & 0xffff));
    String json = JSON.writeValueAsString(generated.object());
    Optional<LabeledAppSet> read = read(json);
    if (read.isEmpty()) {
      // only an integer beyond int32 where the schema has a maximum (replicas) makes a set
      // unreadable here
      assertTrue(
          generated.mutations().stream().anyMatch(m -> m.matches("replicas=-?\\d{10,}")),
          "seed " + seed + ": unreadable " + generated.mutations());
      return;
    }
    LabeledAppSet set = read.get();
    set.getMetadata().setNamespace("apps");
    set.getMetadata().setUid("u-" + seed);
    Validate.Verdict verdict = Validate.check(set, NAMESPACE, new ConventionsConfig());
    if (!verdict.valid()) {
      for (Violation v : verdict.violations()) {
        assertTrue(
            v.field().startsWith("spec") || v.field().startsWith("metadata"),
            "seed " + seed + ": " + v);
        assertFalse(v.problem().isBlank(), "seed " + seed + ": " + v);
      }
      Problem problem = verdict.problem();
      assertEquals("InvalidSpec", problem.reason());
      assertTrue(
          problem.message().length() < 10_000,
          "seed " + seed + ": a message of " + problem.message().length());
      return;
    }
    Pod pod = TestDesired.pods(set, List.of(0), verdict.conventions()).get(0);
    List<String> refusals = oracle(pod);
    assertEquals(List.of(), refusals, "seed " + seed + ", mutations " + generated.mutations());
    QuotaPreflight.check(List.of(), pod, 1);
  }

  /**
   * The end-to-end sample uses every option: the generator itself never fails on its own output.
   */
  @Property(tries = 500)
  void theGeneratorWithWrongTypesAndUnreadableValuesStillMakesJson(@ForAll long seed)
      throws Exception {
    HostileSpecs specs = new HostileSpecs(new Random(seed), new HostileSpecs.Options(true, true));
    for (int i = 0; i < 3; i++) {
      assertTrue(JSON.writeValueAsString(specs.next("h-" + i).object()).startsWith("{"));
    }
  }

  private static Optional<LabeledAppSet> read(String json) {
    try {
      return Optional.of(Serialization.unmarshal(json, LabeledAppSet.class));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * What the API server would refuse in {@code pod}, by an implementation independent of PodRules.
   */
  static List<String> oracle(Pod pod) throws Exception {
    List<String> out = new ArrayList<>();
    // Jackson's default limits (names up to 50,000 characters) read it back, as the pods informer
    // will
    JSON.readTree(JSON.writeValueAsString(pod));
    long annotations = 0;
    for (var e : pod.getMetadata().getAnnotations().entrySet()) {
      annotations +=
          e.getKey().getBytes(StandardCharsets.UTF_8).length
              + e.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (annotations > 256 * 1024) {
      out.add("annotations total " + annotations);
    }
    List<Container> all = new ArrayList<>(pod.getSpec().getContainers());
    all.addAll(pod.getSpec().getInitContainers());
    for (Container c : all) {
      var r = c.getResources();
      Map<String, Quantity> limits = r == null || r.getLimits() == null ? Map.of() : r.getLimits();
      Map<String, Quantity> requests =
          r == null || r.getRequests() == null ? Map.of() : r.getRequests();
      for (var e : concat(limits, requests)) {
        String name = e.getKey();
        String text = e.getValue().toString();
        if (!K8S_QUANTITY.matcher(text).matches() || text.startsWith("-")) {
          out.add(c.getName() + " quantity " + name + "=" + text);
        }
        if (!List.of("cpu", "memory", "ephemeral-storage").contains(name)
            && !name.startsWith("hugepages-")
            && !name.contains("/")) {
          out.add(c.getName() + " resource name " + name);
        }
      }
      for (var e : requests.entrySet()) {
        Quantity limit = limits.get(e.getKey());
        if (limit != null
            && Quantity.getAmountInBytes(e.getValue()).compareTo(Quantity.getAmountInBytes(limit))
                > 0) {
          out.add(c.getName() + " request " + e.getKey() + " above limit");
        }
      }
      if (c.getEnv() != null) {
        for (var env : c.getEnv()) {
          if (!ENV_NAME.matcher(env.getName()).matches()) {
            out.add(c.getName() + " env name " + env.getName());
          }
          if (env.getValueFrom() != null) {
            var f = env.getValueFrom();
            long sources =
                java.util.stream.Stream.of(
                        f.getConfigMapKeyRef(),
                        f.getSecretKeyRef(),
                        f.getFieldRef(),
                        f.getResourceFieldRef())
                    .filter(java.util.Objects::nonNull)
                    .count();
            if (sources != 1) {
              out.add(c.getName() + " env " + env.getName() + " sources " + sources);
            }
          }
        }
      }
      for (Probe p :
          java.util.Arrays.asList(
              c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe())) {
        if (p == null) {
          continue;
        }
        if (p.getExec() != null
            && (p.getExec().getCommand() == null || p.getExec().getCommand().isEmpty())) {
          out.add(c.getName() + " exec without command");
        }
        if (p.getHttpGet() != null
            && p.getHttpGet().getHttpHeaders() != null
            && p.getHttpGet().getHttpHeaders().stream()
                .anyMatch(h -> !HEADER.matcher(h.getName()).matches())) {
          out.add(c.getName() + " header name");
        }
        for (Integer timing :
            java.util.Arrays.asList(
                p.getInitialDelaySeconds(),
                p.getPeriodSeconds(),
                p.getTimeoutSeconds(),
                p.getSuccessThreshold(),
                p.getFailureThreshold())) {
          if (timing != null && timing < 0) {
            out.add(c.getName() + " negative probe timing");
          }
        }
      }
    }
    return out;
  }

  private static List<Map.Entry<String, Quantity>> concat(
      Map<String, Quantity> a, Map<String, Quantity> b) {
    List<Map.Entry<String, Quantity>> all = new ArrayList<>(a.entrySet());
    all.addAll(b.entrySet());
    return all;
  }
}

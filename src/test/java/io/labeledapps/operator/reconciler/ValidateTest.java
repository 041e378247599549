package io.labeledapps.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.conventions.ConventionsConfig;
import io.labeledapps.operator.model.TestDesired;
import io.labeledapps.operator.model.TestSets;
import io.labeledapps.operator.status.Problem;
import io.labeledapps.operator.validation.Violation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The Validate stage's rules on the pod template, one Kubernetes refusal at a time. */
class ValidateTest {
  private static final ConventionsConfig CONFIG = new ConventionsConfig();

  private static Namespace namespace(Map<String, String> annotations) {
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(TestSets.NAMESPACE)
        .withResourceVersion("7")
        .addToLabels("labeledapps.io/enabled", "true")
        .withAnnotations(annotations)
        .endMetadata()
        .build();
  }

  /**
   * A set with one container {@code web}; {@code container} is added to it (indented as a
   * container's fields).
   */
  private static LabeledAppSet set(String container) {
    return TestSets.withSpec(
        "web",
        """
        labels:
          app: web
        containers:
          - name: web
            image: nginx:1.27
        %s
        """
            .formatted(container.indent(4)));
  }

  private static List<Violation> violations(String container) {
    return Validate.check(set(container), namespace(Map.of()), CONFIG).violations();
  }

  private static void assertRefused(String field, String words, String container) {
    List<Violation> found = violations(container);
    assertTrue(
        found.stream().anyMatch(v -> v.field().equals(field) && v.problem().contains(words)),
        "expected " + field + " '" + words + "', found " + found);
  }

  @Test
  void aValidSetPassesWithTheTemplateItWillWrite() {
    LabeledAppSet set = set("resources: {requests: {cpu: 100m}, limits: {cpu: '1', memory: 1Gi}}");
    Validate.Verdict verdict = Validate.check(set, namespace(Map.of()), CONFIG);
    assertEquals(List.of(), verdict.violations());
    assertNull(verdict.problem());
    assertEquals(TestDesired.templateHash(set, verdict.conventions()), verdict.hash());
    // the conventions' defaults are in the template checked
    assertEquals(
        "128Mi",
        verdict
            .template()
            .getSpec()
            .getContainers()
            .get(0)
            .getResources()
            .getRequests()
            .get("memory")
            .toString());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "limits: {memory: lots}| spec.containers[0].resources.limits.memory| 'lots' is not a quantity",
        "limits: {memory: 1ki}| spec.containers[0].resources.limits.memory| '1ki' is not a quantity",
        "requests: {cpu: Ti}| spec.containers[0].resources.requests.cpu| 'Ti' is not a quantity",
        "requests: {cpu: '-1'}| spec.containers[0].resources.requests.cpu| negative",
        "requests: {cpu: '2'}, limits: {cpu: 1500m}| spec.containers[0].resources.requests.cpu| is more than the limit 1500m",
        "requests: {memory: 1Gi}, limits: {memory: 1G}| spec.containers[0].resources.requests.memory| is more than the limit",
        "limits: {foo: '1'}| spec.containers[0].resources.limits.foo| 'foo' is not a resource a container can ask for",
        "requests: {storage: 1Gi}| spec.containers[0].resources.requests.storage| not a resource a container can ask for",
        "requests: {'example.com/gpu': '1'}| spec.containers[0].resources.limits.example.com/gpu| is required",
        "requests: {'example.com/gpu': '1'}, limits: {'example.com/gpu': '2'}| spec.containers[0].resources.requests.example.com/gpu| must equal the limit",
        "limits: {'example.com/gpu': 500m}| spec.containers[0].resources.limits.example.com/gpu| not a whole number",
        "limits: {'bad domain/gpu': '1'}| spec.containers[0].resources.limits.bad domain/gpu| not a valid resource name",
        "limits: {hugepages-xyz: 2Mi, memory: 1Gi}| spec.containers[0].resources.limits.hugepages-xyz| not a hugepages resource",
        "limits: {hugepages-2Mi: 3Mi, memory: 1Gi}| spec.containers[0].resources.limits.hugepages-2Mi| not a multiple of the page size"
      })
  void resourcesKubernetesRefusesAreReportedByField(String resources, String field, String words) {
    assertRefused(field, words, "resources: {" + resources + "}");
  }

  @Test
  void hugepagesNeedCpuOrMemoryUnlessTheConventionsDefaultThem() {
    LabeledAppSet set =
        set("resources: {limits: {hugepages-2Mi: 4Mi}, requests: {hugepages-2Mi: 4Mi}}");
    assertEquals(
        List.of(
            new Violation(
                "spec.containers[0].resources",
                "hugepages need a cpu or memory request or limit as well")),
        Validate.check(set, namespace(Map.of()), ConventionsConfig.permissive()).violations());
    assertEquals(
        List.of(),
        Validate.check(set, namespace(Map.of()), CONFIG).violations(),
        "memory defaults to 128Mi");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // resources
        "resources: {requests: {'example.com/gpu': '2', cpu: 1Ti, ephemeral-storage: 1Gi},"
            + " limits: {'example.com/gpu': '2', hugepages-2Mi: 4Mi, memory: 1Gi}}",
        // env
        "env: [{name: my.env-name}, {name: _X1, value: v},"
            + " {name: B, valueFrom: {fieldRef: {fieldPath: \"metadata.labels['app']\"}}},"
            + " {name: C, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}},"
            + " {name: D, valueFrom: {secretKeyRef: {name: db.creds, key: pass_word.1}}}]",
        // probes: zero timings are Kubernetes' defaults
        "readinessProbe: {httpGet: {port: 80, httpHeaders: [{name: X-Trace, value: v}]},"
            + " periodSeconds: 0, timeoutSeconds: 0, successThreshold: 3, failureThreshold: 0, initialDelaySeconds: 0}"
      })
  void whatKubernetesAcceptsPasses(String fragment) {
    assertEquals(List.of(), violations(fragment));
  }

  /** The env and probe fields Kubernetes refuses, each by its own rule. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "env: [{name: 1ST}]| spec.containers[0].env[0].name| not a valid environment variable name",
        "env: [{name: 'MY VAR'}]| spec.containers[0].env[0].name| not a valid environment variable name",
        "env: [{name: '..x'}]| spec.containers[0].env[0].name| not a valid environment variable name",
        "env: [{name: ''}]| spec.containers[0].env[0].name| is required",
        "env: [{name: A, valueFrom: {fieldRef: {fieldPath: metadata.name}, secretKeyRef: {name: s, key: k}}}]| spec.containers[0].env[0].valueFrom| needs exactly one",
        "env: [{name: A, valueFrom: {}}]| spec.containers[0].env[0].valueFrom| found 0",
        "env: [{name: A, value: x, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]| spec.containers[0].env[0]| value or valueFrom, not both",
        "env: [{name: A, valueFrom: {fieldRef: {fieldPath: spec.containers}}}]| spec.containers[0].env[0].valueFrom.fieldRef.fieldPath| not a supported field",
        "env: [{name: A, valueFrom: {secretKeyRef: {name: Bad_Name, key: k}}}]| spec.containers[0].env[0].valueFrom.secretKeyRef.name| not a valid object name",
        "env: [{name: A, valueFrom: {configMapKeyRef: {name: c, key: 'a/b'}}}]| spec.containers[0].env[0].valueFrom.configMapKeyRef.key| not a valid key",
        "env: [{name: A, valueFrom: {resourceFieldRef: {resource: limits.gpu}}}]| spec.containers[0].env[0].valueFrom.resourceFieldRef.resource| not one of",
        "env: [{name: A, valueFrom: {resourceFieldRef: {resource: limits.cpu, divisor: 1Mi}}}]| spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor| not a divisor"
      })
  @CsvSource(
      delimiter = '|',
      value = {
        "livenessProbe: {exec: {command: []}}| spec.containers[0].livenessProbe.exec.command| is required",
        "readinessProbe: {exec: {}}| spec.containers[0].readinessProbe.exec.command| is required",
        "livenessProbe: {tcpSocket: {port: 80}, periodSeconds: -1}| spec.containers[0].livenessProbe.periodSeconds| must be 0 or more",
        "livenessProbe: {tcpSocket: {port: 80}, timeoutSeconds: -5}| spec.containers[0].livenessProbe.timeoutSeconds| must be 0 or more",
        "readinessProbe: {tcpSocket: {port: 80}, initialDelaySeconds: -1}| spec.containers[0].readinessProbe.initialDelaySeconds| must be 0 or more",
        "readinessProbe: {tcpSocket: {port: 80}, failureThreshold: -1}| spec.containers[0].readinessProbe.failureThreshold| must be 0 or more",
        "startupProbe: {tcpSocket: {port: 80}, successThreshold: 2}| spec.containers[0].startupProbe.successThreshold| must be 1",
        "livenessProbe: {tcpSocket: {port: 80}, terminationGracePeriodSeconds: 0}| spec.containers[0].livenessProbe.terminationGracePeriodSeconds| at least 1",
        "readinessProbe: {httpGet: {port: 80, scheme: FTP}}| spec.containers[0].readinessProbe.httpGet.scheme| not HTTP or HTTPS",
        "readinessProbe: {httpGet: {port: 80, httpHeaders: [{name: 'X Bad', value: v}]}}| spec.containers[0].readinessProbe.httpGet.httpHeaders[0].name| not an HTTP header name"
      })
  void envAndProbesKubernetesRefusesAreReportedByField(
      String fragment, String field, String words) {
    assertRefused(field, words, fragment);
  }

  @Test
  void annotationsOverKubernetesTotalSizeAreRefused() {
    LabeledAppSet set = set("");
    set.getSpec().setAnnotations(Map.of("a", "x".repeat(128 * 1024), "b", "y".repeat(128 * 1024)));
    List<Violation> found = Validate.check(set, namespace(Map.of()), CONFIG).violations();
    assertEquals("spec.annotations", found.get(0).field(), found.toString());
    assertTrue(found.get(0).problem().contains("at most 262144"), found.toString());
    set.getSpec().setAnnotations(Map.of("a", "x".repeat(200 * 1024)));
    assertEquals(List.of(), Validate.check(set, namespace(Map.of()), CONFIG).violations());
  }

  @Test
  void everyProblemIsReportedAtOnceInOneBoundedMessage() {
    List<Violation> found =
        violations(
            "resources: {limits: {memory: lots, foo: '1'}}\nenv: [{name: '1'}]\n"
                + "livenessProbe: {exec: {command: []}, periodSeconds: -1}");
    assertEquals(
        java.util.Set.of(
            "spec.containers[0].resources.limits.foo",
            "spec.containers[0].resources.limits.memory",
            "spec.containers[0].env[0].name",
            "spec.containers[0].livenessProbe.exec.command",
            "spec.containers[0].livenessProbe.periodSeconds"),
        found.stream().map(Violation::field).collect(java.util.stream.Collectors.toSet()),
        found.toString());
    LabeledAppSet huge = set("");
    java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
    for (int i = 0; i < 500; i++) {
      labels.put("bad key " + i, "v");
    }
    huge.getSpec().setLabels(labels);
    Problem problem = Validate.check(huge, namespace(Map.of()), CONFIG).problem();
    assertEquals("InvalidSpec", problem.reason());
    assertTrue(
        problem.message().length() <= Validate.MAX_MESSAGE + 40,
        "message of " + problem.message().length());
    assertTrue(
        problem.message().endsWith("more"),
        problem.message().substring(problem.message().length() - 40));
  }

  @Test
  void aBadQuantityInTheNamespaceIsAConventionViolationNotAnException() {
    LabeledAppSet set = set("resources: {limits: {memory: lots}}");
    Namespace badQuantities =
        namespace(
            Map.of(
                "labeledapps.io/default-cpu-limit",
                "Ti",
                "labeledapps.io/max-memory-limit",
                "1ki"));
    Validate.Verdict verdict = Validate.check(set, badQuantities, CONFIG);
    // the spec's own problem is reported; the namespace's are conventions, reported once the spec
    // is fixed
    assertEquals(
        List.of("spec.containers[0].resources.limits.memory"),
        verdict.violations().stream().map(Violation::field).toList());
    Validate.Verdict fixed = Validate.check(set(""), badQuantities, CONFIG);
    assertEquals(
        List.of("InvalidConvention", "InvalidConvention"),
        fixed.conventions().violations().stream().map(v -> v.rule()).toList(),
        fixed.conventions().toString());
  }

  @Test
  void theNamespaceStateChangesWithTheNamespaceAndItsQuotas() {
    var quota =
        new ResourceQuotaBuilder()
            .withNewMetadata()
            .withName("q")
            .withResourceVersion("3")
            .endMetadata()
            .build();
    String before = Validate.namespaceState(namespace(Map.of()), List.of(quota));
    quota.getMetadata().setResourceVersion("4");
    assertTrue(!before.equals(Validate.namespaceState(namespace(Map.of()), List.of(quota))));
    assertEquals(
        Validate.namespaceState(null, List.of()), Validate.namespaceState(null, List.of()));
  }
}

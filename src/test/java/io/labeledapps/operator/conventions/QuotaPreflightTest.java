package io.labeledapps.operator.conventions;

import static io.labeledapps.operator.conventions.Fixtures.quantities;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.labeledapps.operator.model.TestDesired;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The quota preflight: exact shortfalls, Kubernetes' effective pod resources, scoped quotas
 * skipped.
 */
class QuotaPreflightTest {

  /** A quota as the quota controller reports it: status.hard and status.used. */
  static ResourceQuota quota(String name, Map<String, Quantity> hard, Map<String, Quantity> used) {
    return new ResourceQuotaBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("ns")
        .endMetadata()
        .withNewSpec()
        .withHard(hard)
        .endSpec()
        .withNewStatus()
        .withHard(hard)
        .withUsed(used)
        .endStatus()
        .build();
  }

  static Container container(String name, String... resourcePairs) {
    return new ContainerBuilder()
        .withName(name)
        .withImage("x")
        .withResources(Fixtures.resources(resourcePairs))
        .build();
  }

  static Pod pod(List<Container> initContainers, List<Container> containers) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("p")
        .endMetadata()
        .withNewSpec()
        .withInitContainers(initContainers)
        .withContainers(containers)
        .endSpec()
        .build();
  }

  static Pod pod(Container... containers) {
    return pod(List.of(), List.of(containers));
  }

  private static List<String> messages(List<ConventionViolation> violations) {
    violations.forEach(v -> assertEquals("QuotaExceeded", v.rule()));
    return violations.stream().map(ConventionViolation::message).toList();
  }

  /** What remains is hard minus used; the shortfall is what the new pods need beyond it. */
  @ParameterizedTest(name = "hard {0}, used {1}, {3} new pods of {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          500m | 0    | 200m | 3 | 3 new pods need 600m requests.cpu, more than the quota's remaining 500m (short by 100m)
          1    | 800m | 300m | 1 | 1 new pod needs 300m requests.cpu, more than the quota's remaining 200m (short by 100m)
          """)
  void newPodsNeedingMoreCpuThanRemainsAreShortByTheDifference(
      String hard, String used, String request, int newPods, String message) {
    var quota =
        quota("compute", quantities("requests.cpu=" + hard), quantities("requests.cpu=" + used));
    var violations =
        QuotaPreflight.check(
            List.of(quota), pod(container("web", "requests.cpu=" + request)), newPods);
    assertEquals(List.of("ResourceQuota compute: " + message), messages(violations));
  }

  @Test
  void exactlyFittingIsFine() {
    var quota = quota("compute", quantities("requests.cpu=600m", "pods=3"), quantities());
    assertTrue(
        QuotaPreflight.check(List.of(quota), pod(container("web", "requests.cpu=200m")), 3)
            .isEmpty());
  }

  @Test
  void cpuAndMemoryKeysMeanRequests() {
    var quota =
        quota("plain", quantities("cpu=1", "memory=1Gi"), quantities("cpu=500m", "memory=512Mi"));
    var violations =
        QuotaPreflight.check(
            List.of(quota),
            pod(
                container(
                    "web",
                    "requests.cpu=200m",
                    "requests.memory=200Mi",
                    "limits.cpu=10",
                    "limits.memory=10Gi")),
            3);
    assertEquals(
        List.of(
            "ResourceQuota plain: 3 new pods need 600m cpu, more than the quota's remaining 500m (short by 100m)",
            "ResourceQuota plain: 3 new pods need 600Mi memory, more than the quota's remaining 512Mi (short by 88Mi)"),
        messages(violations));
  }

  @Test
  void limitsAreCheckedAgainstLimitKeys() {
    var quota =
        quota(
            "limits",
            quantities("limits.cpu=2", "limits.memory=1Gi"),
            quantities("limits.memory=0"));
    var violations =
        QuotaPreflight.check(
            List.of(quota),
            pod(container("web", "requests.cpu=1m", "limits.cpu=1500m", "limits.memory=300Mi")),
            2);
    // 2 x 1500m = 3 cpu > 2; 2 x 300Mi = 600Mi fits 1Gi
    assertEquals(
        List.of(
            "ResourceQuota limits: 2 new pods need 3 limits.cpu, more than the quota's remaining 2 (short by 1)"),
        messages(violations));
  }

  @Test
  void podCountsAreChecked() {
    var quota =
        quota("count", quantities("pods=5", "count/pods=10"), quantities("pods=4", "count/pods=4"));
    var violations = QuotaPreflight.check(List.of(quota), pod(container("web")), 3);
    assertEquals(
        List.of(
            "ResourceQuota count: 3 new pods need 3 pods, more than the quota's remaining 1 (short by 2)"),
        messages(violations));
  }

  @Test
  void usedAboveHardLeavesNothingRemainingNotANegativeAmount() {
    var quota = quota("over", quantities("pods=2"), quantities("pods=5"));
    assertEquals(
        List.of(
            "ResourceQuota over: 1 new pod needs 1 pods, more than the quota's remaining 0 (short by 1)"),
        messages(QuotaPreflight.check(List.of(quota), pod(container("web")), 1)));
  }

  @Test
  void theEffectivePodRequestIsTheSumOfContainersOrTheLargestInitContainer() {
    var quota = quota("q", quantities("requests.cpu=1", "requests.memory=1Gi"), quantities());
    // containers sum to 300m cpu / 200Mi; the init containers' largest is 500m cpu / 100Mi: the
    // effective
    // pod is 500m cpu (init wins) and 200Mi memory (containers win)
    Pod p =
        pod(
            List.of(
                container("i1", "requests.cpu=500m", "requests.memory=100Mi"),
                container("i2", "requests.cpu=400m", "requests.memory=50Mi")),
            List.of(
                container("a", "requests.cpu=100m", "requests.memory=150Mi"),
                container("b", "requests.cpu=200m", "requests.memory=50Mi")));
    var violations = QuotaPreflight.check(List.of(quota), p, 3);
    assertEquals(
        List.of(
            "ResourceQuota q: 3 new pods need 1500m requests.cpu, more than the quota's remaining 1 (short by 500m)"),
        messages(violations));
    assertTrue(
        QuotaPreflight.check(List.of(quota), p, 2).isEmpty(),
        "2 x 500m fits 1 cpu, 2 x 200Mi fits 1Gi");
    var memOnly = quota("m", quantities("requests.memory=500Mi"), quantities());
    assertEquals(
        List.of(
            "ResourceQuota m: 3 new pods need 600Mi requests.memory, more than the quota's remaining 500Mi (short by 100Mi)"),
        messages(QuotaPreflight.check(List.of(memOnly), p, 3)));
  }

  @Test
  void aQuotaOnLimitsNeedsALimitOnEveryContainerAndNamesThoseWithout() {
    var quota = quota("limits", quantities("limits.cpu=10", "limits.memory=10Gi"), quantities());
    Pod p =
        pod(
            List.of(container("init", "limits.memory=10Mi")),
            List.of(
                container("web", "limits.cpu=100m", "limits.memory=10Mi"),
                container("side", "requests.cpu=10m")));
    assertEquals(
        List.of(
            "ResourceQuota limits: every container must set limits.cpu, and init, side do not (set resources.limits.cpu"
                + " or the namespace annotation labeledapps.io/default-cpu-limit)",
            "ResourceQuota limits: every container must set limits.memory, and side does not (set resources.limits.memory"
                + " or the namespace annotation labeledapps.io/default-memory-limit)"),
        messages(QuotaPreflight.check(List.of(quota), p, 1)));
  }

  @Test
  void aQuotaOnRequestsIsSatisfiedByALimitBecauseTheApiServerCopiesIt() {
    var quota = quota("requests", quantities("requests.memory=1Gi", "cpu=1"), quantities());
    assertTrue(
        QuotaPreflight.check(
                List.of(quota), pod(container("web", "limits.memory=100Mi", "limits.cpu=100m")), 1)
            .isEmpty());
    // in the order of the quota's keys
    assertEquals(
        List.of(
            "ResourceQuota requests: every container must set requests.memory, and web does not"
                + " (set resources.requests.memory or the namespace annotation labeledapps.io/default-memory-request)",
            "ResourceQuota requests: every container must set cpu, and web does not (set resources.requests.cpu"
                + " or the namespace annotation labeledapps.io/default-cpu-request)"),
        messages(QuotaPreflight.check(List.of(quota), pod(container("web")), 1)));
  }

  @Test
  void scopedQuotasAreIgnored() {
    var scoped =
        new ResourceQuotaBuilder(quota("scoped", quantities("pods=1"), quantities("pods=1")))
            .editSpec()
            .withScopes("NotBestEffort")
            .endSpec()
            .build();
    var selected =
        new ResourceQuotaBuilder(quota("selected", quantities("pods=1"), quantities("pods=1")))
            .editSpec()
            .withNewScopeSelector()
            .addNewMatchExpression()
            .withScopeName("PriorityClass")
            .withOperator("In")
            .withValues("high")
            .endMatchExpression()
            .endScopeSelector()
            .endSpec()
            .build();
    assertTrue(QuotaPreflight.check(List.of(scoped, selected), pod(container("web")), 5).isEmpty());
  }

  @Test
  void aQuotaTheControllerHasNotFilledYetIsSkipped() {
    var fresh =
        new ResourceQuotaBuilder()
            .withNewMetadata()
            .withName("fresh")
            .endMetadata()
            .withNewSpec()
            .withHard(quantities("pods=0"))
            .endSpec()
            .build();
    assertTrue(QuotaPreflight.check(List.of(fresh), pod(container("web")), 1).isEmpty());
  }

  @Test
  void zeroNewPodsNeedNothing() {
    var full = quota("full", quantities("pods=0", "requests.cpu=0"), quantities());
    assertTrue(
        QuotaPreflight.check(List.of(full), pod(container("web", "requests.cpu=1")), 0).isEmpty());
    assertTrue(QuotaPreflight.check(null, pod(container("web")), 3).isEmpty());
  }

  @Test
  void otherQuotaKeysAreNotAboutPods() {
    var quota =
        quota(
            "objects",
            quantities("services=0", "requests.storage=0", "count/configmaps=0"),
            quantities());
    assertTrue(
        QuotaPreflight.check(List.of(quota), pod(container("web", "requests.cpu=1")), 3).isEmpty());
  }

  @Test
  void everyQuotaIsCheckedInNameOrder() {
    var b = quota("b-pods", quantities("pods=1"), quantities());
    var a = quota("a-cpu", quantities("requests.cpu=100m"), quantities());
    var violations =
        QuotaPreflight.check(List.of(b, a), pod(container("web", "requests.cpu=100m")), 2);
    assertEquals(2, violations.size());
    assertTrue(
        violations.get(0).message().startsWith("ResourceQuota a-cpu: "), violations.toString());
    assertTrue(
        violations.get(1).message().startsWith("ResourceQuota b-pods: "), violations.toString());
  }

  @Test
  void theDesiredPodWithNamespaceDefaultsIsWhatCounts() {
    // a container without resources gets the namespace's default request, and that is what the
    // quota sees
    var set = Fixtures.set("web");
    ConventionVerdict verdict =
        Conventions.evaluate(
            set,
            Fixtures.enabledWithAnnotations(Map.of("default-cpu-request", "200m")),
            new ConventionsConfig());
    var quota = quota("compute", quantities("requests.cpu=500m"), quantities("requests.cpu=0"));
    var violations = QuotaPreflight.check(List.of(quota), TestDesired.pod(set, 0, verdict), 3);
    assertEquals(
        List.of(
            "ResourceQuota compute: 3 new pods need 600m requests.cpu, more than the quota's remaining"
                + " 500m (short by 100m)"),
        messages(violations));
  }

  @Test
  void formatsAmountsTheWayKubernetesWritesThem() {
    assertEquals("100m", QuotaPreflight.format("requests.cpu", new java.math.BigDecimal("0.1")));
    assertEquals("2", QuotaPreflight.format("cpu", new java.math.BigDecimal("2.000")));
    assertEquals("1500m", QuotaPreflight.format("limits.cpu", new java.math.BigDecimal("1.5")));
    assertEquals(
        "1m",
        QuotaPreflight.format("cpu", new java.math.BigDecimal("0.0001")),
        "rounded up, never to 0");
    assertEquals("1024Mi", QuotaPreflight.format("memory", new java.math.BigDecimal(1L << 30)));
    assertEquals("3Ki", QuotaPreflight.format("memory", new java.math.BigDecimal(3 * 1024)));
    assertEquals("1000", QuotaPreflight.format("requests.memory", new java.math.BigDecimal(1000)));
    assertEquals("7", QuotaPreflight.format("pods", new java.math.BigDecimal(7)));
  }
}

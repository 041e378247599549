package io.labeledapps.operator.deploy;

import static io.labeledapps.operator.deploy.Manifests.all;
import static io.labeledapps.operator.deploy.Manifests.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.labeledapps.operator.config.OperatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart, rendered by Helm itself (helm-java, no cluster), installs what {@code deploy/}
 * installs: the same objects, the same RBAC rules, the same Deployment security settings, a
 * configuration the operator accepts; and its values do what values.yaml says.
 */
class HelmChartTest {
  private static final String CRD = "labeledappsets.labeledapps.io-v1.yml";

  private final List<HasMetadata> deploy = Manifests.deploy();
  private final List<HasMetadata> chart = Manifests.helm(Map.of());

  @Test
  void lintIsClean() {
    LintResult lint = new Helm(Manifests.CHART).lint().strict().call();
    assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
    assertTrue(
        lint.getMessages().stream()
            .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]")),
        String.join("\n", lint.getMessages()));
  }

  @Test
  void chartCrdIsTheCrdOfCrdsFolder() throws IOException {
    assertEquals(
        Files.readString(Manifests.CRDS.resolve(CRD)),
        Files.readString(Manifests.CHART.resolve("crds").resolve(CRD)),
        "the chart's crds/ is stale: run 'make crds' (it copies crds/ into the chart) and commit it");
  }

  @Test
  void installedAsLabeledappsetOperatorItCreatesWhatDeployCreatesButTheNamespace() {
    Set<String> fromDeploy =
        deploy.stream()
            .filter(o -> !o.getKind().equals("Namespace"))
            .map(HelmChartTest::id)
            .collect(Collectors.toSet());
    Set<String> fromChart = chart.stream().map(HelmChartTest::id).collect(Collectors.toSet());
    assertEquals(fromDeploy, fromChart);
  }

  @Test
  void rbacRulesAreTheRulesOfDeploy() {
    assertEquals(
        one(deploy, ClusterRole.class, null).getRules(),
        one(chart, ClusterRole.class, null).getRules());
    assertEquals(one(deploy, Role.class, null).getRules(), one(chart, Role.class, null).getRules());
    assertEquals(
        one(deploy, ClusterRoleBinding.class, null).getRoleRef(),
        one(chart, ClusterRoleBinding.class, null).getRoleRef());
    assertEquals(
        one(deploy, RoleBinding.class, null).getRoleRef(),
        one(chart, RoleBinding.class, null).getRoleRef());
  }

  @Test
  void bindingsNameTheReleaseServiceAccountInTheReleaseNamespace() {
    List<HasMetadata> other = Manifests.parse(Manifests.helmTemplate("team-a", "ops", Map.of()));
    ServiceAccount sa = one(other, ServiceAccount.class, null);
    assertEquals("ops", sa.getMetadata().getNamespace());
    Subject expected = new Subject(null, "ServiceAccount", sa.getMetadata().getName(), "ops");
    assertEquals(List.of(expected), one(other, ClusterRoleBinding.class, null).getSubjects());
    assertEquals(List.of(expected), one(other, RoleBinding.class, null).getSubjects());
    Role role = one(other, Role.class, null);
    assertEquals(
        "ops",
        role.getMetadata().getNamespace(),
        "the Lease Role lives in the release's namespace");
    assertEquals(
        role.getMetadata().getName(), one(other, RoleBinding.class, null).getRoleRef().getName());
    assertEquals(
        one(other, ClusterRole.class, null).getMetadata().getName(),
        one(other, ClusterRoleBinding.class, null).getRoleRef().getName());
    assertEquals(
        sa.getMetadata().getName(),
        one(other, Deployment.class, null)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getServiceAccountName());
    assertTrue(
        other.stream()
            .filter(o -> !(o instanceof ClusterRole) && !(o instanceof ClusterRoleBinding))
            .allMatch(o -> "ops".equals(o.getMetadata().getNamespace())));
  }

  @Test
  void deploymentHasTheSecurityProbesAndResourcesOfDeploy() {
    Deployment d = one(deploy, Deployment.class, null);
    Deployment h = one(chart, Deployment.class, null);
    PodSpec dp = d.getSpec().getTemplate().getSpec();
    PodSpec hp = h.getSpec().getTemplate().getSpec();
    assertEquals(dp.getSecurityContext(), hp.getSecurityContext());
    assertEquals(dp.getEnableServiceLinks(), hp.getEnableServiceLinks());
    assertEquals(dp.getHostNetwork(), hp.getHostNetwork());
    assertEquals(dp.getVolumes(), hp.getVolumes());
    assertEquals(d.getSpec().getReplicas(), h.getSpec().getReplicas());
    assertEquals(d.getSpec().getStrategy(), h.getSpec().getStrategy());
    Container dc = dp.getContainers().get(0);
    Container hc = hp.getContainers().get(0);
    assertEquals(1, hp.getContainers().size());
    assertEquals(dc.getSecurityContext(), hc.getSecurityContext());
    assertEquals(dc.getLivenessProbe(), hc.getLivenessProbe());
    assertEquals(dc.getReadinessProbe(), hc.getReadinessProbe());
    assertEquals(dc.getResources(), hc.getResources());
    assertEquals(dc.getPorts(), hc.getPorts());
    assertEquals(dc.getEnv(), hc.getEnv());
    assertEquals(dc.getVolumeMounts(), hc.getVolumeMounts());
    assertEquals(dc.getImage(), hc.getImage());
    assertEquals(dc.getImagePullPolicy(), hc.getImagePullPolicy());
  }

  /**
   * helm upgrade --reuse-values of a release installed before resyncSeconds existed renders the
   * chart without it: the operator must still start, with the default.
   */
  @Test
  void aReleaseFromBeforeResyncSecondsStillGetsAConfigTheOperatorAccepts(@TempDir Path tmp)
      throws IOException {
    Map<String, Object> old = new java.util.HashMap<>();
    old.put("config.resyncSeconds", "null");
    OperatorConfig config = load(tmp, configYaml(Manifests.helm(old)));
    assertEquals(600, config.resyncSeconds);
  }

  @Test
  void defaultConfigIsTheConfigOfDeployAndTheOperatorAcceptsIt(@TempDir Path tmp)
      throws IOException {
    String fromDeploy = configYaml(deploy);
    String fromChart = configYaml(chart);
    assertEquals(Manifests.yamlTree(fromDeploy), Manifests.yamlTree(fromChart));
    OperatorConfig config = load(tmp, fromChart);
    assertEquals(List.of(), config.watchNamespaces);
  }

  @Test
  void valuesReachTheConfigTheDeploymentAndTheServices(@TempDir Path tmp) throws IOException {
    List<HasMetadata> objects =
        Manifests.helm(
            Map.ofEntries(
                Map.entry("config.watchNamespaces[0]", "team-a"),
                Map.entry("config.watchNamespaces[1]", "team-b"),
                Map.entry("config.podCreateParallelism", 4),
                Map.entry("config.reconcileThreads", 3),
                Map.entry("metrics.port", 9090),
                Map.entry("image.repository", "registry.example.com/las"),
                Map.entry("image.tag", "1.2.3"),
                Map.entry("resources.limits.memory", "1Gi"),
                Map.entry("metrics.serviceMonitor.enabled", true),
                Map.entry("metrics.serviceMonitor.labels.release", "prom")));
    OperatorConfig config = load(tmp, configYaml(objects));
    assertEquals(List.of("team-a", "team-b"), config.watchNamespaces);
    assertEquals(4, config.podCreateParallelism);
    assertEquals(3, config.reconcileThreads);
    assertEquals(9090, config.metricsPort);

    Container c =
        one(objects, Deployment.class, null)
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertEquals("registry.example.com/las:1.2.3", c.getImage());
    assertEquals(9090, c.getPorts().get(0).getContainerPort());
    assertEquals("1Gi", c.getResources().getLimits().get("memory").toString());

    Service svc = one(objects, Service.class, null);
    assertEquals(9090, svc.getSpec().getPorts().get(0).getPort());
    assertEquals(
        c.getPorts().get(0).getName(), svc.getSpec().getPorts().get(0).getTargetPort().getStrVal());
    Map<String, String> podLabels =
        one(objects, Deployment.class, null).getSpec().getTemplate().getMetadata().getLabels();
    assertTrue(
        podLabels.entrySet().containsAll(svc.getSpec().getSelector().entrySet()),
        "the Service selects the pod");

    GenericKubernetesResource monitor = one(objects, GenericKubernetesResource.class, null);
    assertEquals("ServiceMonitor", monitor.getKind());
    assertEquals("prom", monitor.getMetadata().getLabels().get("release"));
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
    @SuppressWarnings("unchecked")
    Map<String, String> matchLabels =
        (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
    assertTrue(
        svc.getMetadata().getLabels().entrySet().containsAll(matchLabels.entrySet()),
        "the ServiceMonitor selects the metrics Service");
    @SuppressWarnings("unchecked")
    Map<String, Object> endpoint = ((List<Map<String, Object>>) spec.get("endpoints")).get(0);
    assertEquals(svc.getSpec().getPorts().get(0).getName(), endpoint.get("port"));
    assertEquals("/metrics", endpoint.get("path"));
  }

  @Test
  void noServiceMonitorUnlessAskedAndNoneWithoutTheMetricsService() {
    assertTrue(all(chart, GenericKubernetesResource.class).isEmpty(), "ServiceMonitor is opt-in");
    List<HasMetadata> noService = Manifests.helm(Map.of("metrics.service.enabled", false));
    assertTrue(all(noService, Service.class).isEmpty());
    assertThrows(
        RuntimeException.class,
        () ->
            Manifests.helm(
                Map.of("metrics.service.enabled", false, "metrics.serviceMonitor.enabled", true)));
  }

  @Test
  void aConfigChangeChangesThePodTemplateSoThePodRolls() {
    String before = podAnnotation(chart);
    String after = podAnnotation(Manifests.helm(Map.of("config.reconcileThreads", 20)));
    assertFalse(before.equals(after), "checksum/config must follow the configuration");
    assertEquals(
        before,
        podAnnotation(Manifests.helm(Map.of("image.tag", "other"))),
        "and only the configuration");
  }

  @Test
  void conventionsArePassedThroughToTheOperator(@TempDir Path tmp) throws IOException {
    OperatorConfig config =
        load(
            tmp,
            configYaml(
                Manifests.helm(
                    Map.of(
                        "config.conventions.namespaceSelector", "platform.example.com/apps=true",
                        "config.conventions.requiredPodLabels[0]", "team",
                        "config.conventions.ceilings.memoryLimit", "2Gi"))));
    assertEquals("platform.example.com/apps=true", config.conventions.namespaceSelector);
    assertEquals(List.of("team"), config.conventions.requiredPodLabels);
    assertEquals("2Gi", config.conventions.ceilings.memoryLimit);
    // by default the section is left out, and the operator's own defaults apply
    assertFalse(Manifests.yamlTree(configYaml(chart)).has("conventions"));
  }

  @Test
  void leaderElectionValuesSetTheReplicasTheStrategyAndTheConfig(@TempDir Path tmp)
      throws IOException {
    Deployment byDefault = one(chart, Deployment.class, null);
    assertEquals(2, byDefault.getSpec().getReplicas());
    assertEquals("RollingUpdate", byDefault.getSpec().getStrategy().getType());
    OperatorConfig config = load(tmp, configYaml(chart));
    assertTrue(config.leaderElection.enabled);
    assertEquals("labeledappset-operator", config.leaderElection.leaseName);
    assertEquals(
        "metadata.namespace",
        byDefault.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
            .filter(e -> e.getName().equals("POD_NAMESPACE"))
            .findFirst()
            .orElseThrow()
            .getValueFrom()
            .getFieldRef()
            .getFieldPath());

    List<HasMetadata> three =
        Manifests.helm(
            Map.<String, Object>of("replicas", 3, "leaderElection.leaseName", "other-lease"));
    assertEquals(3, one(three, Deployment.class, null).getSpec().getReplicas());
    assertEquals("other-lease", load(tmp, configYaml(three)).leaderElection.leaseName);

    List<HasMetadata> single =
        Manifests.helm(Map.<String, Object>of("leaderElection.enabled", false, "replicas", 1));
    assertEquals(1, one(single, Deployment.class, null).getSpec().getReplicas());
    assertEquals(
        "Recreate",
        one(single, Deployment.class, null).getSpec().getStrategy().getType(),
        "without leader election never two operators at once");
    assertFalse(load(tmp, configYaml(single)).leaderElection.enabled);
    assertThrows(
        RuntimeException.class,
        () -> Manifests.helm(Map.<String, Object>of("leaderElection.enabled", false)),
        "two replicas without leader election are refused");
  }

  private static String podAnnotation(List<HasMetadata> objects) {
    return one(objects, Deployment.class, null)
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getAnnotations()
        .get("checksum/config");
  }

  private static String configYaml(List<HasMetadata> objects) {
    return one(objects, ConfigMap.class, null).getData().get("config.yaml");
  }

  private static OperatorConfig load(Path tmp, String yaml) throws IOException {
    Path file = tmp.resolve("config.yaml");
    Files.writeString(file, yaml);
    // POD_NAMESPACE: what the Deployment sets from the downward API
    return OperatorConfig.load(
        Map.of("LAS_CONFIG", file.toString(), "POD_NAMESPACE", "ops"), List.of());
  }

  private static String id(HasMetadata o) {
    return o.getKind() + " " + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
  }
}

package io.labeledapps.operator.deploy;

import static io.labeledapps.operator.deploy.Manifests.NAME;
import static io.labeledapps.operator.deploy.Manifests.NAMESPACE;
import static io.labeledapps.operator.deploy.Manifests.all;
import static io.labeledapps.operator.deploy.Manifests.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.labeledapps.operator.config.OperatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plain manifests of {@code deploy/}: one installation for {@code kubectl apply -f deploy/} and
 * {@code kubectl apply -k deploy/}, least-privilege RBAC, a configuration the operator accepts, and
 * the pieces wired to each other (ServiceAccount, ConfigMap, ports, probes, Service).
 */
class DeployManifestsTest {
  private final List<HasMetadata> objects = Manifests.deploy();

  private static Map<String, String> podLabels(Deployment d) {
    return d.getSpec().getTemplate().getMetadata().getLabels();
  }

  @Test
  void applyFAndApplyKInstallTheSameFiles() throws IOException {
    assertFalse(
        Files.exists(Manifests.DEPLOY.resolve("kustomization.yaml"))
            || Files.exists(Manifests.DEPLOY.resolve("kustomization.yml")),
        "kubectl apply -f deploy/ would read a kustomization.yaml and fail on kind Kustomization");
    Path kustomization = Manifests.DEPLOY.resolve("Kustomization");
    JsonNode k = Manifests.yamlTree(Files.readString(kustomization));
    assertEquals("Kustomization", k.get("kind").asText());
    List<String> resources = new ArrayList<>();
    k.get("resources").forEach(r -> resources.add(r.asText()));
    List<String> files =
        Manifests.deployFiles().stream().map(p -> p.getFileName().toString()).toList();
    assertEquals(
        files,
        resources,
        "the kustomization lists exactly the files kubectl apply -f deploy/ reads");
    assertTrue(
        files.stream().allMatch(f -> f.matches("\\d\\d-[a-z-]+\\.yaml")), "numbered: " + files);
  }

  @Test
  void namespaceComesFirstAndHoldsEveryNamespacedObject() {
    assertTrue(objects.get(0) instanceof Namespace, "created before what lives in it");
    assertEquals(NAMESPACE, objects.get(0).getMetadata().getName());
    for (HasMetadata o : objects) {
      boolean clusterScoped =
          o instanceof Namespace || o instanceof ClusterRole || o instanceof ClusterRoleBinding;
      assertEquals(
          clusterScoped ? null : NAMESPACE,
          o.getMetadata().getNamespace(),
          o.getKind() + " " + o.getMetadata().getName());
      assertEquals(NAME, o.getMetadata().getLabels().get("app.kubernetes.io/name"), o.getKind());
    }
  }

  @Test
  void rbacHasExplicitVerbsNoWildcardsNoSecretsNoEscalation() {
    List<PolicyRule> rules = new ArrayList<>();
    all(objects, ClusterRole.class).forEach(r -> rules.addAll(r.getRules()));
    all(objects, Role.class).forEach(r -> rules.addAll(r.getRules()));
    assertFalse(rules.isEmpty());
    for (PolicyRule r : rules) {
      Stream.of(r.getApiGroups(), r.getResources(), r.getVerbs())
          .forEach(
              list -> {
                assertNotNull(list, r.toString());
                assertFalse(list.isEmpty(), r.toString());
                assertTrue(list.stream().noneMatch(s -> s.contains("*")), "no wildcards: " + r);
              });
      assertTrue(r.getNonResourceURLs() == null || r.getNonResourceURLs().isEmpty(), r.toString());
      assertFalse(r.getResources().contains("secrets"), "no Secrets: " + r);
      assertTrue(
          r.getResources().stream().noneMatch(s -> s.startsWith("pods/")),
          "no exec, attach, eviction: " + r);
      assertTrue(
          r.getVerbs().stream()
              .noneMatch(Set.of("escalate", "bind", "impersonate", "deletecollection")::contains),
          r.toString());
    }
    assertTrue(
        all(objects, ClusterRole.class).stream()
            .flatMap(c -> c.getRules().stream())
            .noneMatch(r -> r.getApiGroups().contains("coordination.k8s.io")),
        "no cluster-wide Lease access");
    Role leases = one(objects, Role.class, null);
    assertEquals(
        NAMESPACE,
        leases.getMetadata().getNamespace(),
        "Leases in the operator's own namespace only");
    assertEquals(List.of("leases"), leases.getRules().get(0).getResources());
  }

  @Test
  void bindingsGrantTheRolesToTheOperatorServiceAccount() {
    ServiceAccount sa = one(objects, ServiceAccount.class, NAME);
    Subject subject =
        new Subject(
            null, "ServiceAccount", sa.getMetadata().getName(), sa.getMetadata().getNamespace());
    ClusterRoleBinding crb = one(objects, ClusterRoleBinding.class, null);
    assertEquals(List.of(subject), crb.getSubjects());
    assertEquals("ClusterRole", crb.getRoleRef().getKind());
    assertEquals(
        one(objects, ClusterRole.class, null).getMetadata().getName(), crb.getRoleRef().getName());
    RoleBinding rb = one(objects, RoleBinding.class, null);
    assertEquals(List.of(subject), rb.getSubjects());
    assertEquals("Role", rb.getRoleRef().getKind());
    assertEquals(one(objects, Role.class, null).getMetadata().getName(), rb.getRoleRef().getName());
    assertEquals(sa.getMetadata().getName(), pod().getServiceAccountName());
  }

  @Test
  void configMapIsAConfigurationTheOperatorAccepts(@TempDir Path tmp) throws IOException {
    Path file = mountedConfig(tmp);
    // POD_NAMESPACE: what the Deployment sets from the downward API (checked below)
    Map<String, String> env = Map.of("LAS_CONFIG", file.toString(), "POD_NAMESPACE", NAMESPACE);
    OperatorConfig config = OperatorConfig.load(env, List.of());
    assertEquals(List.of(), config.watchNamespaces, "all namespaces by default");
    assertEquals(
        metricsPort().getContainerPort(),
        config.metricsPort,
        "the container port is the operator's port");
    assertTrue(config.leaderElection.enabled, "two replicas need leader election");
    assertEquals(
        NAMESPACE,
        config.leaderElection.leaseNamespace,
        "the Lease lives where the Lease Role allows it");
    assertEquals(NAMESPACE, one(objects, Role.class, null).getMetadata().getNamespace());
    // the operator refuses unknown keys: the same load fails on a typo, so the check above means
    // something
    Files.writeString(file, Files.readString(file) + "reconcileThread: 3\n");
    assertThrows(IOException.class, () -> OperatorConfig.load(env, List.of()));
  }

  @Test
  void deploymentMountsTheConfigWhereLasConfigPoints() {
    PodSpec pod = pod();
    Container c = pod.getContainers().get(0);
    String lasConfig =
        c.getEnv().stream()
            .filter(e -> e.getName().equals("LAS_CONFIG"))
            .findFirst()
            .orElseThrow()
            .getValue();
    Volume config =
        pod.getVolumes().stream().filter(v -> v.getConfigMap() != null).findFirst().orElseThrow();
    assertEquals(
        one(objects, ConfigMap.class, null).getMetadata().getName(),
        config.getConfigMap().getName());
    VolumeMount mount =
        c.getVolumeMounts().stream()
            .filter(m -> m.getName().equals(config.getName()))
            .findFirst()
            .orElseThrow();
    String key = one(objects, ConfigMap.class, null).getData().keySet().iterator().next();
    assertEquals(mount.getMountPath() + "/" + key, lasConfig);
    assertTrue(mount.getReadOnly());
  }

  @Test
  void deploymentIsTwoOperatorsWithProbesResourcesAndAWritableTmp() {
    Deployment d = one(objects, Deployment.class, NAME);
    assertEquals(2, d.getSpec().getReplicas(), "a standby takes over when the leader dies");
    assertEquals(
        "RollingUpdate",
        d.getSpec().getStrategy().getType(),
        "leader election keeps it to one leader");
    assertEquals(
        0,
        d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal(),
        "the standby keeps running while the other replica is replaced");
    var podNamespace =
        pod().getContainers().get(0).getEnv().stream()
            .filter(e -> e.getName().equals("POD_NAMESPACE"))
            .findFirst()
            .orElseThrow();
    assertEquals("metadata.namespace", podNamespace.getValueFrom().getFieldRef().getFieldPath());
    assertTrue(
        podLabels(d).entrySet().containsAll(d.getSpec().getSelector().getMatchLabels().entrySet()));
    assertFalse(
        podLabels(d).containsKey("app.kubernetes.io/managed-by"),
        "the operator's own pod must not look like a pod it manages");
    Container c = pod().getContainers().get(0);
    assertEquals(
        "labeledappset-operator:dev",
        c.getImage(),
        "what make minikube-image builds and make deploy replaces");
    assertProbe(c.getLivenessProbe(), "/healthz");
    assertProbe(c.getReadinessProbe(), "/readyz");
    Map<String, ?> requests = c.getResources().getRequests();
    assertTrue(
        requests.containsKey("cpu") && requests.containsKey("memory"), "requests: " + requests);
    assertTrue(
        c.getResources().getLimits().containsKey("memory"), "a memory limit sizes the JVM heap");
    assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem());
    VolumeMount tmp =
        c.getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals("/tmp"))
            .findFirst()
            .orElseThrow();
    Volume tmpVolume =
        pod().getVolumes().stream()
            .filter(v -> v.getName().equals(tmp.getName()))
            .findFirst()
            .orElseThrow();
    assertNotNull(tmpVolume.getEmptyDir(), "the JVM writes to /tmp");
  }

  @Test
  void metricsServiceSelectsTheOperatorPodOnItsMetricsPort() {
    Service svc = one(objects, Service.class, NAME + "-metrics");
    Deployment d = one(objects, Deployment.class, NAME);
    assertTrue(podLabels(d).entrySet().containsAll(svc.getSpec().getSelector().entrySet()));
    var port = svc.getSpec().getPorts().get(0);
    assertEquals(metricsPort().getName(), port.getTargetPort().getStrVal());
    assertEquals(
        "TCP", port.getProtocol(), "kube-apiserver 1.20 needs the protocol for server-side apply");
  }

  private void assertProbe(Probe probe, String path) {
    assertNotNull(probe, path);
    assertEquals(path, probe.getHttpGet().getPath());
    assertEquals(metricsPort().getName(), probe.getHttpGet().getPort().getStrVal());
  }

  private PodSpec pod() {
    return one(objects, Deployment.class, NAME).getSpec().getTemplate().getSpec();
  }

  private ContainerPort metricsPort() {
    return pod().getContainers().get(0).getPorts().stream()
        .filter(p -> p.getName().equals("http-metrics"))
        .findFirst()
        .orElseThrow();
  }

  private Path mountedConfig(Path tmp) throws IOException {
    ConfigMap cm = one(objects, ConfigMap.class, null);
    assertEquals(Set.of("config.yaml"), cm.getData().keySet());
    Path file = tmp.resolve("config.yaml");
    Files.writeString(file, cm.getData().get("config.yaml"));
    return file;
  }
}

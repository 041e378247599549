package io.labeledapps.operator.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pod the installation creates meets the "restricted" Pod Security Standard, checked
 * statically (the local control plane predates Pod Security admission): the Deployment of {@code
 * deploy/} and the Deployment the Helm chart renders, with default and with every optional value
 * set. The checker itself is shown to catch each rule's violation.
 */
class PodSecurityRestrictedTest {

  /**
   * Every pod template in a list of objects (Deployments are the only pod-bearing kind we ship).
   */
  static List<PodTemplateSpec> podTemplates(List<HasMetadata> objects) {
    List<PodTemplateSpec> templates = new ArrayList<>();
    for (HasMetadata o : objects) {
      if (o instanceof Deployment d) {
        templates.add(d.getSpec().getTemplate());
      } else {
        assertFalse(
            List.of("Pod", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob")
                .contains(o.getKind()),
            "a new pod-bearing kind, " + o.getKind() + ": teach this test to check it");
      }
    }
    return templates;
  }

  static void assertRestricted(String what, List<HasMetadata> objects) {
    List<PodTemplateSpec> templates = podTemplates(objects);
    assertFalse(templates.isEmpty(), what + " has a pod template");
    for (PodTemplateSpec t : templates) {
      List<String> violations =
          RestrictedPodSecurity.violations(t.getSpec(), t.getMetadata().getAnnotations());
      assertEquals(List.of(), violations, what);
    }
  }

  @Test
  void deployManifestsAreRestricted() {
    assertRestricted("deploy/", Manifests.deploy());
  }

  @Test
  void helmChartIsRestrictedWithDefaultValues() {
    assertRestricted("helm chart", Manifests.helm(Map.of()));
  }

  @Test
  void helmChartIsRestrictedWithEveryOptionalValueSet() {
    assertRestricted(
        "helm chart with values",
        Manifests.helm(
            Map.ofEntries(
                Map.entry("imagePullSecrets[0].name", "pull"),
                Map.entry("serviceAccount.annotations.example\\.com/role", "x"),
                Map.entry("podLabels.team", "platform"),
                Map.entry("podAnnotations.example\\.com/note", "x"),
                Map.entry("nodeSelector.disk", "ssd"),
                Map.entry("tolerations[0].key", "dedicated"),
                Map.entry("tolerations[0].operator", "Exists"),
                Map.entry("priorityClassName", "system-cluster-critical"),
                Map.entry("metrics.port", 9090),
                Map.entry("metrics.serviceMonitor.enabled", true))));
  }

  @Test
  void theNamespaceOfDeployEnforcesRestricted() {
    Namespace ns = Manifests.one(Manifests.deploy(), Namespace.class, Manifests.NAMESPACE);
    assertEquals(
        "restricted", ns.getMetadata().getLabels().get("pod-security.kubernetes.io/enforce"));
  }

  // ---- the checker catches what it should

  private static PodSpec compliant() {
    Deployment d = Manifests.one(Manifests.deploy(), Deployment.class, null);
    return new PodSpecBuilder(d.getSpec().getTemplate().getSpec()).build();
  }

  static Stream<Arguments> violations() {
    return Stream.of(
        v("hostNetwork", s -> new PodSpecBuilder(s).withHostNetwork(true).build()),
        v("hostPID", s -> new PodSpecBuilder(s).withHostPID(true).build()),
        v("hostIPC", s -> new PodSpecBuilder(s).withHostIPC(true).build()),
        v(
            "hostPath",
            s ->
                new PodSpecBuilder(s)
                    .addNewVolume()
                    .withName("h")
                    .withNewHostPath()
                    .withPath("/")
                    .endHostPath()
                    .endVolume()
                    .build()),
        v(
            "volume type nfs",
            s ->
                new PodSpecBuilder(s)
                    .addNewVolume()
                    .withName("n")
                    .withNewNfs()
                    .withServer("x")
                    .withPath("/")
                    .endNfs()
                    .endVolume()
                    .build()),
        v(
            "privileged",
            s ->
                container(
                    s, c -> c.editSecurityContext().withPrivileged(true).endSecurityContext())),
        v(
            "allowPrivilegeEscalation",
            s ->
                container(
                    s,
                    c ->
                        c.editSecurityContext()
                            .withAllowPrivilegeEscalation(null)
                            .endSecurityContext())),
        v(
            "capabilities.drop",
            s ->
                container(
                    s,
                    c ->
                        c.editSecurityContext()
                            .editCapabilities()
                            .withDrop("NET_RAW")
                            .endCapabilities()
                            .endSecurityContext())),
        v(
            "capabilities.add[SYS_ADMIN]",
            s ->
                container(
                    s,
                    c ->
                        c.editSecurityContext()
                            .editCapabilities()
                            .addToAdd("SYS_ADMIN")
                            .endCapabilities()
                            .endSecurityContext())),
        v("hostPort", s -> container(s, c -> c.editFirstPort().withHostPort(8080).endPort())),
        v(
            "runAsNonRoot: must be true",
            s ->
                container(
                    new PodSpecBuilder(s)
                        .editSecurityContext()
                        .withRunAsNonRoot(null)
                        .endSecurityContext()
                        .build(),
                    c -> c.editSecurityContext().withRunAsNonRoot(null).endSecurityContext())),
        v(
            "runAsNonRoot: must not be false",
            s ->
                container(
                    s, c -> c.editSecurityContext().withRunAsNonRoot(false).endSecurityContext())),
        v(
            "runAsUser: must not be 0",
            s -> container(s, c -> c.editSecurityContext().withRunAsUser(0L).endSecurityContext())),
        v(
            "seccompProfile: must be set",
            s ->
                container(
                    new PodSpecBuilder(s)
                        .editSecurityContext()
                        .withSeccompProfile(null)
                        .endSecurityContext()
                        .build(),
                    c -> c.editSecurityContext().withSeccompProfile(null).endSecurityContext())),
        v(
            "seccompProfile.type",
            s ->
                container(
                    s,
                    c ->
                        c.editSecurityContext()
                            .editSeccompProfile()
                            .withType("Unconfined")
                            .endSeccompProfile()
                            .endSecurityContext())),
        v(
            "procMount",
            s ->
                container(
                    s,
                    c -> c.editSecurityContext().withProcMount("Unmasked").endSecurityContext())),
        v(
            "seLinuxOptions.type",
            s ->
                container(
                    s,
                    c ->
                        c.editSecurityContext()
                            .withNewSeLinuxOptions()
                            .withType("spc_t")
                            .endSeLinuxOptions()
                            .endSecurityContext())),
        v(
            "sysctls",
            s ->
                new PodSpecBuilder(s)
                    .editSecurityContext()
                    .addNewSysctl()
                    .withName("kernel.msgmax")
                    .withValue("1")
                    .endSysctl()
                    .endSecurityContext()
                    .build()),
        v(
            "initContainers[setup].securityContext.allowPrivilegeEscalation",
            s ->
                new PodSpecBuilder(s)
                    .addToInitContainers(
                        new ContainerBuilder(s.getContainers().get(0))
                            .withName("setup")
                            .withSecurityContext(null)
                            .build())
                    .build()));
  }

  private static Arguments v(String expected, UnaryOperator<PodSpec> mutation) {
    return Arguments.of(expected, mutation);
  }

  private static PodSpec container(PodSpec spec, UnaryOperator<ContainerBuilder> edit) {
    PodSpec copy = new PodSpecBuilder(spec).build();
    copy.getContainers()
        .set(0, edit.apply(new ContainerBuilder(copy.getContainers().get(0))).build());
    return copy;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("violations")
  void checkerReportsEachRule(String expected, UnaryOperator<PodSpec> mutation) {
    assertEquals(
        List.of(),
        RestrictedPodSecurity.violations(compliant(), Map.of()),
        "the starting point is compliant");
    List<String> found = RestrictedPodSecurity.violations(mutation.apply(compliant()), Map.of());
    assertTrue(
        found.stream().anyMatch(f -> f.contains(expected)),
        "expected a violation about " + expected + ": " + found);
  }

  @Test
  void checkerAcceptsWhatRestrictedAllows() {
    PodSpec s =
        container(
            compliant(),
            c ->
                c.editSecurityContext()
                    .editCapabilities()
                    .addToAdd("NET_BIND_SERVICE")
                    .endCapabilities()
                    .editSeccompProfile()
                    .withType("Localhost")
                    .withLocalhostProfile("p.json")
                    .endSeccompProfile()
                    .endSecurityContext());
    assertEquals(
        List.of(),
        RestrictedPodSecurity.violations(
            s,
            Map.of("container.apparmor.security.beta.kubernetes.io/operator", "runtime/default")));
    assertFalse(
        RestrictedPodSecurity.violations(
                s, Map.of("container.apparmor.security.beta.kubernetes.io/operator", "unconfined"))
            .isEmpty());
  }
}

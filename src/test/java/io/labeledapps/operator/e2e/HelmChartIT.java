package io.labeledapps.operator.e2e;

import static io.labeledapps.operator.e2e.ServiceAccountAccess.await;
import static io.labeledapps.operator.e2e.ServiceAccountAccess.can;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.LabeledAppSetOperator;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.config.OperatorConfig;
import io.labeledapps.operator.deploy.Manifests;
import io.labeledapps.operator.status.Conditions;
import io.labeledapps.operator.testkit.Namespaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart installed by Helm (helm-java) on the cluster in KUBECONFIG, into a namespace of
 * this test: the release deploys, the API server admits its objects, the operator runs with the
 * chart's ServiceAccount token (in-process: the cluster may have no image of the operator) and
 * manages a set, and {@code helm uninstall} removes the cluster-wide RBAC and keeps the CRD.
 */
class HelmChartIT {
  static KubernetesClient admin;
  static String suffix;
  static String ns;
  static String appsNs;
  static String release;
  static Path kubeconfig;
  static boolean uninstalled;

  @BeforeAll
  static void setUp() throws IOException {
    admin = LabeledAppSetOperator.newClient();
    suffix = UUID.randomUUID().toString().substring(0, 8);
    ns = "las-helm-" + suffix;
    appsNs = "las-helm-apps-" + suffix;
    release = "las-" + suffix;
    Namespaces.create(admin, ns, Map.of());
    // opted in to the default namespace conventions
    Namespaces.create(admin, appsNs, Namespaces.OPTED_IN);
    kubeconfig = kubeconfig();
  }

  /** The kubeconfig file the admin client read (KUBECONFIG's first entry, else ~/.kube/config). */
  static Path kubeconfig() {
    String env = System.getenv("KUBECONFIG");
    Path path =
        env != null && !env.isBlank()
            ? Path.of(env.split(java.io.File.pathSeparator)[0])
            : Path.of(System.getProperty("user.home"), ".kube", "config");
    assertTrue(Files.isRegularFile(path), "a kubeconfig file for Helm: " + path);
    return path;
  }

  /** The LabeledAppSet CRD, or null. */
  static CustomResourceDefinition crd() {
    return admin
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName("labeledappsets.labeledapps.io")
        .get();
  }

  @AfterAll
  static void tearDown() {
    if (!uninstalled && release != null) {
      try {
        Helm.uninstall(release)
            .withNamespace(ns)
            .withKubeConfig(kubeconfig)
            .ignoreNotFound()
            .call();
      } catch (RuntimeException e) {
        System.err.println("helm uninstall " + release + ": " + e.getMessage());
      }
    }
    if (admin != null) {
      for (String n : new String[] {appsNs, ns}) {
        if (n != null) {
          admin.namespaces().withName(n).delete();
        }
      }
      admin.close();
    }
  }

  @Test
  void installRunUninstall() throws IOException {
    Release installed =
        new Helm(Manifests.CHART)
            .install()
            .withName(release)
            .withNamespace(ns)
            .withKubeConfig(kubeconfig)
            .set("config.watchNamespaces[0]", appsNs)
            .waitReady()
            .withTimeout(120)
            .call();
    assertEquals("deployed", installed.getStatus());
    assertNotNull(crd(), "the chart's crds/ (installed by Helm unless already there)");

    String fullname = release + "-" + Manifests.NAME;
    Deployment d = admin.apps().deployments().inNamespace(ns).withName(fullname).get();
    assertNotNull(d);
    assertEquals(
        2,
        d.getStatus().getReadyReplicas(),
        "both replicas (leader and standby) admitted, scheduled and"
            + " (on a fake node: pretend-)running");
    Pod pod =
        admin
            .pods()
            .inNamespace(ns)
            .withLabel("app.kubernetes.io/instance", release)
            .list()
            .getItems()
            .get(0);
    assertEquals(fullname, pod.getSpec().getServiceAccountName());
    assertTrue(pod.getSpec().getSecurityContext().getRunAsNonRoot());
    assertEquals(
        List.of("ALL"),
        pod.getSpec().getContainers().get(0).getSecurityContext().getCapabilities().getDrop());
    assertTrue(
        admin
            .configMaps()
            .inNamespace(ns)
            .withName(fullname + "-config")
            .get()
            .getData()
            .get("config.yaml")
            .contains(appsNs));
    assertNotNull(admin.services().inNamespace(ns).withName(fullname + "-metrics").get());
    assertNotNull(admin.rbac().clusterRoles().withName(fullname).get());
    assertNotNull(
        admin.rbac().roles().inNamespace(ns).withName(fullname + "-leader-election").get());

    // The chart's ServiceAccount, with only its own token, runs the operator.
    try (KubernetesClient sa = ServiceAccountAccess.clientFor(admin, ns, fullname)) {
      await(
          "the chart's bindings in effect",
          () ->
              can(sa, "watch", "labeledapps.io", "labeledappsets", null)
                  && can(sa, "create", "coordination.k8s.io", "leases", ns));
      assertFalse(can(sa, "get", "", "secrets", appsNs));
      assertFalse(can(sa, "create", "coordination.k8s.io", "leases", appsNs));
      OperatorConfig config = new OperatorConfig();
      config.watchNamespaces = List.of(appsNs);
      config.metricsPort = -1;
      try (LabeledAppSetOperator operator = LabeledAppSetOperator.start(config, sa)) {
        admin
            .resource(
                Serialization.unmarshal(
                    """
            apiVersion: labeledapps.io/v1alpha1
            kind: LabeledAppSet
            metadata:
              name: helm-web
              namespace: %s
            spec:
              replicas: 2
              labels: {app: helm-web}
              containers:
                - name: web
                  image: nginx:1.27
                  ports: [{name: http, containerPort: 8080}]
              service:
                type: NodePort
                ports: [{name: http, port: 80, targetPort: http}]
            """
                        .formatted(appsNs),
                    LabeledAppSet.class))
            .create();
        await(
            "helm-web Ready with 2 pods and its Service",
            () -> {
              LabeledAppSet s =
                  admin
                      .resources(LabeledAppSet.class)
                      .inNamespace(appsNs)
                      .withName("helm-web")
                      .get();
              var ready =
                  s == null || s.getStatus() == null
                      ? null
                      : Conditions.find(s.getStatus(), Conditions.READY);
              return ready != null
                  && "True".equals(ready.getStatus())
                  && Objects.equals(s.getStatus().getReadyReplicas(), 2)
                  && s.getStatus().getService() != null
                  && !s.getStatus().getService().getNodePorts().isEmpty()
                  && admin.services().inNamespace(appsNs).withName("helm-web").get() != null;
            });
      }
    }

    Helm.uninstall(release).withNamespace(ns).withKubeConfig(kubeconfig).call();
    uninstalled = true;
    await(
        "cluster-wide RBAC removed",
        () ->
            admin.rbac().clusterRoles().withName(fullname).get() == null
                && admin.rbac().clusterRoleBindings().withName(fullname).get() == null);
    assertNull(admin.apps().deployments().inNamespace(ns).withName(fullname).get());
    assertNotNull(
        crd(), "helm uninstall keeps the CRD (deleting it would delete every LabeledAppSet)");
  }
}

package io.labeledapps.operator.e2e;

import static io.labeledapps.operator.e2e.ServiceAccountAccess.await;
import static io.labeledapps.operator.e2e.ServiceAccountAccess.can;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.LabeledAppSetOperator;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.config.OperatorConfig;
import io.labeledapps.operator.crd.CrdInstaller;
import io.labeledapps.operator.deploy.Manifests;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.testkit.Edits;
import io.labeledapps.operator.testkit.Events;
import io.labeledapps.operator.testkit.Namespaces;
import io.labeledapps.operator.testkit.SetBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator runs with the credentials of the ServiceAccount of {@code deploy/} and nothing else:
 * a token of that ServiceAccount, bound by the RBAC of {@code deploy/02-rbac.yaml}. Every path of
 * the operator (pods created, deleted and released, the Service created, repaired and removed,
 * status, events created and bumped) must work with it, so a missing permission fails this test;
 * and the ServiceAccount cannot do what the operator does not need.
 *
 * <p>To stay out of the way of a real installation (and of other tests), the ServiceAccount and the
 * RBAC of {@code deploy/} are created in a namespace of this test instead of labeledappset-system,
 * and the cluster-scoped ClusterRole and ClusterRoleBinding get a suffix; the rules are not
 * touched.
 */
class ServiceAccountPermissionsIT {
  static KubernetesClient admin;

  /** The sets in {@link #appsNs}, as the admin reads them. */
  static Sets apps;

  static KubernetesClient operatorClient;
  static LabeledAppSetOperator operator;
  static String suffix;
  static String operatorNs;
  static String appsNs;
  static List<HasMetadata> installed = new ArrayList<>();

  @BeforeAll
  static void setUp() throws IOException {
    admin = LabeledAppSetOperator.newClient();
    CrdInstaller.install(admin, Manifests.CRDS);
    suffix = UUID.randomUUID().toString().substring(0, 8);
    operatorNs = "las-sa-op-" + suffix;
    appsNs = "las-sa-apps-" + suffix;
    Namespaces.create(admin, operatorNs, Map.of());
    // opted in to the default namespace conventions
    Namespaces.create(admin, appsNs, Namespaces.OPTED_IN);
    apps = new Sets(admin, appsNs);
    List<HasMetadata> shipped = new ArrayList<>(Manifests.deploy("01-serviceaccount.yaml"));
    shipped.addAll(Manifests.deploy("02-rbac.yaml"));
    for (HasMetadata o : shipped) {
      HasMetadata relocated = relocate(o);
      installed.add(relocated);
      admin.resource(relocated).create();
    }
    operatorClient = ServiceAccountAccess.clientFor(admin, operatorNs, Manifests.NAME);
    // RBAC reaches the authorizer through its own informers: wait for the bindings to count
    await(
        "the ServiceAccount's bindings in effect",
        () ->
            can(operatorClient, "watch", "labeledapps.io", "labeledappsets", null)
                && can(operatorClient, "create", "coordination.k8s.io", "leases", operatorNs));
    OperatorConfig config = new OperatorConfig();
    config.watchNamespaces = List.of(appsNs);
    config.metricsPort = -1;
    operator = LabeledAppSetOperator.start(config, operatorClient);
  }

  /** The object as shipped, moved into this test's namespace; rules and verbs untouched. */
  static HasMetadata relocate(HasMetadata shipped) {
    HasMetadata o = Serialization.clone(shipped);
    if (o instanceof ClusterRole || o instanceof ClusterRoleBinding) {
      o.getMetadata().setName(o.getMetadata().getName() + "-" + suffix);
    } else {
      assertEquals(Manifests.NAMESPACE, o.getMetadata().getNamespace(), o.getKind());
      o.getMetadata().setNamespace(operatorNs);
    }
    List<Subject> subjects =
        o instanceof ClusterRoleBinding b
            ? b.getSubjects()
            : o instanceof RoleBinding b ? b.getSubjects() : List.of();
    for (Subject s : subjects) {
      assertEquals(Manifests.NAMESPACE, s.getNamespace());
      s.setNamespace(operatorNs);
    }
    if (o instanceof ClusterRoleBinding b) {
      b.getRoleRef().setName(b.getRoleRef().getName() + "-" + suffix);
    }
    return o;
  }

  @AfterAll
  static void tearDown() {
    if (operator != null) {
      operator.close();
    }
    if (operatorClient != null) {
      operatorClient.close();
    }
    if (admin != null) {
      for (HasMetadata o : installed) {
        if (o instanceof ClusterRole || o instanceof ClusterRoleBinding) {
          admin.resource(o).delete();
        }
      }
      for (String ns : new String[] {appsNs, operatorNs}) {
        if (ns != null) {
          admin.namespaces().withName(ns).delete();
        }
      }
      admin.close();
    }
  }

  static boolean ready(String name, int replicas) {
    LabeledAppSet s = apps.fetch(name);
    return Sets.ready(s)
        && Objects.equals(s.getStatus().getReadyReplicas(), replicas)
        && apps.pods(name).size() == replicas;
  }

  static io.fabric8.kubernetes.api.model.GenericKubernetesResource budget(String set) {
    String version =
        admin.supports("policy/v1", "PodDisruptionBudget") ? "policy/v1" : "policy/v1beta1";
    return admin
        .genericKubernetesResources(version, "PodDisruptionBudget")
        .inNamespace(appsNs)
        .withName(set)
        .get();
  }

  /** A ServiceSynced Event about set {@code set} that {@code matches}. */
  static boolean synced(String set, Predicate<Event> matches) {
    return Events.any(admin, appsNs, Events.of(null, "ServiceSynced", set).and(matches));
  }

  static List<Event> events(String set) {
    return admin.v1().events().inNamespace(appsNs).list().getItems().stream()
        .filter(e -> set.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  @Test
  void everyOperatorPathWorksWithTheShippedPermissions() {
    String name = "sa-web";
    LabeledAppSet set = SetBuilder.set(name).namespace(appsNs).replicas(3).httpService().build();
    admin.resource(set).create();

    // pods create, Service create, status patch, event create
    await("3 ready pods and a Ready status", () -> ready(name, 3));
    Service svc = admin.services().inNamespace(appsNs).withName(name).get();
    assertNotNull(svc);
    assertEquals(Labels.selector(apps.fetch(name)), svc.getSpec().getSelector());
    assertEquals(
        svc.getSpec().getClusterIP(), apps.fetch(name).getStatus().getService().getClusterIP());
    await(
        "a PodsCreated event",
        () -> events(name).stream().anyMatch(e -> "PodsCreated".equals(e.getReason())));

    // Service update, twice: drift repaired; the second identical event bumps the count of the
    // first (events get + patch)
    for (int port = 81; port <= 82; port++) {
      int drift = port;
      Edits.object(
          admin,
          Service.class,
          appsNs,
          name,
          drifted ->
              drifted
                  .getSpec()
                  .setPorts(
                      List.of(
                          new ServicePortBuilder()
                              .withName("http")
                              .withPort(drift)
                              .withProtocol("TCP")
                              .withTargetPort(new IntOrString(9090))
                              .build())));
      await(
          "Service repaired after drift to port " + drift,
          () ->
              admin
                      .services()
                      .inNamespace(appsNs)
                      .withName(name)
                      .get()
                      .getSpec()
                      .getPorts()
                      .get(0)
                      .getPort()
                  == 80);
    }
    await(
        "the repeated event counted twice",
        () ->
            synced(
                name,
                e ->
                    e.getMessage().startsWith("Updated Service")
                        && e.getCount() != null
                        && e.getCount() >= 2));

    // pods delete (by someone else) + create: the operator heals
    String uid =
        admin.pods().inNamespace(appsNs).withName(name + "-1").get().getMetadata().getUid();
    admin.pods().inNamespace(appsNs).withName(name + "-1").delete();
    await(
        "deleted pod replaced",
        () ->
            ready(name, 3)
                && apps.pods(name).stream().noneMatch(p -> p.getMetadata().getUid().equals(uid)));

    // pods patch: a relabeled pod is released (its ownerReference removed) and replaced
    String relabeled = apps.pods(name).get(0).getMetadata().getName();
    apps.label(relabeled, Labels.INSTANCE, "debugging");
    await(
        "relabeled pod released",
        () ->
            admin
                    .pods()
                    .inNamespace(appsNs)
                    .withName(relabeled)
                    .get()
                    .getMetadata()
                    .getOwnerReferences()
                    .isEmpty()
                && ready(name, 3));
    admin.pods().inNamespace(appsNs).withName(relabeled).delete();

    // pods delete + create: a template change replaces every pod; then scale down deletes
    Edits.set(admin, appsNs, name, s -> s.getSpec().getContainers().get(0).setImage("nginx:1.28"));
    await(
        "pods on the new template",
        () ->
            ready(name, 3)
                && apps.allPods(
                    name, p -> "nginx:1.28".equals(p.getSpec().getContainers().get(0).getImage())));
    admin.resources(LabeledAppSet.class).inNamespace(appsNs).withName(name).scale(1);
    await("scaled down to 1", () -> ready(name, 1));

    // PodDisruptionBudget create, update and delete (policy/v1beta1 on 1.20)
    for (Object limit : new Object[] {1, "50%"}) {
      Edits.set(
          admin,
          appsNs,
          name,
          s -> {
            var budget = new io.labeledapps.operator.api.DisruptionBudget();
            budget.setMaxUnavailable(new IntOrString(limit));
            s.getSpec().setDisruptionBudget(budget);
          });
      await(
          "PodDisruptionBudget with maxUnavailable " + limit,
          () ->
              budget(name) != null
                  && limit.equals(
                      ((Map<?, ?>) budget(name).getAdditionalProperties().get("spec"))
                          .get("maxUnavailable")));
    }
    Edits.set(admin, appsNs, name, s -> s.getSpec().setDisruptionBudget(null));
    await("PodDisruptionBudget removed", () -> budget(name) == null && ready(name, 1));

    // Service delete: spec.service removed
    Edits.set(admin, appsNs, name, s -> s.getSpec().setService(null));
    await(
        "Service removed",
        () -> admin.services().inNamespace(appsNs).withName(name).get() == null && ready(name, 1));
    await(
        "event of the Service's removal",
        () -> synced(name, e -> e.getMessage().startsWith("Deleted Service")));
  }

  @Test
  void leasesOnlyInItsOwnNamespace() {
    Lease lease =
        new LeaseBuilder()
            .withNewMetadata()
            .withName("labeledappset-operator-lock")
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity("e2e")
            .withLeaseDurationSeconds(15)
            .endSpec()
            .build();
    Lease created = operatorClient.leases().inNamespace(operatorNs).resource(lease).create();
    Lease got =
        operatorClient
            .leases()
            .inNamespace(operatorNs)
            .withName(created.getMetadata().getName())
            .get();
    got.getSpec().setHolderIdentity("e2e-2");
    assertEquals(
        "e2e-2",
        operatorClient
            .leases()
            .inNamespace(operatorNs)
            .resource(got)
            .update()
            .getSpec()
            .getHolderIdentity());
    KubernetesClientException e =
        assertThrows(
            KubernetesClientException.class,
            () -> operatorClient.leases().inNamespace(appsNs).resource(lease).create());
    assertEquals(403, e.getCode());
    assertFalse(
        can(operatorClient, "get", "coordination.k8s.io", "leases", null), "not cluster-wide");
  }

  /**
   * Leader election as deploy/ turns it on, with only the shipped Role: JOSDK's start-up check of
   * the Lease permissions passes, the Lease is taken (create) and renewed (a patch). Without the
   * patch the leader would exit 10 s after taking the Lease, and every replica would crash-loop.
   */
  @Test
  void leaderElectionTakesAndRenewsItsLeaseWithTheShippedRole()
      throws IOException, InterruptedException {
    OperatorConfig config = new OperatorConfig();
    config.watchNamespaces = List.of(operatorNs); // no sets there: this one only holds the Lease
    config.metricsPort = -1;
    config.leaderElection.enabled = true;
    config.leaderElection.leaseName = "las-e2e-leader";
    config.leaderElection.leaseNamespace = operatorNs;
    try (LabeledAppSetOperator leader = LabeledAppSetOperator.start(config, operatorClient)) {
      await(
          "the Lease taken",
          () -> leaderLease() != null && leaderLease().getSpec().getHolderIdentity() != null);
      java.time.ZonedDateTime taken = leaderLease().getSpec().getRenewTime();
      // renewed every 2 s; checked well before the 10 s after which a leader that cannot renew
      // exits
      long deadline = System.nanoTime() + java.time.Duration.ofSeconds(8).toNanos();
      while (!leaderLease().getSpec().getRenewTime().isAfter(taken)) {
        assertTrue(
            System.nanoTime() < deadline, "the Lease was not renewed: " + leaderLease().getSpec());
        Thread.sleep(200);
      }
      assertEquals(1.0, leader.registry().get("labeledappset.operator.leader").gauge().value());
    }
  }

  private static Lease leaderLease() {
    return admin.leases().inNamespace(operatorNs).withName("las-e2e-leader").get();
  }

  @Test
  void nothingTheOperatorDoesNotNeed() {
    // the token is the ServiceAccount's, not the admin's
    KubernetesClientException e =
        assertThrows(
            KubernetesClientException.class,
            () -> operatorClient.secrets().inNamespace(appsNs).list());
    assertEquals(403, e.getCode());
    for (String ns : new String[] {appsNs, operatorNs, null}) {
      for (String verb : List.of("get", "list", "watch")) {
        assertFalse(can(operatorClient, verb, "", "secrets", ns), verb + " secrets in " + ns);
        assertFalse(can(operatorClient, verb, "", "configmaps", ns), verb + " configmaps in " + ns);
      }
      assertFalse(can(operatorClient, "create", "", "pods/exec", ns));
      assertFalse(can(operatorClient, "get", "", "pods/log", ns));
      assertFalse(can(operatorClient, "create", "", "pods/eviction", ns));
      assertFalse(can(operatorClient, "deletecollection", "", "pods", ns));
      assertFalse(
          can(operatorClient, "update", "", "pods", ns), "pods are replaced, never updated");
      assertFalse(can(operatorClient, "patch", "policy", "poddisruptionbudgets", ns));
      assertFalse(can(operatorClient, "deletecollection", "policy", "poddisruptionbudgets", ns));
      assertFalse(can(operatorClient, "create", "apps", "deployments", ns));
      assertFalse(can(operatorClient, "create", "", "serviceaccounts/token", ns));
      // the operator writes status, never a user's spec
      for (String verb : List.of("create", "update", "patch", "delete")) {
        assertFalse(
            can(operatorClient, verb, "labeledapps.io", "labeledappsets", ns),
            verb + " labeledappsets");
      }
      assertFalse(can(operatorClient, "create", "rbac.authorization.k8s.io", "rolebindings", ns));
    }
    for (String verb : List.of("create", "update", "delete")) {
      assertFalse(can(operatorClient, verb, "", "namespaces", null), verb + " namespaces");
    }
    assertFalse(can(operatorClient, "list", "", "nodes", null));
    assertFalse(can(operatorClient, "create", "rbac.authorization.k8s.io", "clusterroles", null));
    assertFalse(
        can(operatorClient, "create", "apiextensions.k8s.io", "customresourcedefinitions", null));
  }

  /** Read {@code deploy/} fresh: the relocated copy must keep every rule of the shipped one. */
  @Test
  void theTestBindsTheShippedRulesUnchanged() {
    assertEquals(
        Manifests.one(Manifests.deploy(), ClusterRole.class, null).getRules(),
        Manifests.one(installed, ClusterRole.class, null).getRules());
    assertEquals(
        Manifests.one(Manifests.deploy(), Role.class, null).getRules(),
        Manifests.one(installed, Role.class, null).getRules());
    assertEquals(
        Manifests.one(installed, ClusterRole.class, null).getRules(),
        admin.rbac().clusterRoles().withName(Manifests.NAME + "-" + suffix).get().getRules());
  }
}

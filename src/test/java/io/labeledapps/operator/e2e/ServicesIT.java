package io.labeledapps.operator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.status.Conditions;
import io.labeledapps.operator.status.PodState;
import io.labeledapps.operator.testkit.Await;
import io.labeledapps.operator.testkit.Edits;
import io.labeledapps.operator.testkit.SetBuilder;
import io.labeledapps.operator.testkit.Unowned;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Services end to end on a real API server: the CRD category {@code all} with kubectl, LoadBalancer
 * Services under the namespace convention (the test plays the cloud provider through the
 * services/status subresource), and one Service shared by several sets with real garbage
 * collection.
 */
class ServicesIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  @RegisterExtension static final E2eOperator e2e = E2eOperator.perClass("las-svc");
  static final KubernetesClient client = e2e.client;
  static final String ns = e2e.ns;
  static java.nio.file.Path KUBECTL_CACHE;

  @BeforeAll
  static void setUp() throws IOException {
    KUBECTL_CACHE = java.nio.file.Files.createTempDirectory("kubectl-cache");
  }

  /**
   * A set of {@code replicas} nginx pods with an http port 8080 and {@code service} (YAML under
   * spec.service).
   */
  static LabeledAppSet create(
      KubernetesClient client, String ns, String name, int replicas, String service) {
    LabeledAppSet set =
        SetBuilder.set(name).namespace(ns).replicas(replicas).service(service).build();
    return client.resource(set).create();
  }

  /** Service web, as the sets that share it name it. */
  static final String WEB = "{name: web, ports: [{name: http, port: 80, targetPort: http}]}";

  static LabeledAppSet fetch(String name) {
    return client.resources(LabeledAppSet.class).inNamespace(ns).withName(name).get();
  }

  static Service service(String name) {
    return client.services().inNamespace(ns).withName(name).get();
  }

  static Condition condition(String set, String type) {
    LabeledAppSet s = fetch(set);
    return s == null ? null : Conditions.find(s.getStatus(), type);
  }

  static boolean has(String set, String type, String status, String reason) {
    Condition c = condition(set, type);
    return c != null && status.equals(c.getStatus()) && reason.equals(c.getReason());
  }

  /**
   * Creates set {@code name} of one pod with {@code service}, which it cannot have, and returns its
   * ServiceConflict message once it says so.
   */
  static String createInConflict(String name, String service) {
    create(client, ns, name, 1, service);
    return awaitCondition(name, Conditions.SERVICE_ROUTED, "False", "ServiceConflict");
  }

  /**
   * Waits until set {@code set}'s condition {@code type} has this status and reason; its message.
   */
  static String awaitCondition(String set, String type, String status, String reason) {
    await(set + ": " + type + "=" + status + " " + reason, () -> has(set, type, status, reason));
    return condition(set, type).getMessage();
  }

  static void await(String what, BooleanSupplier condition) {
    Await.until(what, TIMEOUT, condition);
  }

  static String kubectl(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("kubectl"));
    command.addAll(List.of(args));
    // kubectl caches discovery for hours: a CRD installed or changed since then shows no category
    command.add("--cache-dir=" + KUBECTL_CACHE);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", command) + ":\n" + out);
    return out;
  }

  private static List<String> ownerNames(Service service) {
    return service.getMetadata().getOwnerReferences().stream()
        .map(OwnerReference::getName)
        .toList();
  }

  @Test
  void kubectlGetAllListsSetsAndDeleteAllRemovesThemForGood() throws Exception {
    try (E2eOperator own = E2eOperator.start("las-all")) {
      create(own.client, own.ns, "kubia", 2, "ports: [{name: http, port: 80, targetPort: http}]");
      await(
          "kubia's 2 pods and its Service",
          () ->
              own.client.pods().inNamespace(own.ns).list().getItems().size() == 2
                  && own.client.services().inNamespace(own.ns).withName("kubia").get() != null);

      String all = kubectl("get", "all", "-n", own.ns);
      assertTrue(all.contains("labeledappset.labeledapps.io/kubia"), all);
      assertTrue(all.contains("pod/kubia-0") && all.contains("service/kubia"), all);

      String deleted = kubectl("delete", "all", "--all", "-n", own.ns);
      assertTrue(deleted.contains("labeledappset.labeledapps.io \"kubia\" deleted"), deleted);
      BooleanSupplier empty =
          () ->
              own.client
                      .resources(LabeledAppSet.class)
                      .inNamespace(own.ns)
                      .list()
                      .getItems()
                      .isEmpty()
                  && own.client.pods().inNamespace(own.ns).list().getItems().isEmpty()
                  && own.client.services().inNamespace(own.ns).list().getItems().isEmpty();
      await("no set, pod or Service left", empty);
      // nothing comes back: the operator recreated pods deleted before their set at once (0.1 s at
      // p99), so five quiet seconds with the operator running are ample
      Await.holdsFor(
          "nothing comes back",
          Duration.ofSeconds(5),
          empty,
          () -> kubectl("get", "all", "-n", own.ns));
    }
  }

  @Test
  void aLoadBalancerIsRefusedUntilTheNamespaceAllowsItThenShowsItsAddress() throws Exception {
    create(
        client,
        ns,
        "shop",
        2,
        """
        type: LoadBalancer
        externalTrafficPolicy: Local
        loadBalancerSourceRanges: [203.0.113.0/24]
        loadBalancerClass: example.com/internal
        annotations: {example.com/lb-size: small}
        ports: [{name: http, port: 80, targetPort: http}]
        """);
    String refusal =
        awaitCondition("shop", Conditions.CONVENTIONS_MET, "False", "ServiceTypeNotAllowed");
    assertTrue(refusal.contains("spec.service.type LoadBalancer is not allowed"), refusal);
    assertNull(service("shop"), "no LoadBalancer Service where the namespace does not allow one");

    client
        .namespaces()
        .withName(ns)
        .edit(
            n -> {
              n.getMetadata()
                  .getLabels()
                  .put("labeledapps.io/service-types", "ClusterIP_NodePort_LoadBalancer");
              return n;
            });
    await(
        "a LoadBalancer Service and a set waiting for its address",
        () ->
            service("shop") != null
                && fetch("shop").getStatus().getService() != null
                && "<pending>".equals(fetch("shop").getStatus().getService().getExternalIP())
                && has("shop", Conditions.SERVICE_ROUTED, "True", "EndpointsReady"));
    Service lb = service("shop");
    assertEquals("LoadBalancer", lb.getSpec().getType());
    assertEquals("Local", lb.getSpec().getExternalTrafficPolicy());
    assertEquals(List.of("203.0.113.0/24"), lb.getSpec().getLoadBalancerSourceRanges());
    assertEquals("small", lb.getMetadata().getAnnotations().get("example.com/lb-size"));
    assertTrue(
        lb.getSpec().getPorts().get(0).getNodePort() != null, "a LoadBalancer has node ports");
    String message = condition("shop", Conditions.SERVICE_ROUTED).getMessage();
    assertTrue(
        message.contains("waiting for the load balancer's external address")
            && message.contains("minikube tunnel"),
        message);
    // kube-apiserver 1.20 does not know loadBalancerClass (1.21 alpha, 1.22 beta): it drops the
    // field, the set says so
    assertNull(lb.getSpec().getLoadBalancerClass());
    assertTrue(message.contains("did not keep loadBalancerClass example.com/internal"), message);

    // the test plays the cloud provider
    lb.setStatus(
        new io.fabric8.kubernetes.api.model.ServiceStatusBuilder()
            .withNewLoadBalancer()
            .withIngress(new LoadBalancerIngressBuilder().withIp("203.0.113.10").build())
            .endLoadBalancer()
            .build());
    client.services().inNamespace(ns).resource(lb).updateStatus();
    await(
        "the address in the set's status",
        () ->
            fetch("shop").getStatus().getLoadBalancer() != null
                && "203.0.113.10"
                    .equals(fetch("shop").getStatus().getLoadBalancer().getIngress().get(0).getIp())
                && "203.0.113.10".equals(fetch("shop").getStatus().getService().getExternalIP()));
    assertTrue(
        condition("shop", Conditions.SERVICE_ROUTED)
            .getMessage()
            .contains("external address 203.0.113.10"));
    String row = kubectl("get", "las", "shop", "-n", ns, "-o", "wide");
    List<String> header = List.of(row.lines().toList().get(0).trim().split("\\s+"));
    List<String> cells = List.of(row.lines().toList().get(1).trim().split("\\s+"));
    assertEquals("203.0.113.10", cells.get(header.indexOf("EXTERNAL-IP")), row);

    // an annotation changed in the spec updates the Service in place
    String uid = lb.getMetadata().getUid();
    Edits.set(
        client,
        ns,
        "shop",
        s -> s.getSpec().getService().setAnnotations(Map.of("example.com/lb-size", "large")));
    await(
        "the new annotation on the Service",
        () ->
            "large"
                .equals(service("shop").getMetadata().getAnnotations().get("example.com/lb-size")));
    assertEquals(uid, service("shop").getMetadata().getUid());
  }

  static Set<String> podNames(String set) {
    LabeledAppSet s = fetch(set);
    return client.pods().inNamespace(ns).withLabel(Labels.INSTANCE, set).list().getItems().stream()
        .filter(p -> PodState.isControlledBy(p, s) && !PodState.isTerminating(p))
        .map(p -> p.getMetadata().getName())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  static Set<String> endpointPods(String service) {
    Endpoints endpoints = client.endpoints().inNamespace(ns).withName(service).get();
    if (endpoints == null || endpoints.getSubsets() == null) {
      return Set.of();
    }
    return endpoints.getSubsets().stream()
        .filter(s -> s.getAddresses() != null)
        .flatMap(s -> s.getAddresses().stream())
        .map(a -> a.getTargetRef().getName())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void setsNamingOneServiceShareItUntilTheLastIsGone() throws Exception {
    create(client, ns, "web-stable", 3, WEB);
    await("web-stable Ready", () -> has("web-stable", Conditions.READY, "True", "AllPodsReady"));
    create(client, ns, "web-canary", 1, WEB);
    await(
        "web-canary Ready and routed",
        () ->
            has("web-canary", Conditions.READY, "True", "AllPodsReady")
                && has("web-canary", Conditions.SERVICE_ROUTED, "True", "EndpointsReady"));

    Service web = service("web");
    assertEquals(List.of("web-stable", "web-canary"), ownerNames(web));
    assertTrue(
        web.getMetadata().getOwnerReferences().stream()
            .noneMatch(r -> Boolean.TRUE.equals(r.getController())));
    Set<String> both = new TreeSet<>(podNames("web-stable"));
    both.addAll(podNames("web-canary"));
    assertEquals(4, both.size());
    await(
        "the Service's endpoints are the pods of both sets",
        () -> endpointPods("web").equals(both));
    // each set counts only its own pods among the endpoints
    assertTrue(
        awaitCondition("web-stable", Conditions.SERVICE_ROUTED, "True", "EndpointsReady")
            .startsWith("3 ready endpoints"));
    assertTrue(
        condition("web-canary", Conditions.SERVICE_ROUTED)
            .getMessage()
            .startsWith("1 ready endpoint"));
    assertEquals(
        List.of("web-stable"), fetch("web-canary").getStatus().getService().getSharedWith());

    // a set whose ports disagree: named conflict, Service untouched, none of its pods join
    String version = service("web").getMetadata().getResourceVersion();
    String conflict =
        createInConflict(
            "web-odd", "{name: web, ports: [{name: http, port: 8080, targetPort: http}]}");
    assertTrue(
        conflict.contains("defined by set web-stable") && conflict.contains("ports differ"),
        conflict);
    assertEquals("ServiceConflict", condition("web-odd", Conditions.READY).getReason());
    assertEquals(
        version, service("web").getMetadata().getResourceVersion(), "the Service is left as it is");
    assertEquals(Set.of(), podNames("web-odd"));
    client.resources(LabeledAppSet.class).inNamespace(ns).withName("web-odd").delete();

    // promote: scale the stable set up, delete the canary; garbage collection removes its reference
    Edits.set(client, ns, "web-stable", s -> s.getSpec().setReplicas(4));
    client.resources(LabeledAppSet.class).inNamespace(ns).withName("web-canary").delete();
    await(
        "the Service owned by web-stable alone",
        () -> service("web") != null && ownerNames(service("web")).equals(List.of("web-stable")));
    await(
        "its endpoints are web-stable's 4 pods",
        () ->
            podNames("web-stable").size() == 4
                && endpointPods("web").equals(podNames("web-stable")));

    client.resources(LabeledAppSet.class).inNamespace(ns).withName("web-stable").delete();
    await("the Service garbage-collected after its last set", () -> service("web") == null);
  }

  @Test
  void aServiceNoSetOwnsIsNeverModifiedOrAdopted() {
    Service legacy =
        client
            .services()
            .inNamespace(ns)
            .resource(
                Unowned.service(
                    "legacy",
                    Map.of("app.kubernetes.io/managed-by", "labeledappset-operator"),
                    "legacy"))
            .create();
    assertTrue(
        createInConflict(
                "legacy-web", "{name: legacy, ports: [{name: http, port: 80, targetPort: http}]}")
            .contains("Service legacy"));
    Service after = service("legacy");
    assertEquals(
        legacy.getMetadata().getResourceVersion(), after.getMetadata().getResourceVersion());
    assertTrue(
        after.getMetadata().getOwnerReferences() == null
            || after.getMetadata().getOwnerReferences().isEmpty());
    assertFalse(Objects.equals(after.getSpec().getSelector().get(Labels.SERVICE), "legacy"));

    // once the foreign Service is gone, the set makes its own (its deletion wakes the set that
    // names it)
    client.services().inNamespace(ns).withName("legacy").delete();
    await(
        "legacy-web's own Service",
        () ->
            service("legacy") != null
                && ownerNames(service("legacy")).equals(List.of("legacy-web"))
                && has("legacy-web", Conditions.SERVICE_ROUTED, "True", "EndpointsReady"));
  }
}

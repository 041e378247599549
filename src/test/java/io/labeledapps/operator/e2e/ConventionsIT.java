package io.labeledapps.operator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.LabeledAppSetOperator;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.config.OperatorConfig;
import io.labeledapps.operator.crd.CrdInstaller;
import io.labeledapps.operator.status.Conditions;
import io.labeledapps.operator.testkit.Await;
import io.labeledapps.operator.testkit.Edits;
import io.labeledapps.operator.testkit.Events;
import io.labeledapps.operator.testkit.Quotas;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The namespace conventions against a real API server: namespace labels and annotations, a real
 * ResourceQuota filled by the quota controller, the operator's namespace watch. Each test has a
 * namespace of its own, created here and deleted at the end; the operator watches only those.
 */
class ConventionsIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String ENABLED = "labeledapps.io/enabled";
  static KubernetesClient client;
  static LabeledAppSetOperator operator;
  static final String PREFIX = "las-conv-" + UUID.randomUUID().toString().substring(0, 6) + "-";
  static final List<String> NAMESPACES =
      List.of("optin", "labels", "defaults", "ceiling", "types", "quota", "quota-limits");

  @BeforeAll
  static void setUp() throws IOException {
    client = LabeledAppSetOperator.newClient();
    CrdInstaller.install(client, Path.of("crds"));
    for (String ns : NAMESPACES) {
      client
          .namespaces()
          .resource(
              new NamespaceBuilder().withNewMetadata().withName(PREFIX + ns).endMetadata().build())
          .create();
    }
    OperatorConfig config = new OperatorConfig();
    config.watchNamespaces = NAMESPACES.stream().map(n -> PREFIX + n).toList();
    config.metricsPort = 0;
    operator = LabeledAppSetOperator.start(config, client);
  }

  @AfterAll
  static void tearDown() {
    if (operator != null) {
      operator.close();
    }
    if (client != null) {
      for (String ns : NAMESPACES) {
        client.namespaces().withName(PREFIX + ns).delete();
      }
      client.close();
    }
  }

  /**
   * The test's namespace, with these labels (besides its name's) and labeledapps.io/ annotations.
   */
  static String namespace(
      String suffix, Map<String, String> labels, Map<String, String> annotations) {
    String ns = PREFIX + suffix;
    editNamespace(
        ns,
        m -> {
          m.getLabels().putAll(labels);
          Map<String, String> a =
              new LinkedHashMap<>(m.getAnnotations() == null ? Map.of() : m.getAnnotations());
          annotations.forEach((k, v) -> a.put("labeledapps.io/" + k, v));
          m.setAnnotations(a);
        });
    return ns;
  }

  /** {@link #namespace} with conventions enabled, and these labeledapps.io/ annotations. */
  static String enabledNamespace(String suffix, Map<String, String> annotations) {
    return namespace(suffix, Map.of(ENABLED, "true"), annotations);
  }

  static void editNamespace(String ns, Consumer<ObjectMeta> change) {
    client
        .namespaces()
        .withName(ns)
        .edit(
            n -> {
              if (n.getMetadata().getLabels() == null) {
                n.getMetadata().setLabels(new LinkedHashMap<>());
              }
              change.accept(n.getMetadata());
              return n;
            });
  }

  static LabeledAppSet apply(String ns, String yaml) {
    LabeledAppSet set = Serialization.unmarshal(yaml, LabeledAppSet.class);
    set.getMetadata().setNamespace(ns);
    return client.resource(set).create();
  }

  /**
   * {@code replicas} pods of one nginx container, labels app=name plus {@code extraLabels}, a
   * Service.
   */
  static LabeledAppSet simple(
      String ns,
      String name,
      int replicas,
      String extraLabels,
      String resources,
      String serviceType) {
    return apply(
        ns,
        """
        apiVersion: labeledapps.io/v1alpha1
        kind: LabeledAppSet
        metadata:
          name: %s
        spec:
          replicas: %d
          labels: {app: %s%s}
          containers:
            - name: web
              image: nginx:1.27
              ports: [{name: http, containerPort: 8080}]
              %s
          service:
            type: %s
            ports: [{name: http, port: 80, targetPort: http}]
        """
            .formatted(
                name,
                replicas,
                name,
                extraLabels.isEmpty() ? "" : ", " + extraLabels,
                resources.isEmpty() ? "" : "resources: " + resources,
                serviceType));
  }

  /** {@link #simple}: no extra labels, a ClusterIP Service, these resources ("" for none). */
  static LabeledAppSet clusterIp(String ns, String name, int replicas, String resources) {
    return simple(ns, name, replicas, "", resources, "ClusterIP");
  }

  static LabeledAppSet fetch(String ns, String name) {
    return new Sets(client, ns).fetch(name);
  }

  static List<Pod> pods(String ns, String name) {
    return new Sets(client, ns).pods(name);
  }

  static Set<String> uids(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
  }

  static void await(String what, BooleanSupplier condition) {
    Await.until(what, TIMEOUT, condition);
  }

  static Condition condition(String ns, String name, String type) {
    return new Sets(client, ns).condition(name, type);
  }

  /** The condition of the set's current generation has this status and reason. */
  static boolean is(String ns, String name, String type, String status, String reason) {
    LabeledAppSet s = fetch(ns, name);
    Condition c = s == null ? null : Conditions.find(s.getStatus(), type);
    return c != null
        && status.equals(c.getStatus())
        && reason.equals(c.getReason())
        && Objects.equals(c.getObservedGeneration(), s.getMetadata().getGeneration());
  }

  static boolean ready(String ns, String name) {
    return is(ns, name, Conditions.READY, "True", "AllPodsReady");
  }

  /** Set {@code name} is Ready with {@code count} live pods, each of them matching {@code each}. */
  static boolean readyWith(String ns, String name, int count, Predicate<Pod> each) {
    List<Pod> pods = pods(ns, name);
    return ready(ns, name) && pods.size() == count && pods.stream().allMatch(each);
  }

  /** Waits for ConventionsMet=False with {@code rule} and returns its message. */
  static String refused(String ns, String name, String rule) {
    await(
        name + ": ConventionsMet=False " + rule,
        () -> is(ns, name, Conditions.CONVENTIONS_MET, "False", rule));
    Condition ready = condition(ns, name, Conditions.READY);
    assertEquals("False", ready.getStatus());
    assertEquals(rule, ready.getReason());
    await(
        name + ": Warning event " + rule,
        () -> Events.any(client, ns, Events.of("Warning", rule, name)));
    return condition(ns, name, Conditions.CONVENTIONS_MET).getMessage();
  }

  /**
   * Creates {@code quota} and waits until the quota controller reports its use of {@code resource}:
   * the operator's preflight reads what the controller reports.
   */
  static void createCounted(ResourceQuota quota, String resource) {
    client.resource(quota).create();
    client
        .resource(quota)
        .waitUntilCondition(q -> counts(q, resource), TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** The quota controller reports {@code q}'s use of {@code resource}. */
  private static boolean counts(ResourceQuota q, String resource) {
    return q != null
        && q.getStatus() != null
        && q.getStatus().getUsed() != null
        && q.getStatus().getUsed().containsKey(resource);
  }

  static String quantity(Pod pod, String kind, String resource) {
    var r = pod.getSpec().getContainers().get(0).getResources();
    Map<String, Quantity> m = "requests".equals(kind) ? r.getRequests() : r.getLimits();
    return m == null || m.get(resource) == null ? null : m.get(resource).toString();
  }

  @Test
  void aNamespaceMustOptInAndLabelingItConverges() {
    String ns = PREFIX + "optin";
    clusterIp(ns, "web", 2, "");
    String message = refused(ns, "web", "NamespaceNotEnabled");
    assertTrue(
        message.startsWith(
            "namespace "
                + ns
                + " does not match the selector 'labeledapps.io/enabled=true';"
                + " label it to host LabeledAppSets. Nothing is created or changed until this is fixed"),
        message);
    assertTrue(pods(ns, "web").isEmpty());
    assertNull(client.services().inNamespace(ns).withName("web").get());

    enabledNamespace("optin", Map.of());
    await("Ready once the namespace is labeled", () -> ready(ns, "web"));
    assertEquals(2, pods(ns, "web").size());
    assertTrue(is(ns, "web", Conditions.CONVENTIONS_MET, "True", "Compliant"));

    // taking the label away again refuses further changes but keeps what runs
    Set<String> running = uids(pods(ns, "web"));
    editNamespace(ns, m -> m.getLabels().remove(ENABLED));
    String again = refused(ns, "web", "NamespaceNotEnabled");
    assertTrue(again.endsWith("the 2 pods already running are kept"), again);
    assertEquals(running, uids(pods(ns, "web")));
  }

  @Test
  void namespaceLabelsFlowDownToPodsAndServiceAndFollowTheNamespace() {
    String ns =
        namespace("labels", Map.of(ENABLED, "true", "team", "payments", "env", "prod"), Map.of());
    clusterIp(ns, "web", 2, "");
    simple(ns, "devapp", 1, "env: dev", "", "ClusterIP");
    await("web Ready", () -> ready(ns, "web"));
    for (Pod pod : pods(ns, "web")) {
      assertEquals("payments", pod.getMetadata().getLabels().get("team"));
      assertEquals("prod", pod.getMetadata().getLabels().get("env"));
    }
    Service service = client.services().inNamespace(ns).withName("web").get();
    assertEquals("payments", service.getMetadata().getLabels().get("team"));
    assertEquals("prod", service.getMetadata().getLabels().get("env"));

    String message = refused(ns, "devapp", "LabelConflict");
    assertTrue(
        message.startsWith(
            "spec.labels[env] is 'dev' but namespace " + ns + " sets env=prod for every pod"),
        message);
    assertTrue(pods(ns, "devapp").isEmpty());
    assertNull(client.services().inNamespace(ns).withName("devapp").get());

    // the namespace changes: pods are replaced with the new labels, the Service relabeled, the
    // conflict gone
    Set<String> before = uids(pods(ns, "web"));
    editNamespace(
        ns,
        m -> {
          m.getLabels().put("team", "billing");
          m.getLabels().put("env", "dev");
        });
    await(
        "web pods relabeled",
        () ->
            readyWith(
                ns,
                "web",
                2,
                p ->
                    "billing".equals(p.getMetadata().getLabels().get("team"))
                        && "dev".equals(p.getMetadata().getLabels().get("env"))));
    assertTrue(
        uids(pods(ns, "web")).stream().noneMatch(before::contains),
        "inherited labels are part of the template");
    await(
        "Service relabeled",
        () ->
            "billing"
                .equals(
                    client
                        .services()
                        .inNamespace(ns)
                        .withName("web")
                        .get()
                        .getMetadata()
                        .getLabels()
                        .get("team")));
    await("devapp Ready once the namespace agrees", () -> ready(ns, "devapp"));
    assertEquals("billing", pods(ns, "devapp").get(0).getMetadata().getLabels().get("team"));
  }

  @Test
  void defaultsComeFromNamespaceAnnotationsAndAreShownOnPodsAndInTheStatus() {
    String ns =
        enabledNamespace(
            "defaults", Map.of("default-cpu-request", "50m", "default-memory-limit", "192Mi"));
    clusterIp(ns, "web", 2, "");
    clusterIp(
        ns, "sized", 1, "{requests: {cpu: 300m, memory: 64Mi}, limits: {cpu: 500m, memory: 96Mi}}");
    await("web Ready", () -> ready(ns, "web"));
    for (Pod pod : pods(ns, "web")) {
      assertEquals("50m", quantity(pod, "requests", "cpu"), "namespace annotation");
      assertEquals("128Mi", quantity(pod, "requests", "memory"), "operator configuration");
      assertEquals("192Mi", quantity(pod, "limits", "memory"), "namespace annotation");
      assertNull(quantity(pod, "limits", "cpu"), "no default cpu limit configured");
    }
    Condition met = condition(ns, "web", Conditions.CONVENTIONS_MET);
    assertEquals("True", met.getStatus());
    assertEquals(
        "defaults applied: web: requests.cpu=50m, requests.memory=128Mi, limits.memory=192Mi",
        met.getMessage());

    await("sized Ready", () -> ready(ns, "sized"));
    Pod sized = pods(ns, "sized").get(0);
    assertEquals("300m", quantity(sized, "requests", "cpu"));
    assertEquals("96Mi", quantity(sized, "limits", "memory"));
    assertEquals(
        "all namespace conventions are met",
        condition(ns, "sized", Conditions.CONVENTIONS_MET).getMessage());

    // a new default rolls the pods that use it, and only those
    Set<String> web = uids(pods(ns, "web"));
    Set<String> kept = uids(pods(ns, "sized"));
    namespace("defaults", Map.of(), Map.of("default-cpu-request", "75m"));
    await(
        "web pods on the new default",
        () -> readyWith(ns, "web", 2, p -> "75m".equals(quantity(p, "requests", "cpu"))));
    assertTrue(uids(pods(ns, "web")).stream().noneMatch(web::contains));
    assertEquals(kept, uids(pods(ns, "sized")), "a set that declares everything is not touched");
  }

  @Test
  void ceilingsRefuseContainersAboveThemAndTighteningKeepsRunningPods() {
    String ns =
        enabledNamespace("ceiling", Map.of("max-memory-limit", "512Mi", "max-cpu-limit", "1"));
    clusterIp(ns, "big", 1, "{limits: {cpu: 1500m, memory: 1Gi}}");
    clusterIp(
        ns,
        "fits",
        2,
        "{requests: {cpu: 100m, memory: 100Mi}, limits: {cpu: 200m, memory: 256Mi}}");
    String message = refused(ns, "big", "ResourceCeilingExceeded");
    assertTrue(
        message.contains(
            "spec.containers[0].resources.limits.cpu 1500m is above the namespace's ceiling 1"
                + " (labeledapps.io/max-cpu-limit)"),
        message);
    assertTrue(
        message.contains(
            "spec.containers[0].resources.limits.memory 1Gi is above the namespace's ceiling 512Mi"
                + " (labeledapps.io/max-memory-limit)"),
        message);
    assertTrue(pods(ns, "big").isEmpty());
    await("fits Ready", () -> ready(ns, "fits"));

    Set<String> running = uids(pods(ns, "fits"));
    namespace("ceiling", Map.of(), Map.of("max-memory-limit", "128Mi"));
    String tightened = refused(ns, "fits", "ResourceCeilingExceeded");
    assertTrue(
        tightened.contains(
            "spec.containers[0].resources.limits.memory 256Mi is above the namespace's ceiling"
                + " 128Mi"),
        tightened);
    assertTrue(tightened.endsWith("the 2 pods already running are kept"), tightened);
    assertEquals(running, uids(pods(ns, "fits")), "running pods are kept");
    assertEquals(2, fetch(ns, "fits").getStatus().getReadyReplicas());
  }

  @Test
  void serviceTypesFollowTheNamespaceLabel() {
    String ns =
        namespace(
            "types",
            Map.of(ENABLED, "true", "labeledapps.io/service-types", "ClusterIP"),
            Map.of());
    clusterIp(ns, "internal", 1, "");
    simple(ns, "exposed", 1, "", "", "NodePort");
    await("internal Ready", () -> ready(ns, "internal"));
    String message = refused(ns, "exposed", "ServiceTypeNotAllowed");
    assertTrue(
        message.startsWith(
            "spec.service.type NodePort is not allowed in namespace "
                + ns
                + " (allowed: ClusterIP)"),
        message);
    assertTrue(pods(ns, "exposed").isEmpty());
    assertNull(client.services().inNamespace(ns).withName("exposed").get());

    namespace("types", Map.of("labeledapps.io/service-types", "ClusterIP_NodePort"), Map.of());
    await("exposed Ready", () -> ready(ns, "exposed"));
    assertEquals(
        "NodePort",
        client.services().inNamespace(ns).withName("exposed").get().getSpec().getType());
  }

  @Test
  void aSetThatDoesNotFitTheResourceQuotaIsReportedWithTheExactShortfall() {
    String ns = enabledNamespace("quota", Map.of());
    createCounted(Quotas.of(ns, "compute", Map.of("requests.cpu", "500m")), "requests.cpu");
    clusterIp(ns, "web", 3, "{requests: {cpu: 200m}}");
    String message = refused(ns, "web", "QuotaExceeded");
    assertTrue(
        message.startsWith(
            "ResourceQuota compute: 3 new pods need 600m requests.cpu, more than the quota's"
                + " remaining 500m (short by 100m). Nothing is created or changed until this is fixed"),
        message);
    assertTrue(pods(ns, "web").isEmpty(), "no pod is created when the set does not fit");
    assertNull(client.services().inNamespace(ns).withName("web").get());

    Edits.object(
        client,
        ResourceQuota.class,
        ns,
        "compute",
        q -> q.getSpec().setHard(Map.of("requests.cpu", new Quantity("1"))));
    await("Ready once the quota has room", () -> ready(ns, "web"));
    assertEquals(3, pods(ns, "web").size());
    await(
        "the quota counts the pods",
        () -> {
          ResourceQuota q = client.resourceQuotas().inNamespace(ns).withName("compute").get();
          return new Quantity("600m").equals(q.getStatus().getUsed().get("requests.cpu"));
        });

    // scaling beyond what is left: refused with the shortfall of the new pods only, the 3 kept
    Edits.set(client, ns, "web", s -> s.getSpec().setReplicas(6));
    String scaled = refused(ns, "web", "QuotaExceeded");
    assertTrue(
        scaled.startsWith(
            "ResourceQuota compute: 3 new pods need 600m requests.cpu, more than the quota's"
                + " remaining 400m (short by 200m)"),
        scaled);
    assertTrue(scaled.endsWith("the 3 pods already running are kept"), scaled);
    assertEquals(3, pods(ns, "web").size());
  }

  @Test
  void aQuotaOnLimitsNeedsALimitOnEveryContainerAndThePreflightSaysWhichOneLacksIt() {
    String ns = enabledNamespace("quota-limits", Map.of());
    createCounted(
        Quotas.of(ns, "limits", Map.of("limits.cpu", "2", "limits.memory", "2Gi")), "limits.cpu");
    // the configured defaults give a memory limit but no cpu limit: the API server would refuse
    // every pod
    clusterIp(ns, "web", 2, "");
    String message = refused(ns, "web", "QuotaExceeded");
    assertTrue(
        message.startsWith(
            "ResourceQuota limits: every container must set limits.cpu, and web does not"),
        message);
    assertTrue(message.contains("labeledapps.io/default-cpu-limit"), message);
    assertTrue(pods(ns, "web").isEmpty());

    namespace("quota-limits", Map.of(), Map.of("default-cpu-limit", "500m"));
    await("Ready with the namespace's default cpu limit", () -> ready(ns, "web"));
    for (Pod pod : pods(ns, "web")) {
      assertEquals("500m", quantity(pod, "limits", "cpu"));
    }
  }
}

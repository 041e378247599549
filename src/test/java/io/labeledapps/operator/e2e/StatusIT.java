package io.labeledapps.operator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.status.Conditions;
import io.labeledapps.operator.testkit.Await;
import io.labeledapps.operator.testkit.Events;
import io.labeledapps.operator.testkit.SetBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Conditions, events and printer columns as users read them, on the real API server, with the
 * control plane's failure knobs (crashloop and errimagepull images, the fake-nodes/ready
 * annotation, a nodeSelector no node matches).
 */
class StatusIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  @RegisterExtension static final E2eOperator e2e = E2eOperator.perClass("las-status");
  static final KubernetesClient client = e2e.client;
  static final String ns = e2e.ns;

  static LabeledAppSet set(String name, int replicas, String image, String extra) {
    return e2e.create(SetBuilder.set(name).replicas(replicas).container("main", image).spec(extra));
  }

  static Condition awaitCondition(String name, String type, String status, String reason) {
    Await.until(
        name + ": " + type + "=" + status + " " + reason,
        TIMEOUT,
        () -> {
          Condition c = e2e.condition(name, type);
          return c != null && status.equals(c.getStatus()) && reason.equals(c.getReason());
        },
        () -> "last: " + e2e.condition(name, type));
    return e2e.condition(name, type);
  }

  static void await(String what, BooleanSupplier condition) {
    Await.until(what, TIMEOUT, condition);
  }

  @Test
  void crashLoopingPodsAreDegradedWithTheirNames() {
    set("crash", 2, "registry.local/crashloop:1", "");
    await(
        "both pods reported",
        () -> {
          Condition c = e2e.condition("crash", Conditions.DEGRADED);
          return c != null && "2 pods CrashLoopBackOff (crash-0, crash-1)".equals(c.getMessage());
        });
    assertEquals("CrashLoopBackOff", e2e.condition("crash", Conditions.DEGRADED).getReason());
    Condition ready = awaitCondition("crash", Conditions.READY, "False", "PodsNotReady");
    assertEquals("0 of 2 pods ready", ready.getMessage());
    assertEquals(
        2,
        client
            .resources(LabeledAppSet.class)
            .inNamespace(ns)
            .withName("crash")
            .get()
            .getStatus()
            .getPodPhases()
            .get("Running"));
  }

  @Test
  void imagePullFailuresAndUnschedulablePodsAreGroupedByCause() {
    set("pull", 1, "registry.local/errimagepull:1", "");
    Condition pull = awaitCondition("pull", Conditions.DEGRADED, "True", "ErrImagePull");
    assertEquals("1 pod ErrImagePull (pull-0)", pull.getMessage());

    set("gpu", 1, "nginx:1.27", "  nodeSelector: {gpu: \"false\"}");
    Condition unschedulable = awaitCondition("gpu", Conditions.DEGRADED, "True", "Unschedulable");
    assertTrue(
        unschedulable
            .getMessage()
            .startsWith("1 pod Unschedulable (gpu-0): no node matches nodeSelector gpu=false"),
        unschedulable.getMessage());
    assertEquals(
        1,
        client
            .resources(LabeledAppSet.class)
            .inNamespace(ns)
            .withName("gpu")
            .get()
            .getStatus()
            .getPodPhases()
            .get("Pending"));
  }

  @Test
  void podsFailingReadinessAreDegradedAndLeaveTheServiceWithoutEndpoints() {
    set(
        "unready",
        2,
        "nginx:1.27",
        """
          annotations: {fake-nodes/ready: "false"}
          service:
            ports: [{name: http, port: 80, targetPort: http}]
        """);
    // the kubelet reports the pods one at a time: the first NotReady status may name only one of
    // them
    Await.until(
        "unready: Degraded=True NotReady naming both pods",
        TIMEOUT,
        () -> {
          Condition c = e2e.condition("unready", Conditions.DEGRADED);
          return c != null
              && "True".equals(c.getStatus())
              && c.getMessage().startsWith("2 pods NotReady");
        },
        () -> "last: " + e2e.condition("unready", Conditions.DEGRADED));
    Condition degraded = e2e.condition("unready", Conditions.DEGRADED);
    assertEquals("NotReady", degraded.getReason());
    assertTrue(
        degraded.getMessage().startsWith("2 pods NotReady (unready-0, unready-1)"),
        degraded.getMessage());
    Condition routed = awaitCondition("unready", Conditions.SERVICE_ROUTED, "False", "NoReadyPods");
    assertTrue(
        routed.getMessage().contains("app.kubernetes.io/instance=unready"), routed.getMessage());
  }

  @Test
  void aNodePortServiceIsRoutedAndListsItsNodePorts() {
    set(
        "routed",
        2,
        "nginx:1.27",
        """
          service:
            type: NodePort
            ports: [{name: http, port: 80, targetPort: http}]
        """);
    Condition routed =
        awaitCondition("routed", Conditions.SERVICE_ROUTED, "True", "EndpointsReady");
    var status =
        client.resources(LabeledAppSet.class).inNamespace(ns).withName("routed").get().getStatus();
    assertNotNull(status.getService().getNodePorts());
    int nodePort = status.getService().getNodePorts().get(0);
    assertTrue(nodePort >= 30000 && nodePort <= 32767);
    assertTrue(
        routed.getMessage().startsWith("2 ready endpoints; node ports " + nodePort),
        routed.getMessage());
    assertTrue(
        routed.getMessage().contains("minikube service routed -n " + ns), routed.getMessage());
    awaitCondition("routed", Conditions.READY, "True", "AllPodsReady");
    assertEquals("False", e2e.condition("routed", Conditions.DEGRADED).getStatus());
    assertEquals("True", e2e.condition("routed", Conditions.CONVENTIONS_MET).getStatus());
    assertEquals("Running:2", status.getPhaseSummary());
  }

  @Test
  void eventsSayWhatChangedAndWhy() {
    set("evented", 2, "nginx:1.27", "");
    awaitCondition("evented", Conditions.READY, "True", "AllPodsReady");
    client.pods().inNamespace(ns).withName("evented-0").delete();
    await(
        "a heal event",
        () ->
            Events.any(
                client,
                ns,
                Events.of(null, "PodsCreated", "evented")
                    .and(e -> e.getMessage().endsWith("(Heal)"))));
    assertTrue(
        Events.any(
            client,
            ns,
            Events.of("Normal", null, "evented")
                .and(
                    e -> "Created 2 pods: evented-0, evented-1 (ScaleUp)".equals(e.getMessage()))));
  }

  @Test
  void kubectlGetShowsTheColumns() throws Exception {
    set(
        "columns",
        1,
        "nginx:1.27",
        """
          service:
            ports: [{name: http, port: 80, targetPort: http}]
        """);
    awaitCondition("columns", Conditions.READY, "True", "AllPodsReady");
    Process p =
        new ProcessBuilder("kubectl", "get", "las", "columns", "-n", ns)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    List<String> lines = out.lines().toList();
    List<String> header = List.of(lines.get(0).trim().split("\\s+"));
    List<String> row = List.of(lines.get(1).trim().split("\\s+"));
    Map<String, String> cells = new java.util.HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      cells.put(header.get(i), row.get(i));
    }
    // in the order LabeledAppSet declares them (the build undoes the CRD generator's sorting by
    // jsonPath)
    assertEquals(
        List.of(
            "NAME",
            "DESIRED",
            "CURRENT",
            "READY",
            "AVAILABLE",
            "SERVICE",
            "STATUS",
            "PHASES",
            "AGE"),
        header,
        out);
    assertEquals("columns", cells.get("NAME"), out);
    assertEquals("1", cells.get("DESIRED"), out);
    assertEquals("1", cells.get("READY"), out);
    assertEquals("1", cells.get("AVAILABLE"), out);
    assertEquals("ClusterIP", cells.get("SERVICE"), out);
    assertEquals("AllPodsReady", cells.get("STATUS"), out);
    assertEquals("Running:1", cells.get("PHASES"), out);
    assertTrue(cells.containsKey("AGE"), out);
  }
}

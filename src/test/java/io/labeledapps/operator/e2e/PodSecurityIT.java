package io.labeledapps.operator.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.conventions.PodSecurity;
import io.labeledapps.operator.deploy.RestrictedPodSecurity;
import io.labeledapps.operator.status.Conditions;
import io.labeledapps.operator.testkit.Await;
import io.labeledapps.operator.testkit.Edits;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A namespace labeled pod-security.kubernetes.io/enforce=restricted on the real API server (1.20
 * has no Pod Security admission: the operator's convention is what acts): a plain set gets
 * compliant pods and says what it added; a template that breaks the level creates no pod and names
 * the field; fixing it converges without a restart.
 */
class PodSecurityIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  @RegisterExtension static final E2eOperator e2e = E2eOperator.perClass("las-restricted");
  static final KubernetesClient client = e2e.client;
  static final String ns = e2e.ns;

  @BeforeAll
  static void setUp() throws IOException {
    client
        .namespaces()
        .withName(ns)
        .edit(
            n -> {
              n.getMetadata().getLabels().put(PodSecurity.ENFORCE_LABEL, "restricted");
              return n;
            });
  }

  static boolean ready(String name, int replicas) {
    return e2e.ready(name) && e2e.pods(name).size() == replicas;
  }

  /** Sets the security context of set {@code name}'s container. */
  static void securityContext(String name, SecurityContext context) {
    Edits.set(
        client, ns, name, s -> s.getSpec().getContainers().get(0).setSecurityContext(context));
  }

  static void await(String what, BooleanSupplier condition) {
    Await.until(what, TIMEOUT, condition);
  }

  @Test
  void plainSetsGetCompliantPodsAndViolationsAreRefusedUntilFixed() {
    String name = "plain";
    LabeledAppSet set =
        Serialization.unmarshal(
            """
        apiVersion: labeledapps.io/v1alpha1
        kind: LabeledAppSet
        metadata:
          name: plain
        spec:
          replicas: 2
          labels: {app: plain}
          initContainers:
            - name: setup
              image: busybox:1.36
          containers:
            - name: web
              image: nginx:1.27
              ports: [{name: http, containerPort: 8080}]
        """,
            LabeledAppSet.class);
    set.getMetadata().setNamespace(ns);
    client.resource(set).create();
    await("2 ready pods", () -> ready(name, 2));
    for (Pod pod : e2e.pods(name)) {
      assertEquals(
          List.of(),
          RestrictedPodSecurity.violations(pod.getSpec(), pod.getMetadata().getAnnotations()),
          pod.getMetadata().getName() + " as the API server stored it");
    }
    Condition met = e2e.condition(name, Conditions.CONVENTIONS_MET);
    assertEquals("True", met.getStatus());
    assertTrue(
        met.getMessage()
            .contains(
                "Pod Security restricted: spec.securityContext.runAsNonRoot=true,"
                    + " spec.securityContext.seccompProfile.type=RuntimeDefault"),
        met.getMessage());
    assertTrue(
        met.getMessage().contains("spec.containers[0].securityContext.capabilities.drop=[ALL]"),
        met.getMessage());

    // a privileged container and root: refused, naming both fields and the level; nothing replaced
    Set<String> uids = e2e.uids(name);
    securityContext(
        name, new SecurityContextBuilder().withPrivileged(true).withRunAsUser(0L).build());
    await(
        "ConventionsMet=False PodSecurity",
        () -> e2e.is(name, Conditions.CONVENTIONS_MET, "False", "PodSecurity"));
    String message = e2e.condition(name, Conditions.CONVENTIONS_MET).getMessage();
    assertTrue(
        message.contains(
            "spec.containers[0].securityContext.privileged is true, which Pod Security level"
                + " 'restricted' forbids"),
        message);
    assertTrue(
        message.contains("spec.containers[0].securityContext.runAsUser is 0 (root)"), message);
    Condition readyCondition = e2e.condition(name, Conditions.READY);
    assertEquals("False", readyCondition.getStatus());
    assertEquals("PodSecurity", readyCondition.getReason());
    assertEquals(uids, e2e.uids(name), "nothing created or deleted while refused");

    // fixed: converges without a restart, on compliant pods
    securityContext(name, new SecurityContextBuilder().withRunAsUser(1000L).build());
    await(
        "ready on the fixed template",
        () ->
            ready(name, 2)
                && e2e.allPods(
                    name,
                    p ->
                        Long.valueOf(1000L)
                            .equals(
                                p.getSpec()
                                    .getContainers()
                                    .get(0)
                                    .getSecurityContext()
                                    .getRunAsUser())));
    for (Pod pod : e2e.pods(name)) {
      assertEquals(
          List.of(),
          RestrictedPodSecurity.violations(pod.getSpec(), pod.getMetadata().getAnnotations()));
    }
  }
}

package io.labeledapps.operator.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.TestSets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the dry-run makes of the API server's answers, against a server that answers as told. */
@EnableKubernetesMockClient
class ServerDryRunMockTest {
  KubernetesMockServer server;
  KubernetesClient client;

  private static LabeledAppSet set() {
    return TestSets.named("web", "apps", "u1");
  }

  @Test
  void aWebhookThatCannotBeDryRunIsNoRefusal() {
    // admissionregistration v1beta1 webhooks default to sideEffects Unknown: every dry-run is
    // refused
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/apps/pods?dryRun=All")
        .andReturn(
            400,
            new StatusBuilder()
                .withCode(400)
                .withReason("BadRequest")
                .withMessage("admission webhook \"audit.example.com\" does not support dry run")
                .build())
        .always();
    List<String> answers = new ArrayList<>();
    ServerDryRun dryRun = new ServerDryRun(client, Duration.ofMinutes(10), answers::add);
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("web-0")
            .withNamespace("apps")
            .endMetadata()
            .build();

    assertTrue(
        dryRun.check(set(), "h1", "ns1", pod, Instant.EPOCH).isEmpty(), "the real create is tried");
    assertEquals(List.of("accepted"), answers);
  }

  @Test
  void aServiceIsAskedAboutAgainWhenOnlyItsAnnotationsChange() {
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/apps/services?dryRun=All")
        .andReturn(
            403,
            new StatusBuilder()
                .withCode(403)
                .withReason("Forbidden")
                .withMessage(
                    "admission webhook \"lb.example.com\" denied the request: internal annotation required")
                .build())
        .once();
    server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/apps/services?dryRun=All")
        .andReturn(
            201,
            new ServiceBuilder()
                .withNewMetadata()
                .withName("web")
                .withNamespace("apps")
                .endMetadata()
                .build())
        .once();
    ServerDryRun dryRun = new ServerDryRun(client, Duration.ofMinutes(10), answer -> {});
    Service plain =
        new ServiceBuilder()
            .withNewMetadata()
            .withName("web")
            .withNamespace("apps")
            .endMetadata()
            .withNewSpec()
            .withType("LoadBalancer")
            .endSpec()
            .build();
    Service annotated =
        new ServiceBuilder(plain)
            .editMetadata()
            .addToAnnotations("lb.example.com/internal", "true")
            .endMetadata()
            .build();

    assertEquals(
        "AdmissionRefused",
        dryRun.checkService(set(), plain, true, "ns1", Instant.EPOCH).orElseThrow().reason());
    assertTrue(
        dryRun.checkService(set(), plain, true, "ns1", Instant.EPOCH).isPresent(), "remembered");
    assertTrue(
        dryRun.checkService(set(), annotated, true, "ns1", Instant.EPOCH).isEmpty(),
        "the fixed annotations are asked about, not answered from memory");
    assertEquals(2, dryRun.requests());
  }
}

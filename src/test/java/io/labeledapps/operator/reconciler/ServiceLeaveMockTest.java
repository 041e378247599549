package io.labeledapps.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.DesiredService;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.model.TestSets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What a set leaves behind when it stops naming a Service: only Services the operator made for sets
 * are left or deleted, never one a user ties to the set's life with an ownerReference.
 */
@EnableKubernetesMockClient(crud = true)
class ServiceLeaveMockTest {
  static KubernetesClient client;
  private static final String NS = TestSets.NAMESPACE;

  @Test
  void aUsersServiceWithAReferenceToTheSetIsNeverDeletedByIt() {
    LabeledAppSet set =
        SharedServiceMockTest.set(
            "web", "2024-05-01T10:00:00Z", null, "[{name: http, port: 80, targetPort: http}]");
    // a user's metrics Service, labeled like the operator's and garbage-collected with the set
    Service metrics =
        new ServiceBuilder()
            .withNewMetadata()
            .withName("web-metrics")
            .withNamespace(NS)
            .addToLabels(Labels.MANAGED_BY, Labels.MANAGER)
            .addToLabels("app", "web")
            .addToOwnerReferences(DesiredService.ownerReference(set))
            .endMetadata()
            .withNewSpec()
            .addNewPort()
            .withPort(9090)
            .withProtocol("TCP")
            .endPort()
            .endSpec()
            .build();
    client.services().inNamespace(NS).resource(metrics).create();
    ServiceReconciler reconciler = new ServiceReconciler(client, List.of("team"));
    List<Service> owned =
        client.services().inNamespace(NS).list().getItems().stream()
            .filter(s -> ServiceReconciler.ownedBy(s, set))
            .toList();
    assertEquals(1, owned.size());

    ServiceReconciler.Outcome outcome =
        reconciler.reconcile(
            set, DesiredService.of(set), Optional.empty(), List.of(set), owned, List.of());

    assertEquals(List.of("created Service web"), outcome.changes());
    assertNotNull(
        client.services().inNamespace(NS).withName("web-metrics").get(),
        "the user's Service is kept");
  }
}

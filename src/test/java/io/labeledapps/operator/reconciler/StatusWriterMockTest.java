package io.labeledapps.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class StatusWriterMockTest {
  static KubernetesClient client;
  static KubernetesMockServer server;

  @Test
  void oneJsonPatchOfTheWholeStatusAndNoReadBeforeIt() throws InterruptedException {
    LabeledAppSet set =
        client
            .resource(
                Serialization.unmarshal(
                    """
        apiVersion: labeledapps.io/v1alpha1
        kind: LabeledAppSet
        metadata: {name: web, namespace: status}
        spec:
          containers: [{name: web, image: nginx:1.27}]
        """,
                    LabeledAppSet.class))
            .create();
    while (server.takeRequest(10, TimeUnit.MILLISECONDS) != null) {
      // the create
    }
    LabeledAppSetStatus status = new LabeledAppSetStatus();
    status.setReplicas(2);
    status.setReadyReplicas(1);

    String resourceVersion =
        new StatusWriter(client).write(set, status).getMetadata().getResourceVersion();

    List<String> requests = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      requests.add(r.getMethod() + " " + r.getPath());
    }
    assertEquals(
        List.of("PATCH /apis/labeledapps.io/v1alpha1/namespaces/status/labeledappsets/web/status"),
        requests);
    LabeledAppSet stored =
        client.resources(LabeledAppSet.class).inNamespace("status").withName("web").get();
    assertEquals(1, stored.getStatus().getReadyReplicas());
    assertEquals(2, stored.getStatus().getReplicas());
    assertEquals(
        stored.getMetadata().getResourceVersion(),
        resourceVersion,
        "the version the write produced");
    assertNotEquals(set.getMetadata().getResourceVersion(), resourceVersion);
  }
}

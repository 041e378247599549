package io.labeledapps.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.labeledapps.operator.LabeledAppSetOperator;
import io.labeledapps.operator.testkit.MockOperator;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The informers of the many (sets, pods, Services, Endpoints) list by pages: a start at 10,000 pods
 * holds one page of pods as the server sent them, not all of them at once.
 */
@EnableKubernetesMockClient(crud = true)
class InformerPagingMockTest {
  static KubernetesClient client;
  static KubernetesMockServer server;

  @Test
  void theInformersOfSetsPodsServicesAndEndpointsListByPages() throws Exception {
    LabeledAppSetOperator operator = MockOperator.start(client);
    List<String> lists = new ArrayList<>();
    try {
      RecordedRequest r;
      while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
        String path = r.getPath();
        if (r.getMethod().equals("GET") && !path.contains("watch=true")) {
          lists.add(path);
        }
      }
    } finally {
      MockOperator.stopAndClean(operator, client);
    }
    for (String kind : List.of("/labeledappsets?", "/pods?", "/services?", "/endpoints?")) {
      List<String> ofKind = lists.stream().filter(p -> p.contains(kind)).toList();
      assertTrue(!ofKind.isEmpty(), kind + " never listed: " + lists);
      ofKind.forEach(
          p -> assertTrue(p.contains("limit=" + CacheStores.LIST_PAGE), "not paged: " + p));
    }
  }
}

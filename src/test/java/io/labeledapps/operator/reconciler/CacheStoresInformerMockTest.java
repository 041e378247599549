package io.labeledapps.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.TestSets;
import io.labeledapps.operator.testkit.Await;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * What fabric8's informer hands the event handlers (JOSDK's event sources) over the pod and
 * Endpoints stores of {@link CacheStores}: the slim objects, not the objects as the server sent
 * them. The adds of the first list are the cached objects, handed out once the list is complete
 * (the stores say they hold the full state); a watched change carries the received object, slimmed
 * in place. At a restart at 10,000 pods, whole pods waiting in the handlers' queue took the RSS
 * near the container's limit.
 */
@EnableKubernetesMockClient(crud = true)
class CacheStoresInformerMockTest {
  private static final String NS = "slim";
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  static KubernetesClient client;

  @Test
  void thePodHandlersGetSlimPodsFromTheFirstListAndFromWatchedChanges() throws Exception {
    LabeledAppSet set = TestSets.web("web", 5);
    for (int slot = 0; slot < 5; slot++) {
      Pod pod = TestPods.ready(set, slot);
      pod.getMetadata().setNamespace(NS);
      pod.getMetadata().setResourceVersion(null);
      assertFalse(pod.getSpec().getContainers().isEmpty());
      client.pods().inNamespace(NS).resource(pod).create();
    }
    handedOut(
        client.pods(),
        CacheStores.slimPods(Set.of(NS)),
        5,
        "web-0",
        pod -> pod.getSpec().getContainers() == null && pod.getSpec().getVolumes() == null);
  }

  @Test
  void theEndpointsHandlersGetSlimEndpointsFromTheFirstListAndFromWatchedChanges()
      throws Exception {
    for (int i = 0; i < 3; i++) {
      client
          .endpoints()
          .inNamespace(NS)
          .resource(
              new EndpointsBuilder()
                  .withNewMetadata()
                  .withName("svc-" + i)
                  .endMetadata()
                  .withSubsets(
                      new EndpointSubsetBuilder()
                          .withAddresses(new EndpointAddressBuilder().withIp("10.0.0." + i).build())
                          .withNotReadyAddresses(
                              new EndpointAddressBuilder().withIp("10.0.1." + i).build())
                          .withPorts(new EndpointPortBuilder().withPort(8080).build())
                          .build())
                  .build())
          .create();
    }
    handedOut(
        client.endpoints(),
        CacheStores.slimEndpoints(Set.of(NS)),
        3,
        "svc-0",
        e ->
            e.getSubsets().get(0).getNotReadyAddresses() == null
                && e.getSubsets().get(0).getPorts() == null);
  }

  /**
   * Starts an informer over {@code store} (listing 2 a page, as the operator's list by pages), on
   * the {@code count} objects in the namespace; checks what its handler gets for them and for a
   * change of {@code changed} with {@code slim}, and the first list's adds to be the cached
   * objects.
   */
  private static <R extends HasMetadata> void handedOut(
      MixedOperation<R, ?, ? extends Resource<R>> objects,
      ItemStore<R> store,
      int count,
      String changed,
      Predicate<R> slim)
      throws Exception {
    assertTrue(store.isFullState(), "the store says it does not hold the full state");
    List<R> added = new CopyOnWriteArrayList<>();
    List<R> updated = new CopyOnWriteArrayList<>();
    SharedIndexInformer<R> informer = objects.inNamespace(NS).withLimit(2L).runnableInformer(0);
    informer.itemStore(store);
    informer.addEventHandler(
        new ResourceEventHandler<R>() {
          @Override
          public void onAdd(R object) {
            added.add(object);
          }

          @Override
          public void onUpdate(R before, R after) {
            updated.add(after);
          }

          @Override
          public void onDelete(R object, boolean unknownFinalState) {
            // not asked about
          }
        });
    try {
      informer.start().toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      Await.until("the first list's adds", TIMEOUT, () -> added.size() == count, added::toString);
      for (R object : added) {
        assertTrue(slim.test(object), "a whole object handed out: " + object);
        assertEquals(
            informer.getStore().getByKey(Cache.metaNamespaceKeyFunc(object)),
            object,
            "not what the cache holds");
      }
      objects
          .inNamespace(NS)
          .withName(changed)
          .edit(
              o -> {
                o.getMetadata().setLabels(Map.of("changed", "yes"));
                return o;
              });
      Await.until("the change", TIMEOUT, () -> !updated.isEmpty());
      R after = updated.get(0);
      assertEquals("yes", after.getMetadata().getLabels().get("changed"));
      assertTrue(slim.test(after), "a whole object handed out: " + after);
      assertNull(after.getMetadata().getManagedFields());
    } finally {
      informer.stop();
    }
  }
}

package io.labeledapps.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CacheStoresTest {

  private static Pod pod(String ns, String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .addToLabels("app", "web")
        .withResourceVersion("7")
        .withManagedFields(
            new ManagedFieldsEntryBuilder().withManager("kubelet").withOperation("Update").build())
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("web")
        .withImage("nginx:1.27")
        .endContainer()
        .endSpec()
        .build();
  }

  @Test
  void oneInformerKeepsEverythingButManagedFields() {
    for (Set<String> namespaces : Set.of(Set.of(Constants.WATCH_ALL_NAMESPACES), Set.of("apps"))) {
      ItemStore<Pod> store = CacheStores.withoutManagedFields(namespaces);
      assertNotNull(store, namespaces.toString());
      Pod pod = pod("apps", "web-0");
      store.put(store.getKey(pod), pod);

      Pod cached = store.get(store.getKey(pod("apps", "web-0")));
      assertNull(cached.getMetadata().getManagedFields());
      assertEquals("web", cached.getMetadata().getLabels().get("app"));
      assertEquals("7", cached.getMetadata().getResourceVersion());
      assertEquals("nginx:1.27", cached.getSpec().getContainers().get(0).getImage());
      assertEquals(1, store.size());
    }
  }

  /**
   * One store shared by JOSDK's per-namespace informers would lose objects on a relist: not used
   * then.
   */
  @Test
  void severalNamespacesKeepJosdksOwnStores() {
    assertNull(CacheStores.withoutManagedFields(Set.of("apps", "web")));
  }
}

package io.labeledapps.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.Set;

/**
 * What the informer caches keep of each object. The operator never reads
 * {@code metadata.managedFields}, and they are the largest part of a cached pod (a tree of field
 * names per writer: the operator's create, the kubelet's status updates): without them the caches
 * of a thousand pods take about a quarter less heap. Writes are unaffected: pods are created from
 * desired state, status is patched, and a Service update without managedFields leaves the server's
 * as they are.
 */
public final class CacheStores {
  private CacheStores() {}

  /**
   * A store that drops managedFields, for an informer over {@code namespaces}; null (JOSDK's default
   * store) when that is several namespaces: JOSDK then runs one informer per namespace and gives them
   * all the same store, so a relist of one namespace would remove the objects of the others.
   */
  public static <R extends HasMetadata> ItemStore<R> withoutManagedFields(Set<String> namespaces) {
    if (namespaces.size() != 1) {
      return null;
    }
    return new TransformingItemStore<>(CacheStores::pruned);
  }

  static <R extends HasMetadata> R pruned(R object) {
    if (object.getMetadata() != null) {
      object.getMetadata().setManagedFields(null);
    }
    return object;
  }
}

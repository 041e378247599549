package io.labeledapps.operator.e2e;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.labeledapps.operator.api.LabeledAppSet;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Changes made the way kubectl edit and every well-behaved client make them: read, change, write
 * with the resourceVersion read, and on 409 Conflict read again and redo the change. The operator
 * writes the status of a set at any time, so a write with an old resourceVersion is expected to
 * conflict now and then; a test that writes once and gives up fails at random.
 */
final class Edits {
  private static final Duration GIVE_UP = Duration.ofSeconds(60);

  private Edits() {}

  static LabeledAppSet set(KubernetesClient client, String ns, String name, Consumer<LabeledAppSet> change) {
    return object(client, LabeledAppSet.class, ns, name, change);
  }

  static <T extends HasMetadata> T object(KubernetesClient client, Class<T> type, String ns, String name,
      Consumer<T> change) {
    long deadline = System.nanoTime() + GIVE_UP.toNanos();
    while (true) {
      T current = client.resources(type).inNamespace(ns).withName(name).get();
      if (current == null) {
        throw new IllegalStateException(type.getSimpleName() + " " + ns + "/" + name + " does not exist");
      }
      change.accept(current);
      try {
        return client.resource(current).update();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }
}

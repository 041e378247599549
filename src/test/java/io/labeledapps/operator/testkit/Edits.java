package io.labeledapps.operator.testkit;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.labeledapps.operator.api.LabeledAppSet;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Changes made the way kubectl edit and every well-behaved client make them: read, change, write
 * with the resourceVersion read, and on 409 Conflict read again and redo the change. The operator
 * writes the status of a set at any time, so a write with an old resourceVersion is expected to
 * conflict now and then; a test that writes once and gives up fails at random. Used by the
 * end-to-end and the mock-server tests alike.
 */
public final class Edits {
  private static final Duration GIVE_UP = Duration.ofSeconds(60);

  private Edits() {}

  public static LabeledAppSet set(
      KubernetesClient client, String ns, String name, Consumer<LabeledAppSet> change) {
    return object(client, LabeledAppSet.class, ns, name, change);
  }

  public static <T extends HasMetadata> T object(
      KubernetesClient client, Class<T> type, String ns, String name, Consumer<T> change) {
    long deadline = System.nanoTime() + GIVE_UP.toNanos();
    while (true) {
      T current = client.resources(type).inNamespace(ns).withName(name).get();
      if (current == null) {
        throw new IllegalStateException(
            type.getSimpleName() + " " + ns + "/" + name + " does not exist");
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

  /**
   * As {@link #object}, for an object read without its Java type (e.g. one the operator cannot
   * read).
   */
  public static GenericKubernetesResource generic(
      KubernetesClient client,
      ResourceDefinitionContext type,
      String ns,
      String name,
      Consumer<GenericKubernetesResource> change) {
    long deadline = System.nanoTime() + GIVE_UP.toNanos();
    while (true) {
      GenericKubernetesResource current =
          client.genericKubernetesResources(type).inNamespace(ns).withName(name).get();
      if (current == null) {
        throw new IllegalStateException(type.getKind() + " " + ns + "/" + name + " does not exist");
      }
      change.accept(current);
      try {
        return client.genericKubernetesResources(type).inNamespace(ns).resource(current).update();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }
}

package io.labeledapps.operator.testkit;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/** Namespaces as the tests make and change them. */
public final class Namespaces {
  /** The label that opts a namespace in to the namespace conventions the operator enforces. */
  public static final Map<String, String> OPTED_IN = Map.of("labeledapps.io/enabled", "true");

  private Namespaces() {}

  /** Creates namespace {@code name} with {@code labels}. */
  public static void create(KubernetesClient client, String name, Map<String, String> labels) {
    Namespace namespace = new Namespace();
    namespace.setMetadata(new ObjectMetaBuilder().withName(name).withLabels(labels).build());
    client.resource(namespace).create();
  }

  /** Sets label {@code key} of namespace {@code name} to {@code value} (a patch: no conflict). */
  public static void label(KubernetesClient client, String name, String key, String value) {
    client
        .namespaces()
        .withName(name)
        .edit(
            n -> {
              n.getMetadata().getLabels().put(key, value);
              return n;
            });
  }
}

package io.labeledapps.operator.testkit;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A namespace the operator serves under its default configuration: labeled {@code
 * labeledapps.io/enabled=true}, what the default namespace selector asks for.
 */
public final class EnabledNamespace {
  private EnabledNamespace() {}

  /** Namespace {@code name}, enabled. */
  public static Namespace named(String name) {
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("labeledapps.io/enabled", "true")
        .endMetadata()
        .build();
  }

  /**
   * Creates namespace {@code name}, enabled, or updates it so (a mock server shared by the tests of
   * a class keeps it from one test to the next).
   */
  public static void apply(KubernetesClient client, String name) {
    client.namespaces().resource(named(name)).createOr(r -> r.update());
  }
}

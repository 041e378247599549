package io.labeledapps.operator.e2e;

import io.labeledapps.operator.crd.CrdInstaller;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.labeledapps.operator.LabeledAppSetOperator;
import io.labeledapps.operator.config.OperatorConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * What most end-to-end tests start from: a client of the cluster in KUBECONFIG, the CRD from crds/
 * installed, a fresh namespace opted in to the namespace conventions, and the operator running
 * in-process, watching only that namespace. Closing stops the operator and deletes the namespace.
 */
final class E2eOperator implements AutoCloseable {
  final KubernetesClient client;
  final String ns;
  LabeledAppSetOperator operator;

  private E2eOperator(KubernetesClient client, String ns) {
    this.client = client;
    this.ns = ns;
  }

  /** A namespace named {@code nsPrefix-<random>} and the operator watching it. */
  static E2eOperator start(String nsPrefix) throws IOException {
    KubernetesClient client = LabeledAppSetOperator.newClient();
    CrdInstaller.install(client, Path.of("crds"));
    E2eOperator e2e = new E2eOperator(client, nsPrefix + "-" + UUID.randomUUID().toString().substring(0, 8));
    // the namespace convention the operator enforces by default (see ConventionsConfig)
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(e2e.ns)
        .addToLabels("labeledapps.io/enabled", "true").endMetadata().build()).create();
    OperatorConfig config = new OperatorConfig();
    config.watchNamespaces = List.of(e2e.ns);
    config.metricsPort = -1;
    e2e.operator = LabeledAppSetOperator.start(config, client);
    return e2e;
  }

  @Override
  public void close() {
    if (operator != null) {
      operator.close();
    }
    client.namespaces().withName(ns).delete();
    client.close();
  }
}

package io.labeledapps.operator.e2e;

import io.labeledapps.operator.LabeledAppSetOperator;
import io.labeledapps.operator.config.OperatorConfig;
import io.labeledapps.operator.crd.CrdInstaller;
import io.labeledapps.operator.testkit.Await;
import io.labeledapps.operator.testkit.Namespaces;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What most end-to-end tests start from: a client of the cluster in KUBECONFIG, the CRD from crds/
 * installed, a fresh namespace opted in to the namespace conventions, and the operator running
 * in-process, watching only that namespace. Closing stops the operator and deletes the namespace.
 *
 * <p>A test class registers one for all its tests; the client and the namespace name exist from the
 * start, the operator from before the first test:
 *
 * <pre>{@code
 * @RegisterExtension static final E2eOperator e2e = E2eOperator.perClass("las-status");
 * static final KubernetesClient client = e2e.client;
 * static final String ns = e2e.ns;
 * }</pre>
 */
final class E2eOperator extends Sets implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  /**
   * null: no operator in this JVM (the test runs its own, e.g. as {@link
   * io.labeledapps.operator.testkit.OperatorProcess}).
   */
  private final Consumer<OperatorConfig> configure;

  LabeledAppSetOperator operator;

  private E2eOperator(String nsPrefix, Consumer<OperatorConfig> configure) {
    super(
        LabeledAppSetOperator.newClient(),
        nsPrefix + "-" + UUID.randomUUID().toString().substring(0, 8));
    this.configure = configure;
  }

  /** For {@code @RegisterExtension}: the CRD and the namespace, but no operator in this JVM. */
  static E2eOperator namespaceOnly(String nsPrefix) {
    return new E2eOperator(nsPrefix, null);
  }

  /**
   * For {@code @RegisterExtension}: started before the class's first test, closed after its last.
   */
  static E2eOperator perClass(String nsPrefix) {
    return new E2eOperator(nsPrefix, config -> {});
  }

  /**
   * As {@link #perClass(String)}, with the operator's configuration changed by {@code configure}
   * first.
   */
  static E2eOperator perClass(String nsPrefix, Consumer<OperatorConfig> configure) {
    return new E2eOperator(nsPrefix, configure);
  }

  /** A namespace named {@code nsPrefix-<random>} and the operator watching it, started now. */
  static E2eOperator start(String nsPrefix) throws IOException {
    E2eOperator e2e = new E2eOperator(nsPrefix, config -> {});
    e2e.start();
    return e2e;
  }

  private void start() throws IOException {
    CrdInstaller.install(client, Path.of("crds"));
    // the namespace convention the operator enforces by default (see ConventionsConfig)
    Namespaces.create(client, ns, Namespaces.OPTED_IN);
    // pods are refused until the controller manager has created the namespace's default
    // ServiceAccount
    Await.until(
        "ServiceAccount default in " + ns,
        Duration.ofSeconds(60),
        () -> client.serviceAccounts().inNamespace(ns).withName("default").get() != null);
    if (configure == null) {
      return;
    }
    OperatorConfig config = new OperatorConfig();
    config.watchNamespaces = List.of(ns);
    config.metricsPort = -1;
    configure.accept(config);
    operator = LabeledAppSetOperator.start(config, client);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
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

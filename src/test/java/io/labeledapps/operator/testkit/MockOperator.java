package io.labeledapps.operator.testkit;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.labeledapps.operator.LabeledAppSetOperator;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.config.OperatorConfig;
import java.io.IOException;

/**
 * The real Operator, started as production starts it, against fabric8's mock API server (CRUD
 * mode), for the {@code *MockTest} classes. The mock has no garbage collection and no kubelet:
 * {@link #stopAndClean} deletes what a test left, {@code MockKubelet} plays the kubelet.
 */
public final class MockOperator {
  private MockOperator() {}

  /**
   * The operator with the production configuration (conventions included) and no HTTP endpoints.
   */
  public static LabeledAppSetOperator start(KubernetesClient client) throws IOException {
    return start(client, new OperatorConfig());
  }

  /** The operator with {@code config}, its HTTP endpoints turned off. */
  public static LabeledAppSetOperator start(KubernetesClient client, OperatorConfig config)
      throws IOException {
    config.metricsPort = 0;
    return LabeledAppSetOperator.start(config, client);
  }

  /**
   * Stops {@code operator}, then deletes every set, pod, Service and ResourceQuota in every
   * namespace.
   */
  public static void stopAndClean(LabeledAppSetOperator operator, KubernetesClient client) {
    if (operator != null) {
      operator.close();
    }
    client.resources(LabeledAppSet.class).inAnyNamespace().delete();
    client.pods().inAnyNamespace().delete();
    client.services().inAnyNamespace().delete();
    client.resourceQuotas().inAnyNamespace().delete();
  }
}

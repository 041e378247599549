package io.labeledapps.operator;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** The kubelet's part, which fabric8's mock server does not play, for the mock-server tests. */
public final class MockKubelet {
  private MockKubelet() {}

  /**
   * Every pod of {@code ns} that is not Running yet is bound to node-1, scheduled, Running and
   * Ready.
   */
  public static void runPods(KubernetesClient client, String ns) {
    for (Pod pod : client.pods().inNamespace(ns).list().getItems()) {
      if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())) {
        run(client, pod);
      }
    }
  }

  /** {@code pod} bound to node-1, scheduled, Running and Ready. */
  public static void run(KubernetesClient client, Pod pod) {
    client
        .pods()
        .inNamespace(pod.getMetadata().getNamespace())
        .resource(running(pod, true))
        .update();
  }

  /**
   * A copy of {@code pod} as the kubelet reports it: bound to node-1, scheduled, Running, and Ready
   * or not as {@code ready} says.
   */
  public static Pod running(Pod pod, boolean ready) {
    return new PodBuilder(pod)
        .editOrNewSpec()
        .withNodeName("node-1")
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .addNewCondition()
        .withType("PodScheduled")
        .withStatus("True")
        .endCondition()
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .endStatus()
        .build();
  }
}

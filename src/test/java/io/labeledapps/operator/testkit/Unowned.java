package io.labeledapps.operator.testkit;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.Map;

/**
 * Objects no set owns (no ownerReference), for tests that check the operator neither adopts,
 * counts, changes nor deletes what is not its own.
 */
public final class Unowned {
  private Unowned() {}

  /** A one-container busybox pod {@code ns/name} with {@code labels}. */
  public static Pod pod(String ns, String name, Map<String, String> labels) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage("busybox")
        .endContainer()
        .endSpec()
        .build();
  }

  /**
   * A Service {@code name} with {@code labels} (null: none) selecting {@code app=<app>}, port
   * 80/TCP.
   */
  public static Service service(String name, Map<String, String> labels, String app) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .addToSelector("app", app)
        .addNewPort()
        .withPort(80)
        .withProtocol("TCP")
        .endPort()
        .endSpec()
        .build();
  }
}

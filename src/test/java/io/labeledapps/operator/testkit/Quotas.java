package io.labeledapps.operator.testkit;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** ResourceQuotas as the tests write them. */
public final class Quotas {
  private Quotas() {}

  /**
   * ResourceQuota {@code ns/name} with the hard limits {@code hard} (a resource name such as {@code
   * requests.cpu} to a quantity such as {@code 500m}).
   */
  public static ResourceQuota of(String ns, String name, Map<String, String> hard) {
    Map<String, Quantity> limits = new LinkedHashMap<>();
    hard.forEach((resource, quantity) -> limits.put(resource, new Quantity(quantity)));
    return new ResourceQuotaBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .endMetadata()
        .withNewSpec()
        .withHard(limits)
        .endSpec()
        .build();
  }
}

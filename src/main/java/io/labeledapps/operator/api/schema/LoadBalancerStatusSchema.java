package io.labeledapps.operator.api.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Schema of a Service's status.loadBalancer as the set shows it: the addresses, nothing newer. */
public class LoadBalancerStatusSchema {
  @JsonPropertyDescription(
      "The load balancer's addresses, as the Service's status.loadBalancer.ingress has them.")
  public List<Ingress> ingress;

  /** Schema of one load balancer address. */
  public static class Ingress {
    @JsonPropertyDescription(
        "IP address of the load balancer (most cloud providers, MetalLB, minikube tunnel).")
    public String ip;

    @JsonPropertyDescription("DNS name of the load balancer (e.g. AWS).")
    public String hostname;
  }
}

package io.labeledapps.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import lombok.EqualsAndHashCode;
import lombok.Getter;
import lombok.Setter;

/** The observed state of the set's Service. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
@EqualsAndHashCode
public class ServiceStatus {

  @JsonPropertyDescription("Service name (spec.service.name, by default the set's name).")
  private String name;

  @JsonPropertyDescription("ClusterIP, NodePort or LoadBalancer.")
  private String type;

  @JsonPropertyDescription("The cluster IP Kubernetes allocated.")
  private String clusterIP;

  @JsonPropertyDescription(
      "Node ports, in the order of spec.service.ports (NodePort and LoadBalancer).")
  private List<Integer> nodePorts;

  @JsonPropertyDescription(
      "LoadBalancer only: the load balancer's IPs or host names, comma-separated, or"
          + " <pending> until it has one (as kubectl get service shows it).")
  private String externalIP;

  @JsonPropertyDescription(
      "The other sets sharing the Service (they name it in spec.service.name), by name; absent when none.")
  private List<String> sharedWith;
}

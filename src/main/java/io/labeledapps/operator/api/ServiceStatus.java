package io.labeledapps.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The observed state of the set's Service. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceStatus {

  @JsonPropertyDescription("Service name (the set's name).")
  private String name;

  @JsonPropertyDescription("ClusterIP or NodePort.")
  private String type;

  @JsonPropertyDescription("The cluster IP Kubernetes allocated.")
  private String clusterIP;

  @JsonPropertyDescription("Node ports, in the order of spec.service.ports (NodePort only).")
  private List<Integer> nodePorts;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public String getClusterIP() {
    return clusterIP;
  }

  public void setClusterIP(String clusterIP) {
    this.clusterIP = clusterIP;
  }

  public List<Integer> getNodePorts() {
    return nodePorts;
  }

  public void setNodePorts(List<Integer> nodePorts) {
    this.nodePorts = nodePorts;
  }
}

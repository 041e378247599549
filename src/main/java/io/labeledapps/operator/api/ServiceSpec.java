package io.labeledapps.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** The Service that selects the set's pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServiceSpec {

  /** The Service types a set may request. */
  public enum Type {
    ClusterIP,
    NodePort
  }

  /** How a NodePort Service routes external traffic. */
  public enum ExternalTrafficPolicy {
    Cluster,
    Local
  }

  @JsonPropertyDescription("ClusterIP (default) or NodePort.")
  @Default("ClusterIP")
  private Type type = Type.ClusterIP;

  @JsonPropertyDescription("The Service's ports; at least one.")
  @Required
  @Size(min = 1)
  private List<ServicePortSpec> ports = new ArrayList<>();

  @JsonPropertyDescription("Cluster (default) or Local; only with type NodePort.")
  private ExternalTrafficPolicy externalTrafficPolicy;

  public Type getType() {
    return type;
  }

  public void setType(Type type) {
    this.type = type;
  }

  public List<ServicePortSpec> getPorts() {
    return ports;
  }

  public void setPorts(List<ServicePortSpec> ports) {
    this.ports = ports;
  }

  public ExternalTrafficPolicy getExternalTrafficPolicy() {
    return externalTrafficPolicy;
  }

  public void setExternalTrafficPolicy(ExternalTrafficPolicy externalTrafficPolicy) {
    this.externalTrafficPolicy = externalTrafficPolicy;
  }
}

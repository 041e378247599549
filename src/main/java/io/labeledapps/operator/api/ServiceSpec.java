package io.labeledapps.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** The Service that selects the set's pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.type == 'NodePort' || self.ports.all(p, !has(p.nodePort))",
    message = "nodePort is only allowed with type NodePort")
@ValidationRule(value = "self.type == 'NodePort' || !has(self.externalTrafficPolicy)",
    message = "externalTrafficPolicy is only allowed with type NodePort")
@ValidationRule(value = "self.ports.size() <= 1 || self.ports.all(p, has(p.name))",
    message = "every port needs a name when the Service has more than one")
@ValidationRule(value = "self.ports.all(p, !has(p.name) || self.ports.exists_one(q, has(q.name) && q.name == p.name))",
    message = "Service port names must be unique")
@ValidationRule(value = "self.ports.all(p, self.ports.exists_one(q, q.port == p.port && q.protocol == p.protocol))",
    message = "Service ports must differ in port or protocol")
@ValidationRule(value = "self.ports.all(p, !has(p.nodePort)"
    + " || self.ports.exists_one(q, has(q.nodePort) && q.nodePort == p.nodePort))",
    message = "Service nodePorts must be unique")
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
  @Size(max = 9)
  private Type type = Type.ClusterIP;

  @JsonPropertyDescription("The Service's ports; at least one.")
  @Required
  @Size(min = 1, max = Syntax.MAX_SERVICE_PORTS)
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

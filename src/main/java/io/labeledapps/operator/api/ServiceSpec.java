package io.labeledapps.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lombok.Getter;
import lombok.Setter;

/** The Service that selects the set's pods. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.type != 'ClusterIP' || self.ports.all(p, !has(p.nodePort))",
    message = "nodePort is only allowed with type NodePort or LoadBalancer")
@ValidationRule(
    value = "self.type != 'ClusterIP' || !has(self.externalTrafficPolicy)",
    message = "externalTrafficPolicy is only allowed with type NodePort or LoadBalancer")
@ValidationRule(
    value =
        "self.type == 'LoadBalancer' || (!has(self.loadBalancerSourceRanges) && !has(self.loadBalancerClass))",
    message =
        "loadBalancerSourceRanges and loadBalancerClass are only allowed with type LoadBalancer")
@ValidationRule(
    value = "self.ports.size() <= 1 || self.ports.all(p, has(p.name))",
    message = "every port needs a name when the Service has more than one")
@ValidationRule(
    value =
        "self.ports.all(p, !has(p.name) || self.ports.exists_one(q, has(q.name) && q.name == p.name))",
    message = "Service port names must be unique")
@ValidationRule(
    value =
        "self.ports.all(p, self.ports.exists_one(q, q.port == p.port && q.protocol == p.protocol))",
    message = "Service ports must differ in port or protocol")
@ValidationRule(
    value =
        "self.ports.all(p, !has(p.nodePort)"
            + " || self.ports.exists_one(q, has(q.nodePort) && q.nodePort == p.nodePort))",
    message = "Service nodePorts must be unique")
@Getter
@Setter
public class ServiceSpec {

  /** The Service types a set may request. */
  public enum Type {
    ClusterIP,
    NodePort,
    LoadBalancer
  }

  /** How a NodePort or LoadBalancer Service routes external traffic. */
  public enum ExternalTrafficPolicy {
    Cluster,
    Local
  }

  @JsonPropertyDescription(
      "Name of the Service; default: the set's name. Sets of one namespace naming the same"
          + " Service share it: it selects the pods of all of them (e.g. a stable and a canary set).")
  @Size(max = 63)
  @Pattern(Syntax.DNS_1035_LABEL)
  private String name;

  @JsonPropertyDescription(
      "ClusterIP (default), NodePort or LoadBalancer (only where the namespace allows it).")
  @Default("ClusterIP")
  @Size(max = 12)
  private Type type = Type.ClusterIP;

  @JsonPropertyDescription("The Service's ports; at least one.")
  @Required
  @Size(min = 1, max = Syntax.MAX_SERVICE_PORTS)
  private List<ServicePortSpec> ports = new ArrayList<>();

  @JsonPropertyDescription("Cluster (default) or Local; only with type NodePort or LoadBalancer.")
  @Size(max = 7)
  private ExternalTrafficPolicy externalTrafficPolicy;

  @JsonPropertyDescription(
      "CIDRs allowed to reach the load balancer (e.g. 203.0.113.0/24); only with type"
          + " LoadBalancer. Default: everyone.")
  @Size(max = Syntax.MAX_SOURCE_RANGES)
  private List<@Size(max = 43) @Pattern(Syntax.CIDR) String> loadBalancerSourceRanges;

  @JsonPropertyDescription(
      "The load balancer implementation to use; only with type LoadBalancer. Set on"
          + " creation only. Kubernetes 1.22 and later know the field; older API servers drop it.")
  @Size(max = 253)
  @Pattern(Syntax.QUALIFIED_NAME)
  private String loadBalancerClass;

  @JsonPropertyDescription(
      "Annotations put on the Service (cloud load balancers are configured by annotations).")
  @Size(max = Syntax.MAX_SERVICE_ANNOTATIONS)
  private Map<String, @Size(max = 4096) String> annotations;
}

package io.labeledapps.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import lombok.Getter;
import lombok.Setter;

/**
 * A port of the set's Service. The generator puts no bounds on an int-or-string, so a rule checks a
 * numeric targetPort; a named one must name a container port (a rule on the spec).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.targetPort) || type(self.targetPort) != int"
            + " || (self.targetPort >= 1 && self.targetPort <= 65535)",
    message = "targetPort must be 1-65535")
@Getter
@Setter
public class ServicePortSpec {

  @JsonPropertyDescription("Port name; required when the Service has more than one port.")
  @Size(max = 63)
  @Pattern(Syntax.DNS_LABEL)
  private String name;

  @JsonPropertyDescription("Port the Service listens on, 1-65535.")
  @Required
  @Min(1)
  @Max(65535)
  private Integer port;

  @JsonPropertyDescription(
      "Container port the traffic goes to: a number (1-65535), or the name of a container port. Defaults to port.")
  @Min(1)
  @Max(65535)
  @Size(max = 15)
  @Pattern(Syntax.PORT_NAME)
  private IntOrString targetPort;

  @JsonPropertyDescription(
      "Node port, 30000-32767, only with type NodePort or LoadBalancer; allocated by Kubernetes when omitted.")
  @Min(30000)
  @Max(32767)
  private Integer nodePort;

  @JsonPropertyDescription("TCP (default), UDP or SCTP.")
  @Default("TCP")
  @Size(max = 4)
  private Protocol protocol;

  public ServicePortSpec() {}

  public ServicePortSpec(String name, Integer port, IntOrString targetPort) {
    this.name = name;
    this.port = port;
    this.targetPort = targetPort;
  }
}

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
import lombok.Getter;
import lombok.Setter;

/** A port a container listens on. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
public class ContainerPortSpec {

  @JsonPropertyDescription(
      "Port name (at most 15 lowercase letters, digits and '-'), for Service targetPorts and probes.")
  @Size(max = 15)
  @Pattern(Syntax.PORT_NAME)
  @ValidationRule(
      value = "self.matches('[a-z]') && !self.contains('--')",
      message = "a port name needs at least one letter and no '--'")
  private String name;

  @JsonPropertyDescription("Port number, 1-65535.")
  @Required
  @Min(1)
  @Max(65535)
  private Integer containerPort;

  @JsonPropertyDescription("TCP (default), UDP or SCTP.")
  @Default("TCP")
  @Size(max = 4)
  private Protocol protocol;

  public ContainerPortSpec() {}

  public ContainerPortSpec(String name, Integer containerPort) {
    this.name = name;
    this.containerPort = containerPort;
  }
}

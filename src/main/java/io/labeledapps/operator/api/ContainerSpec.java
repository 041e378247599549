package io.labeledapps.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.labeledapps.operator.api.schema.EnvVarSchema;
import io.labeledapps.operator.api.schema.ProbeSchema;
import io.labeledapps.operator.api.schema.ResourcesSchema;
import java.util.ArrayList;
import java.util.List;

/** A container (or init container) of the pods, with Kubernetes' own field names. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ContainerSpec {

  @JsonPropertyDescription("Container name, a DNS label unique within the pod.")
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  private String name;

  @JsonPropertyDescription("Container image, e.g. nginx:1.27.")
  @Required
  private String image;

  @JsonPropertyDescription("When to pull the image: Always, IfNotPresent or Never.")
  private PullPolicy imagePullPolicy;

  @JsonPropertyDescription("Entrypoint; replaces the image's ENTRYPOINT.")
  private List<String> command;

  @JsonPropertyDescription("Arguments to the entrypoint; replace the image's CMD.")
  private List<String> args;

  @JsonPropertyDescription("Environment variables.")
  @SchemaFrom(type = EnvVarSchema[].class)
  private List<EnvVar> env;

  @JsonPropertyDescription("Ports the container listens on. Two containers of one pod may not declare the same port.")
  private List<ContainerPortSpec> ports = new ArrayList<>();

  @JsonPropertyDescription("Compute resource requests and limits.")
  @SchemaFrom(type = ResourcesSchema.class)
  private ResourceRequirements resources;

  @JsonPropertyDescription("Restarts the container when it fails.")
  @SchemaFrom(type = ProbeSchema.class)
  private Probe livenessProbe;

  @JsonPropertyDescription("Takes the pod out of its Service while it fails.")
  @SchemaFrom(type = ProbeSchema.class)
  private Probe readinessProbe;

  @JsonPropertyDescription("Holds the other probes back until it succeeds once.")
  @SchemaFrom(type = ProbeSchema.class)
  private Probe startupProbe;

  /** Kubernetes' image pull policies. */
  public enum PullPolicy {
    Always,
    IfNotPresent,
    Never
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public PullPolicy getImagePullPolicy() {
    return imagePullPolicy;
  }

  public void setImagePullPolicy(PullPolicy imagePullPolicy) {
    this.imagePullPolicy = imagePullPolicy;
  }

  public List<String> getCommand() {
    return command;
  }

  public void setCommand(List<String> command) {
    this.command = command;
  }

  public List<String> getArgs() {
    return args;
  }

  public void setArgs(List<String> args) {
    this.args = args;
  }

  public List<EnvVar> getEnv() {
    return env;
  }

  public void setEnv(List<EnvVar> env) {
    this.env = env;
  }

  public List<ContainerPortSpec> getPorts() {
    return ports;
  }

  public void setPorts(List<ContainerPortSpec> ports) {
    this.ports = ports;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public Probe getLivenessProbe() {
    return livenessProbe;
  }

  public void setLivenessProbe(Probe livenessProbe) {
    this.livenessProbe = livenessProbe;
  }

  public Probe getReadinessProbe() {
    return readinessProbe;
  }

  public void setReadinessProbe(Probe readinessProbe) {
    this.readinessProbe = readinessProbe;
  }

  public Probe getStartupProbe() {
    return startupProbe;
  }

  public void setStartupProbe(Probe startupProbe) {
    this.startupProbe = startupProbe;
  }
}

package io.labeledapps.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.labeledapps.operator.api.schema.EnvFromSchema;
import io.labeledapps.operator.api.schema.EnvVarSchema;
import io.labeledapps.operator.api.schema.LifecycleSchema;
import io.labeledapps.operator.api.schema.ProbeSchema;
import io.labeledapps.operator.api.schema.ResourcesSchema;
import io.labeledapps.operator.api.schema.SecuritySchema;
import io.labeledapps.operator.api.schema.VolumeMountSchema;
import java.util.ArrayList;
import java.util.List;
import lombok.Getter;
import lombok.Setter;

/**
 * A container (or init container) of the pods, with Kubernetes' own field names. A probe's port is
 * a number or the name of one of this container's ports (the kubelet looks names up there).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.ports) || self.ports.all(p, self.ports.exists_one(q, " + Syntax.SAME_PORT + "))",
    message = "a container declares the same port and protocol twice")
@ValidationRule(
    value =
        "!has(self.ports) || self.ports.all(p, !has(p.name)"
            + " || self.ports.exists_one(q, has(q.name) && q.name == p.name))",
    message = "port names must be unique within a container")
@ValidationRule(
    value =
        "!has(self.volumeMounts) || self.volumeMounts.all(m,"
            + " self.volumeMounts.exists_one(n, n.mountPath == m.mountPath))",
    message = "mount paths must be unique within a container")
@ValidationRule(
    value =
        "!has(self.livenessProbe) || [has(self.livenessProbe.exec), has(self.livenessProbe.httpGet), has(self.livenessProbe.tcpSocket)]"
            + ".exists_one(h, h)",
    message = "livenessProbe needs exactly one handler: exec, httpGet or tcpSocket")
@ValidationRule(
    value =
        "!has(self.livenessProbe)"
            + " || ((!has(self.livenessProbe.httpGet) || (has(self.livenessProbe.httpGet.port) && (type(self.livenessProbe.httpGet.port) == int"
            + " ? self.livenessProbe.httpGet.port >= 1 && self.livenessProbe.httpGet.port <= 65535 : (has(self.ports) && self.ports.exists(p, has(p.name) && p.name == self.livenessProbe.httpGet.port)))))"
            + " && (!has(self.livenessProbe.tcpSocket) || (has(self.livenessProbe.tcpSocket.port) && (type(self.livenessProbe.tcpSocket.port) == int"
            + " ? self.livenessProbe.tcpSocket.port >= 1 && self.livenessProbe.tcpSocket.port <= 65535 : (has(self.ports) && self.ports.exists(p, has(p.name) && p.name == self.livenessProbe.tcpSocket.port))))))",
    message = "livenessProbe port must be 1-65535 or the name of a port this container declares")
@ValidationRule(
    value =
        "!has(self.readinessProbe) || [has(self.readinessProbe.exec), has(self.readinessProbe.httpGet), has(self.readinessProbe.tcpSocket)]"
            + ".exists_one(h, h)",
    message = "readinessProbe needs exactly one handler: exec, httpGet or tcpSocket")
@ValidationRule(
    value =
        "!has(self.readinessProbe)"
            + " || ((!has(self.readinessProbe.httpGet) || (has(self.readinessProbe.httpGet.port) && (type(self.readinessProbe.httpGet.port) == int"
            + " ? self.readinessProbe.httpGet.port >= 1 && self.readinessProbe.httpGet.port <= 65535 : (has(self.ports) && self.ports.exists(p, has(p.name) && p.name == self.readinessProbe.httpGet.port)))))"
            + " && (!has(self.readinessProbe.tcpSocket) || (has(self.readinessProbe.tcpSocket.port) && (type(self.readinessProbe.tcpSocket.port) == int"
            + " ? self.readinessProbe.tcpSocket.port >= 1 && self.readinessProbe.tcpSocket.port <= 65535 : (has(self.ports) && self.ports.exists(p, has(p.name) && p.name == self.readinessProbe.tcpSocket.port))))))",
    message = "readinessProbe port must be 1-65535 or the name of a port this container declares")
@ValidationRule(
    value =
        "(!has(self.livenessProbe) || !has(self.livenessProbe.successThreshold) || self.livenessProbe.successThreshold == 1)"
            + " && (!has(self.startupProbe) || !has(self.startupProbe.successThreshold) || self.startupProbe.successThreshold == 1)",
    message = "livenessProbe and startupProbe need successThreshold 1")
@ValidationRule(
    value =
        "!has(self.startupProbe) || [has(self.startupProbe.exec), has(self.startupProbe.httpGet), has(self.startupProbe.tcpSocket)]"
            + ".exists_one(h, h)",
    message = "startupProbe needs exactly one handler: exec, httpGet or tcpSocket")
@ValidationRule(
    value =
        "!has(self.startupProbe)"
            + " || ((!has(self.startupProbe.httpGet) || (has(self.startupProbe.httpGet.port) && (type(self.startupProbe.httpGet.port) == int"
            + " ? self.startupProbe.httpGet.port >= 1 && self.startupProbe.httpGet.port <= 65535 : (has(self.ports) && self.ports.exists(p, has(p.name) && p.name == self.startupProbe.httpGet.port)))))"
            + " && (!has(self.startupProbe.tcpSocket) || (has(self.startupProbe.tcpSocket.port) && (type(self.startupProbe.tcpSocket.port) == int"
            + " ? self.startupProbe.tcpSocket.port >= 1 && self.startupProbe.tcpSocket.port <= 65535 : (has(self.ports) && self.ports.exists(p, has(p.name) && p.name == self.startupProbe.tcpSocket.port))))))",
    message = "startupProbe port must be 1-65535 or the name of a port this container declares")
@Getter
@Setter
public class ContainerSpec {

  @JsonPropertyDescription("Container name, a DNS label unique within the pod.")
  @Required
  @Size(max = 63)
  @Pattern(Syntax.DNS_LABEL)
  private String name;

  @JsonPropertyDescription("Container image, e.g. nginx:1.27.")
  @Required
  @Pattern(Syntax.IMAGE)
  private String image;

  @JsonPropertyDescription("When to pull the image: Always, IfNotPresent or Never.")
  private PullPolicy imagePullPolicy;

  @JsonPropertyDescription("Entrypoint; replaces the image's ENTRYPOINT.")
  @Size(max = Syntax.MAX_ARGS)
  private List<@Size(max = Syntax.MAX_TEXT) String> command;

  @JsonPropertyDescription("Arguments to the entrypoint; replace the image's CMD.")
  @Size(max = Syntax.MAX_ARGS)
  private List<@Size(max = Syntax.MAX_TEXT) String> args;

  @JsonPropertyDescription(
      "Environment variables: a literal value, or valueFrom a ConfigMap key, a Secret key,"
          + " a pod field or a resource.")
  @SchemaFrom(type = EnvVarSchema[].class)
  @Size(max = Syntax.MAX_ENV)
  private List<EnvVar> env;

  @JsonPropertyDescription("Every key of a ConfigMap or Secret as an environment variable.")
  @SchemaFrom(type = EnvFromSchema[].class)
  @Size(max = Syntax.MAX_ENV_FROM)
  private List<EnvFromSource> envFrom;

  @JsonPropertyDescription("Volumes of spec.volumes mounted into this container.")
  @SchemaFrom(type = VolumeMountSchema[].class)
  @Size(max = Syntax.MAX_VOLUME_MOUNTS)
  private List<VolumeMount> volumeMounts;

  @JsonPropertyDescription(
      "The container's security settings; in namespaces enforcing Pod Security"
          + " 'restricted', unset fields get compliant defaults and explicit violations are refused.")
  @SchemaFrom(type = SecuritySchema.Container.class)
  private SecurityContext securityContext;

  @JsonPropertyDescription(
      "Hooks run after the container starts (postStart) and before it stops (preStop).")
  @SchemaFrom(type = LifecycleSchema.class)
  private Lifecycle lifecycle;

  @JsonPropertyDescription(
      "Ports the container listens on. Two containers of one pod may not declare the same port.")
  @Size(max = Syntax.MAX_PORTS)
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
}

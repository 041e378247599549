package io.labeledapps.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import io.labeledapps.operator.api.schema.SchedulingSchema;
import io.labeledapps.operator.api.schema.SecuritySchema;
import io.labeledapps.operator.api.schema.VolumeSchema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lombok.Getter;
import lombok.Setter;

/**
 * What the user asks for: the pods' template, how many of them, and their Service. The rules on
 * this class relate fields the schema sees one at a time. A pod's containers, init containers
 * included, share one network namespace: no two of them may declare the same port (one container
 * repeating a port is a rule of {@link ContainerSpec}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.containers.all(c, self.containers.exists_one(d, d.name == c.name))",
    message = "container names must be unique")
@ValidationRule(
    value =
        "!has(self.initContainers) || self.initContainers.all(i,"
            + " self.initContainers.exists_one(d, d.name == i.name) && !self.containers.exists(c, c.name == i.name))",
    message = "init container names must be unique and differ from the container names")
@ValidationRule(
    value =
        "self.containers.all(c, !has(c.ports) || c.ports.all(p,"
            + " self.containers.exists_one(d, has(d.ports) && d.ports.exists(q, "
            + Syntax.SAME_PORT
            + "))))",
    message = "two containers of the pod declare the same port and protocol")
@ValidationRule(
    value =
        "!has(self.initContainers) || self.initContainers.all(c, !has(c.ports) || c.ports.all(p,"
            + " self.initContainers.exists_one(d, has(d.ports) && d.ports.exists(q, "
            + Syntax.SAME_PORT
            + "))"
            + " && !self.containers.exists(d, has(d.ports) && d.ports.exists(q, "
            + Syntax.SAME_PORT
            + "))))",
    message =
        "an init container declares a port and protocol that another container of the pod declares")
@ValidationRule(
    value =
        "!has(self.initContainers) || self.initContainers.all(c,"
            + " !has(c.livenessProbe) && !has(c.readinessProbe) && !has(c.startupProbe))",
    message = "init containers cannot have probes")
@ValidationRule(
    value =
        "!has(self.service) || self.service.ports.all(s, !has(s.targetPort) || type(s.targetPort) == int"
            + " || self.containers.exists(c, has(c.ports) && c.ports.exists(p, has(p.name) && p.name == s.targetPort)))",
    message = "a Service targetPort names a port that no container declares")
@ValidationRule(
    value =
        "!has(self.volumes) || self.volumes.all(v, self.volumes.exists_one(w, w.name == v.name))",
    message = "volume names must be unique")
@ValidationRule(
    value =
        "self.containers.all(c, !has(c.volumeMounts) || c.volumeMounts.all(m,"
            + " has(self.volumes) && self.volumes.exists(v, v.name == m.name)))"
            + " && (!has(self.initContainers) || self.initContainers.all(c, !has(c.volumeMounts) || c.volumeMounts.all(m,"
            + " has(self.volumes) && self.volumes.exists(v, v.name == m.name))))",
    message = "a volumeMount names a volume that spec.volumes does not declare")
@Getter
@Setter
public class LabeledAppSetSpec {
  private static final String LABEL_KEY_MESSAGE =
      "label keys must be an optional lowercase DNS prefix and '/',"
          + " then a name of at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric";

  @JsonPropertyDescription("Number of pods. Defaults to 1; 0 keeps the Service but no pods.")
  @Default("1")
  @Min(0)
  @Max(Syntax.MAX_REPLICAS)
  @SpecReplicas
  private Integer replicas = 1;

  @JsonPropertyDescription(
      "Labels put on every pod, in addition to the standard app.kubernetes.io labels.")
  @Size(max = Syntax.MAX_MAP_ENTRIES)
  @ValidationRule(value = Syntax.LABEL_KEYS_RULE, message = LABEL_KEY_MESSAGE)
  private Map<String, @Size(max = 63) @Pattern(Syntax.LABEL_VALUE) String> labels =
      new LinkedHashMap<>();

  @JsonPropertyDescription("Annotations put on every pod.")
  @Size(max = Syntax.MAX_MAP_ENTRIES)
  @ValidationRule(
      value = Syntax.ANNOTATION_KEYS_RULE,
      message =
          "annotation keys must be an optional DNS prefix and '/',"
              + " then a name of at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric")
  private Map<String, @Size(max = Syntax.MAX_ANNOTATION_VALUE) String> annotations =
      new LinkedHashMap<>();

  @JsonPropertyDescription("Node labels a node must carry for the pods to be scheduled on it.")
  @Size(max = Syntax.MAX_MAP_ENTRIES)
  @ValidationRule(value = Syntax.LABEL_KEYS_RULE, message = LABEL_KEY_MESSAGE)
  private Map<String, @Size(max = 63) @Pattern(Syntax.LABEL_VALUE) String> nodeSelector =
      new LinkedHashMap<>();

  @JsonPropertyDescription("The pods' containers; at least one.")
  @Required
  @Size(min = 1, max = Syntax.MAX_CONTAINERS)
  private List<ContainerSpec> containers = new ArrayList<>();

  @JsonPropertyDescription("Containers run to completion, in order, before the containers start.")
  @Size(max = Syntax.MAX_CONTAINERS)
  private List<ContainerSpec> initContainers = new ArrayList<>();

  @JsonPropertyDescription("The Service selecting exactly this set's pods; omit it for no Service.")
  private ServiceSpec service;

  @JsonPropertyDescription("How pods with an old template are replaced when the template changes.")
  private UpdateStrategy updateStrategy;

  @JsonPropertyDescription(
      "Seconds a template rollout may go without progress before Progressing turns False"
          + " with reason ProgressDeadlineExceeded and the rollout stops. Default 600.")
  @Min(1)
  private Integer progressDeadlineSeconds;

  @JsonPropertyDescription(
      "Seconds a new pod must be ready, without any of its containers crashing, to count"
          + " as available (status.availableReplicas, the Ready condition, rollouts). Default 0. Changing it replaces no pod.")
  @Min(0)
  private Integer minReadySeconds;

  @JsonPropertyDescription(
      "A PodDisruptionBudget, named after the set, for exactly its pods: how many a node"
          + " drain may take down at once. Omit it for none. Changing it replaces no pod.")
  private DisruptionBudget disruptionBudget;

  @JsonPropertyDescription(
      "The pod's security settings (user, group, fsGroup, seccomp). In namespaces"
          + " enforcing Pod Security 'restricted', unset fields get compliant defaults.")
  @SchemaFrom(type = SecuritySchema.Pod.class)
  private PodSecurityContext securityContext;

  @JsonPropertyDescription(
      "Volumes the containers can mount: configMap, secret, emptyDir,"
          + " persistentVolumeClaim, projected or downwardAPI (no hostPath).")
  @SchemaFrom(type = VolumeSchema[].class)
  @Size(max = Syntax.MAX_VOLUMES)
  private List<Volume> volumes;

  @JsonPropertyDescription(
      "The ServiceAccount the pods run as; default: the namespace's 'default'.")
  @Size(max = 253)
  @Pattern(Syntax.DNS_SUBDOMAIN)
  private String serviceAccountName;

  @JsonPropertyDescription(
      "Whether the ServiceAccount's API token is mounted into the pods; default: as the"
          + " ServiceAccount says (usually true).")
  private Boolean automountServiceAccountToken;

  @JsonPropertyDescription(
      "Secrets (type kubernetes.io/dockerconfigjson) holding credentials for private registries.")
  @SchemaFrom(type = SchedulingSchema.LocalReference[].class)
  @Size(max = Syntax.MAX_SCHEDULING_ITEMS)
  private List<LocalObjectReference> imagePullSecrets;

  @JsonPropertyDescription("Taints of nodes the pods tolerate, e.g. a dedicated node pool.")
  @SchemaFrom(type = SchedulingSchema.Toleration[].class)
  @Size(max = Syntax.MAX_SCHEDULING_ITEMS)
  private List<Toleration> tolerations;

  @JsonPropertyDescription(
      "Node affinity, pod affinity and anti-affinity, as in a Deployment's pod template.")
  @SchemaFrom(type = SchedulingSchema.Affinity.class)
  private Affinity affinity;

  @JsonPropertyDescription("How the pods spread over zones or nodes.")
  @SchemaFrom(type = SchedulingSchema.TopologySpread[].class)
  @Size(max = Syntax.MAX_SCHEDULING_ITEMS)
  private List<TopologySpreadConstraint> topologySpreadConstraints;

  @JsonPropertyDescription("Name of a PriorityClass: the pods' scheduling priority and preemption.")
  @Size(max = 253)
  @Pattern(Syntax.DNS_SUBDOMAIN)
  private String priorityClassName;

  @JsonPropertyDescription(
      "Seconds a pod gets to stop (preStop hooks, SIGTERM) before it is killed. Default 30.")
  @Min(0)
  private Long terminationGracePeriodSeconds;
}

package io.labeledapps.operator.api.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/**
 * Schemas of where pods may and should run: tolerations, affinity, topology spread. Fields newer
 * than Kubernetes 1.20 (namespaceSelector, minDomains, matchLabelKeys...) are left out.
 */
public final class SchedulingSchema {
  private SchedulingSchema() {}

  /** Schema of a toleration. */
  public static class Toleration {
    @JsonPropertyDescription(
        "Taint key to tolerate; empty with operator Exists tolerates every taint.")
    public String key;

    @JsonPropertyDescription("Equal (default: the taint's value must be value) or Exists.")
    public String operator;

    @JsonPropertyDescription("Taint value to match with operator Equal.")
    public String value;

    @JsonPropertyDescription(
        "NoSchedule, PreferNoSchedule or NoExecute; empty matches every effect.")
    public String effect;

    @JsonPropertyDescription(
        "With NoExecute: seconds the pod stays bound after the taint appears; default forever.")
    public Long tolerationSeconds;
  }

  /** Schema of affinity. */
  public static class Affinity {
    @JsonPropertyDescription("Which nodes the pods may or should run on, by node labels.")
    public NodeAffinity nodeAffinity;

    @JsonPropertyDescription("Pods to run near (same topology domain), by their labels.")
    public PodAffinity podAffinity;

    @JsonPropertyDescription(
        "Pods to run away from, e.g. this set's own pods to spread them over nodes.")
    public PodAffinity podAntiAffinity;
  }

  /** Schema of node affinity. */
  public static class NodeAffinity {
    @JsonPropertyDescription("Nodes must match one of these terms.")
    public NodeSelector requiredDuringSchedulingIgnoredDuringExecution;

    @JsonPropertyDescription("Nodes matching these terms are preferred, by weight.")
    @Size(max = 32)
    public List<PreferredNodeTerm> preferredDuringSchedulingIgnoredDuringExecution;
  }

  /** Schema of a node selector. */
  public static class NodeSelector {
    @JsonPropertyDescription("Terms, ORed.")
    @Required
    @Size(max = 32)
    public List<NodeSelectorTerm> nodeSelectorTerms;
  }

  /** Schema of a node selector term. */
  public static class NodeSelectorTerm {
    @JsonPropertyDescription("Requirements on node labels, ANDed.")
    @Size(max = 32)
    public List<Requirement> matchExpressions;

    @JsonPropertyDescription("Requirements on node fields (metadata.name), ANDed.")
    @Size(max = 32)
    public List<Requirement> matchFields;
  }

  /** Schema of a weighted node selector term. */
  public static class PreferredNodeTerm {
    @JsonPropertyDescription("Weight 1-100.")
    @Required
    public Integer weight;

    @JsonPropertyDescription("The term.")
    @Required
    public NodeSelectorTerm preference;
  }

  /** Schema of a label requirement. */
  public static class Requirement {
    @JsonPropertyDescription("Label key (or field name).")
    @Required
    public String key;

    @JsonPropertyDescription("In, NotIn, Exists, DoesNotExist (node affinity also Gt, Lt).")
    @Required
    public String operator;

    @JsonPropertyDescription("Values for In and NotIn (one number for Gt and Lt).")
    @Size(max = 64)
    public List<String> values;
  }

  /** Schema of pod affinity or anti-affinity. */
  public static class PodAffinity {
    @JsonPropertyDescription("Terms every pod must satisfy to be scheduled.")
    @Size(max = 32)
    public List<PodAffinityTerm> requiredDuringSchedulingIgnoredDuringExecution;

    @JsonPropertyDescription("Terms the scheduler tries to satisfy, by weight.")
    @Size(max = 32)
    public List<WeightedPodAffinityTerm> preferredDuringSchedulingIgnoredDuringExecution;
  }

  /** Schema of a pod affinity term. */
  public static class PodAffinityTerm {
    @JsonPropertyDescription("The pods this term is about.")
    public LabelSelector labelSelector;

    @JsonPropertyDescription("Namespaces of those pods; default: the set's namespace.")
    @Size(max = 32)
    public List<String> namespaces;

    @JsonPropertyDescription(
        "Node label defining the domain, e.g. kubernetes.io/hostname or topology.kubernetes.io/zone.")
    @Required
    public String topologyKey;
  }

  /** Schema of a weighted pod affinity term. */
  public static class WeightedPodAffinityTerm {
    @JsonPropertyDescription("Weight 1-100.")
    @Required
    public Integer weight;

    @JsonPropertyDescription("The term.")
    @Required
    public PodAffinityTerm podAffinityTerm;
  }

  /** Schema of a label selector. */
  public static class LabelSelector {
    @JsonPropertyDescription("Labels the pods must carry, e.g. app: web.")
    public Map<String, String> matchLabels;

    @JsonPropertyDescription("Requirements on the pods' labels, ANDed.")
    @Size(max = 32)
    public List<Requirement> matchExpressions;
  }

  /** Schema of a topology spread constraint. */
  public static class TopologySpread {
    @JsonPropertyDescription(
        "Most the number of matching pods may differ between two domains; at least 1.")
    @Required
    public Integer maxSkew;

    @JsonPropertyDescription("Node label defining the domains, e.g. topology.kubernetes.io/zone.")
    @Required
    public String topologyKey;

    @JsonPropertyDescription("DoNotSchedule (a hard rule) or ScheduleAnyway (a preference).")
    @Required
    public String whenUnsatisfiable;

    @JsonPropertyDescription("The pods counted, usually this set's own.")
    public LabelSelector labelSelector;
  }

  /** Schema of a reference by name to an object in the set's namespace. */
  public static class LocalReference {
    @JsonPropertyDescription("Name of the object, e.g. of a kubernetes.io/dockerconfigjson Secret.")
    @Required
    public String name;
  }
}

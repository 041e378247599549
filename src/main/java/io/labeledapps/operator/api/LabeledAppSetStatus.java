package io.labeledapps.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import io.labeledapps.operator.api.schema.ConditionSchema;
import io.labeledapps.operator.api.schema.LoadBalancerStatusSchema;
import java.util.List;
import java.util.Map;
import lombok.EqualsAndHashCode;
import lombok.Getter;
import lombok.Setter;

/** What the operator observed; computed in one place ({@code reconciler.StatusCalculator}). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Getter
@Setter
@EqualsAndHashCode
public class LabeledAppSetStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Pods owned by the set that exist and are not terminating.")
  @StatusReplicas
  private Integer replicas;

  @JsonPropertyDescription("Owned pods whose Ready condition is True.")
  private Integer readyReplicas;

  @JsonPropertyDescription("Owned pods ready for at least spec.minReadySeconds.")
  private Integer availableReplicas;

  @JsonPropertyDescription("Owned pods that carry the current template hash.")
  private Integer updatedReplicas;

  @JsonPropertyDescription(
      "When a template rollout last made progress (a new pod became ready); the"
          + " progress deadline counts from here.")
  private String lastProgressTime;

  @JsonPropertyDescription(
      "The pods' label selector in string form (used by the scale subresource).")
  @LabelSelector
  private String selector;

  @JsonPropertyDescription("Owned pods per phase: Pending, Running, Succeeded, Failed, Unknown.")
  private Map<String, Integer> podPhases;

  @JsonPropertyDescription(
      "Pods per phase in one line, e.g. 'Running:3 Pending:1' (a printer column).")
  private String phaseSummary;

  @JsonPropertyDescription("The Service the set manages, when it has one.")
  private ServiceStatus service;

  @JsonPropertyDescription(
      "With a LoadBalancer Service: its external addresses once the load balancer has"
          + " them (absent while they are pending).")
  @SchemaFrom(type = LoadBalancerStatusSchema.class)
  private LoadBalancerStatus loadBalancer;

  @JsonPropertyDescription(
      "Ready, Progressing, Degraded, ConventionsMet and (with a Service) ServiceRouted, following Kubernetes condition conventions.")
  @SchemaFrom(type = ConditionSchema[].class)
  private List<Condition> conditions;
}

package io.labeledapps.operator.api.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Schema of a status condition, after Kubernetes' conventions. */
public class ConditionSchema {
  @JsonPropertyDescription("Ready, Progressing, Degraded, ConventionsMet, ServiceRouted or Paused.")
  public String type;

  @JsonPropertyDescription("True, False or Unknown.")
  public String status;

  @JsonPropertyDescription(
      "Why, in one CamelCase word, e.g. AllPodsReady, InvalidSpec, CrashLoopBackOff.")
  public String reason;

  @JsonPropertyDescription("Why, in words a person can act on.")
  public String message;

  @JsonPropertyDescription("When status last changed.")
  public String lastTransitionTime;

  @JsonPropertyDescription("The metadata.generation this condition was computed for.")
  public Long observedGeneration;
}

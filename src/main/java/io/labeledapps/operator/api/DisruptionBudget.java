package io.labeledapps.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import lombok.Getter;
import lombok.Setter;

/** The PodDisruptionBudget the operator keeps for the set's pods: exactly one of the two limits. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.maxUnavailable) != has(self.minAvailable)",
    message = "disruptionBudget needs exactly one of maxUnavailable and minAvailable")
@ValidationRule(
    value =
        "!has(self.maxUnavailable) || (type(self.maxUnavailable) == int ? self.maxUnavailable >= 0"
            + " : self.maxUnavailable.matches('^[0-9]+%$'))",
    message = "disruptionBudget.maxUnavailable must be a number or a percentage like '25%'")
@ValidationRule(
    value =
        "!has(self.minAvailable) || (type(self.minAvailable) == int ? self.minAvailable >= 0"
            + " : self.minAvailable.matches('^[0-9]+%$'))",
    message = "disruptionBudget.minAvailable must be a number or a percentage like '25%'")
@Getter
@Setter
public class DisruptionBudget {

  @JsonPropertyDescription(
      "Most pods of the set a voluntary disruption (a node drain, an eviction) may take"
          + " down at once: a number or a percentage of spec.replicas.")
  private IntOrString maxUnavailable;

  @JsonPropertyDescription(
      "Fewest pods of the set that must stay available during a voluntary disruption:"
          + " a number or a percentage of spec.replicas.")
  private IntOrString minAvailable;
}

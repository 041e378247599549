package io.labeledapps.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import lombok.Getter;
import lombok.Setter;

/** How pods with an old template are replaced. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value =
        "!has(self.maxSurge) || (type(self.maxSurge) == int ? self.maxSurge >= 0"
            + " : self.maxSurge.matches('^[0-9]+%?$'))",
    message = "maxSurge must be a number or a percentage like '25%'")
@ValidationRule(
    value =
        "!has(self.maxUnavailable) || (type(self.maxUnavailable) == int ? self.maxUnavailable >= 0"
            + " : self.maxUnavailable.matches('^[0-9]+%?$'))",
    message = "maxUnavailable must be a number or a percentage like '25%'")
@ValidationRule(
    value =
        "self.type == 'Recreate' || !has(self.maxSurge) || !((type(self.maxSurge) == int ? self.maxSurge == 0 : self.maxSurge.matches('^0+%?$'))"
            + " && (!has(self.maxUnavailable) || (type(self.maxUnavailable) == int ? self.maxUnavailable == 0 : self.maxUnavailable.matches('^0+%?$'))))",
    message = "maxSurge and maxUnavailable cannot both be 0: the rollout could never progress")
@Getter
@Setter
public class UpdateStrategy {

  /** The replacement strategies. */
  public enum Type {
    RollingUpdate,
    Recreate
  }

  @JsonPropertyDescription(
      "RollingUpdate (default): replace pods a few at a time within maxSurge and maxUnavailable."
          + " Recreate: delete every old pod, then create the new ones.")
  @Default("RollingUpdate")
  private Type type = Type.RollingUpdate;

  @JsonPropertyDescription(
      "Pods above spec.replicas a rolling update may create, a number or a percentage"
          + " of spec.replicas (rounded up). Default 1.")
  @Size(max = 11)
  private IntOrString maxSurge;

  @JsonPropertyDescription(
      "Pods of spec.replicas that may be unavailable during a rolling update, a number or"
          + " a percentage (rounded down). Default 0. maxSurge and maxUnavailable may not both be 0.")
  @Size(max = 11)
  private IntOrString maxUnavailable;
}

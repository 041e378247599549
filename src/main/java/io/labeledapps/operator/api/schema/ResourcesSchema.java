package io.labeledapps.operator.api.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import io.labeledapps.operator.api.Syntax;
import java.util.Map;

/**
 * Schema of a container's compute resources. Values are non-negative Kubernetes quantities; the
 * resource names (map keys) are beyond a schema keyword: a CEL rule checks them.
 */
public class ResourcesSchema {
  private static final String MESSAGE =
      "resource names are cpu, memory, ephemeral-storage, hugepages-<size>"
          + " or a domain-prefixed extended resource such as example.com/gpu";

  @JsonPropertyDescription(
      "What the scheduler reserves, e.g. cpu: 100m, memory: 128Mi. Namespace conventions may add defaults.")
  @Size(max = Syntax.MAX_RESOURCES)
  @ValidationRule(value = Syntax.RESOURCE_NAMES_RULE, message = MESSAGE)
  public Map<
          String,
          @Min(0) @Size(max = Syntax.MAX_QUANTITY_LENGTH) @Pattern(Syntax.NONNEGATIVE_QUANTITY)
          Quantity>
      requests;

  @JsonPropertyDescription(
      "The most the container may use, e.g. memory: 256Mi. Namespace conventions may add defaults and ceilings.")
  @Size(max = Syntax.MAX_RESOURCES)
  @ValidationRule(value = Syntax.RESOURCE_NAMES_RULE, message = MESSAGE)
  public Map<
          String,
          @Min(0) @Size(max = Syntax.MAX_QUANTITY_LENGTH) @Pattern(Syntax.NONNEGATIVE_QUANTITY)
          Quantity>
      limits;
}

package io.labeledapps.operator.api.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/** Schema of a container's compute resources. */
public class ResourcesSchema {
  @JsonPropertyDescription("What the scheduler reserves, e.g. cpu: 100m, memory: 128Mi. Namespace conventions may add defaults.")
  public Map<String, Quantity> requests;
  @JsonPropertyDescription("The most the container may use, e.g. memory: 256Mi. Namespace conventions may add defaults and ceilings.")
  public Map<String, Quantity> limits;
}

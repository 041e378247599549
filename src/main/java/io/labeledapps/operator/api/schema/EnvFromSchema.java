package io.labeledapps.operator.api.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Schema of a container's envFrom entry: every key of one ConfigMap or Secret as a variable. */
@ValidationRule(
    value = "has(self.configMapRef) != has(self.secretRef)",
    message = "an envFrom entry names exactly one source: configMapRef or secretRef")
public class EnvFromSchema {
  @JsonPropertyDescription("Prepended to every variable name, e.g. APP_.")
  public String prefix;

  @JsonPropertyDescription("A ConfigMap in the set's namespace whose keys become variables.")
  public Ref configMapRef;

  @JsonPropertyDescription("A Secret in the set's namespace whose keys become variables.")
  public Ref secretRef;

  /** Schema of a reference to a whole ConfigMap or Secret. */
  public static class Ref {
    @JsonPropertyDescription("Name of the ConfigMap or Secret.")
    @Required
    public String name;

    @JsonPropertyDescription("When true, the container starts even if it is missing.")
    public Boolean optional;
  }
}

package io.labeledapps.operator.api.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;

/** Schema of a container environment variable. */
@ValidationRule(value = "!has(self.valueFrom) || (!has(self.value) && [has(self.valueFrom.configMapKeyRef),"
    + " has(self.valueFrom.secretKeyRef), has(self.valueFrom.fieldRef), has(self.valueFrom.resourceFieldRef)]"
    + ".exists_one(s, s))",
    message = "valueFrom names exactly one source (configMapKeyRef, secretKeyRef, fieldRef or resourceFieldRef)"
        + " and excludes value")
public class EnvVarSchema {
  @JsonPropertyDescription("Variable name.")
  public String name;
  @JsonPropertyDescription("Literal value; $(VAR) references to earlier variables are expanded.")
  public String value;
  @JsonPropertyDescription("Takes the value from a ConfigMap, a Secret, a pod field or a resource; instead of value.")
  public Source valueFrom;

  /** Schema of an environment variable's source. */
  public static class Source {
    @JsonPropertyDescription("A key of a ConfigMap in the set's namespace.")
    public KeyRef configMapKeyRef;
    @JsonPropertyDescription("A key of a Secret in the set's namespace.")
    public KeyRef secretKeyRef;
    @JsonPropertyDescription("A field of the pod, e.g. metadata.name, metadata.namespace, status.podIP.")
    public FieldRef fieldRef;
    @JsonPropertyDescription("A resource request or limit of a container, e.g. limits.memory.")
    public ResourceFieldRef resourceFieldRef;
  }

  /** Schema of a ConfigMap or Secret key reference. */
  public static class KeyRef {
    @JsonPropertyDescription("Name of the ConfigMap or Secret.")
    @Required
    public String name;
    @JsonPropertyDescription("The key whose value to use.")
    @Required
    public String key;
    @JsonPropertyDescription("When true, a missing object or key leaves the variable unset instead of failing the pod.")
    public Boolean optional;
  }

  /** Schema of a pod field reference. */
  public static class FieldRef {
    @JsonPropertyDescription("Path of the field, e.g. metadata.namespace.")
    @Required
    public String fieldPath;
    @JsonPropertyDescription("API version the path is in. Default v1.")
    public String apiVersion;
  }

  /** Schema of a container resource reference. */
  public static class ResourceFieldRef {
    @JsonPropertyDescription("Resource: requests.cpu, requests.memory, limits.cpu or limits.memory.")
    @Required
    public String resource;
    @JsonPropertyDescription("Container whose resource to read; required for init containers' values.")
    public String containerName;
    @JsonPropertyDescription("Unit to express the value in, e.g. 1Mi. Default 1.")
    public Quantity divisor;
  }
}

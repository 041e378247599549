package io.labeledapps.operator.api.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import io.labeledapps.operator.api.Syntax;

/**
 * Schema of a container environment variable, with the syntax Kubernetes' pod validation requires.
 */
@ValidationRule(
    value = "!has(self.valueFrom) || !has(self.value) || self.value == ''",
    message = "an environment variable takes value or valueFrom, not both")
public class EnvVarSchema {
  @JsonPropertyDescription(
      "Variable name: letters, digits, '_', '-' and '.', not starting with a digit.")
  @Required
  @Size(min = 1, max = Syntax.MAX_NAME)
  @Pattern(Syntax.ENV_VAR_NAME)
  public String name;

  @JsonPropertyDescription("Literal value; $(VAR) references to earlier variables are expanded.")
  @Size(max = Syntax.MAX_TEXT)
  public String value;

  @JsonPropertyDescription(
      "Takes the value from a ConfigMap, a Secret, a pod field or a resource; instead of value.")
  public Source valueFrom;

  /** Schema of an environment variable's source: exactly one of its fields. */
  @ValidationRule(
      value =
          "[has(self.configMapKeyRef), has(self.secretKeyRef), has(self.fieldRef), has(self.resourceFieldRef)]"
              + ".exists_one(s, s)",
      message =
          "valueFrom needs exactly one of configMapKeyRef, secretKeyRef, fieldRef or resourceFieldRef")
  public static class Source {
    @JsonPropertyDescription("A key of a ConfigMap in the set's namespace.")
    public KeyRef configMapKeyRef;

    @JsonPropertyDescription("A key of a Secret in the set's namespace.")
    public KeyRef secretKeyRef;

    @JsonPropertyDescription(
        "A field of the pod, e.g. metadata.name, metadata.namespace, status.podIP.")
    public FieldRef fieldRef;

    @JsonPropertyDescription("A resource request or limit of a container, e.g. limits.memory.")
    public ResourceFieldRef resourceFieldRef;
  }

  /** Schema of a ConfigMap or Secret key reference. */
  public static class KeyRef {
    @JsonPropertyDescription("Name of the ConfigMap or Secret (a DNS subdomain).")
    @Required
    @Size(min = 1, max = 253)
    @Pattern(Syntax.DNS_SUBDOMAIN)
    public String name;

    @JsonPropertyDescription("The key whose value to use: letters, digits, '-', '_' and '.'.")
    @Required
    @Size(min = 1, max = 253)
    @Pattern(Syntax.CONFIG_MAP_KEY)
    public String key;

    @JsonPropertyDescription(
        "When true, a missing object or key leaves the variable unset instead of failing the pod.")
    public Boolean optional;
  }

  /** Schema of a pod field reference. */
  public static class FieldRef {
    @JsonPropertyDescription(
        "Path of the field: metadata.name, metadata.namespace, metadata.uid,"
            + " metadata.labels['<key>'], metadata.annotations['<key>'], spec.nodeName, spec.serviceAccountName,"
            + " status.hostIP, status.podIP or status.podIPs.")
    @Required
    @Size(max = 400)
    @Pattern(Syntax.ENV_FIELD_PATH)
    public String fieldPath;

    @JsonPropertyDescription("API version the path is in: v1 (the default).")
    @Size(max = 2)
    @Pattern("^v1$")
    public String apiVersion;
  }

  /** Schema of a container resource reference. */
  public static class ResourceFieldRef {
    @JsonPropertyDescription(
        "Resource: limits.cpu, limits.memory, limits.ephemeral-storage, requests.cpu,"
            + " requests.memory, requests.ephemeral-storage or limits/requests.hugepages-<size>.")
    @Required
    @Size(max = 64)
    @Pattern(Syntax.ENV_RESOURCE)
    public String resource;

    @JsonPropertyDescription(
        "Container whose resource to read; required for init containers' values.")
    @Size(max = 63)
    @Pattern(Syntax.DNS_LABEL)
    public String containerName;

    @JsonPropertyDescription("Unit to express the value in, a quantity such as 1Mi. Default 1.")
    @Size(max = Syntax.MAX_QUANTITY_LENGTH)
    @Pattern(Syntax.QUANTITY)
    public Quantity divisor;
  }
}

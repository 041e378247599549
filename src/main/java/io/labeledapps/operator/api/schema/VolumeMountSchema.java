package io.labeledapps.operator.api.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Schema of a container's volume mount. */
public class VolumeMountSchema {
  @JsonPropertyDescription("Name of a volume declared in spec.volumes.")
  @Required
  @Size(max = 63)
  public String name;

  @JsonPropertyDescription(
      "Where the volume appears in the container, e.g. /etc/app; unique within the container.")
  @Required
  @Size(min = 1, max = 1024)
  public String mountPath;

  @JsonPropertyDescription("A path inside the volume to mount instead of its root.")
  public String subPath;

  @JsonPropertyDescription(
      "Like subPath, with $(VAR) references to the container's environment expanded.")
  public String subPathExpr;

  @JsonPropertyDescription("Mounts the volume read-only.")
  public Boolean readOnly;
}

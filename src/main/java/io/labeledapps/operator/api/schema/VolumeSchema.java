package io.labeledapps.operator.api.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Quantity;
import io.labeledapps.operator.api.Syntax;
import java.util.List;

/**
 * Schema of a pod volume: only the sources every Pod Security level allows (no hostPath). A source
 * the schema does not know is pruned by the API server, which leaves a volume without a source.
 */
@ValidationRule(
    value =
        "[has(self.configMap), has(self.secret), has(self.emptyDir), has(self.persistentVolumeClaim),"
            + " has(self.projected), has(self.downwardAPI)].exists_one(s, s)",
    message =
        "a volume needs exactly one source: configMap, secret, emptyDir, persistentVolumeClaim, projected"
            + " or downwardAPI")
public class VolumeSchema {
  @JsonPropertyDescription(
      "Volume name, a DNS label unique within the pod; volumeMounts refer to it.")
  @Required
  @Size(max = 63)
  public String name;

  @JsonPropertyDescription("The keys of a ConfigMap in the set's namespace, as files.")
  public ConfigMap configMap;

  @JsonPropertyDescription("The keys of a Secret in the set's namespace, as files.")
  public Secret secret;

  @JsonPropertyDescription("An empty directory that lives as long as the pod.")
  public EmptyDir emptyDir;

  @JsonPropertyDescription("A PersistentVolumeClaim in the set's namespace.")
  public Claim persistentVolumeClaim;

  @JsonPropertyDescription(
      "ConfigMaps, Secrets, pod fields and a service account token in one directory.")
  public Projected projected;

  @JsonPropertyDescription(
      "Pod fields (labels, annotations, name...) and container resources as files.")
  public DownwardApi downwardAPI;

  /** Schema of a ConfigMap volume. */
  public static class ConfigMap {
    @JsonPropertyDescription("Name of the ConfigMap.")
    @Required
    public String name;

    @JsonPropertyDescription(
        "Keys to project and their paths; default: every key, as a file named after it.")
    @Size(max = Syntax.MAX_VOLUME_ITEMS)
    public List<KeyToPath> items;

    @JsonPropertyDescription("Permission bits of the files, e.g. 0644 (420 in decimal).")
    public Integer defaultMode;

    @JsonPropertyDescription("When true, the pod starts even if the ConfigMap or a key is missing.")
    public Boolean optional;
  }

  /** Schema of a Secret volume. */
  public static class Secret {
    @JsonPropertyDescription("Name of the Secret.")
    @Required
    public String secretName;

    @JsonPropertyDescription(
        "Keys to project and their paths; default: every key, as a file named after it.")
    @Size(max = Syntax.MAX_VOLUME_ITEMS)
    public List<KeyToPath> items;

    @JsonPropertyDescription("Permission bits of the files, e.g. 0400 (256 in decimal).")
    public Integer defaultMode;

    @JsonPropertyDescription("When true, the pod starts even if the Secret or a key is missing.")
    public Boolean optional;
  }

  /** Schema of a key projected to a file. */
  public static class KeyToPath {
    @JsonPropertyDescription("The key.")
    @Required
    public String key;

    @JsonPropertyDescription("Relative path of the file, e.g. app.properties.")
    @Required
    public String path;

    @JsonPropertyDescription("Permission bits of this file; default: the volume's defaultMode.")
    public Integer mode;
  }

  /** Schema of an emptyDir volume. */
  public static class EmptyDir {
    @JsonPropertyDescription("Empty for the node's disk, Memory for a tmpfs.")
    public String medium;

    @JsonPropertyDescription("Most the directory may hold, e.g. 1Gi; more evicts the pod.")
    public Quantity sizeLimit;
  }

  /** Schema of a PersistentVolumeClaim volume. */
  public static class Claim {
    @JsonPropertyDescription("Name of the PersistentVolumeClaim.")
    @Required
    public String claimName;

    @JsonPropertyDescription("Mounts the volume read-only.")
    public Boolean readOnly;
  }

  /** Schema of a projected volume. */
  public static class Projected {
    @JsonPropertyDescription(
        "What to project, each a configMap, secret, downwardAPI or serviceAccountToken.")
    @Size(max = Syntax.MAX_VOLUME_ITEMS)
    public List<Projection> sources;

    @JsonPropertyDescription("Permission bits of the files, e.g. 0644 (420 in decimal).")
    public Integer defaultMode;
  }

  /** Schema of one projected source. */
  public static class Projection {
    @JsonPropertyDescription("Keys of a ConfigMap.")
    public ProjectedConfigMap configMap;

    @JsonPropertyDescription("Keys of a Secret.")
    public ProjectedConfigMap secret;

    @JsonPropertyDescription("Pod fields and container resources.")
    public DownwardApi downwardAPI;

    @JsonPropertyDescription("A token of the pod's service account for an audience.")
    public Token serviceAccountToken;
  }

  /** Schema of a ConfigMap or Secret in a projected volume. */
  public static class ProjectedConfigMap {
    @JsonPropertyDescription("Name of the ConfigMap or Secret.")
    @Required
    public String name;

    @JsonPropertyDescription("Keys to project and their paths; default: every key.")
    @Size(max = Syntax.MAX_VOLUME_ITEMS)
    public List<KeyToPath> items;

    @JsonPropertyDescription("When true, the pod starts even if it is missing.")
    public Boolean optional;
  }

  /** Schema of a service account token projection. */
  public static class Token {
    @JsonPropertyDescription("Who the token is for; default: the API server.")
    public String audience;

    @JsonPropertyDescription("Requested lifetime in seconds; at least 600. Default 3600.")
    public Long expirationSeconds;

    @JsonPropertyDescription("Relative path of the token file.")
    @Required
    public String path;
  }

  /** Schema of a downward API volume. */
  public static class DownwardApi {
    @JsonPropertyDescription("The files: each a pod field or a container resource.")
    @Size(max = Syntax.MAX_VOLUME_ITEMS)
    public List<DownwardFile> items;

    @JsonPropertyDescription("Permission bits of the files, e.g. 0644 (420 in decimal).")
    public Integer defaultMode;
  }

  /** Schema of a downward API file. */
  public static class DownwardFile {
    @JsonPropertyDescription("Relative path of the file.")
    @Required
    public String path;

    @JsonPropertyDescription(
        "A pod field: metadata.name, metadata.namespace, metadata.labels, metadata.annotations...")
    public EnvVarSchema.FieldRef fieldRef;

    @JsonPropertyDescription("A container's resource request or limit.")
    public EnvVarSchema.ResourceFieldRef resourceFieldRef;

    @JsonPropertyDescription("Permission bits of this file.")
    public Integer mode;
  }
}

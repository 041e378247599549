package io.labeledapps.operator.api.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * Schemas of the pod's and the containers' security contexts. Fields a Pod Security level forbids
 * in every case (host namespaces, procMount, sysctls, Windows options) are left out.
 */
public final class SecuritySchema {
  private SecuritySchema() {}

  /** Schema of the pod's security context. */
  public static class Pod {
    @JsonPropertyDescription(
        "User ID the containers run as, unless a container sets its own. 0 is root.")
    public Long runAsUser;

    @JsonPropertyDescription("Group ID the containers run as, unless a container sets its own.")
    public Long runAsGroup;

    @JsonPropertyDescription(
        "When true, the kubelet refuses to start a container whose user is root."
            + " Defaulted to true in namespaces enforcing Pod Security 'restricted'.")
    public Boolean runAsNonRoot;

    @JsonPropertyDescription(
        "Group that owns the pod's volumes and is added to every container's groups.")
    public Long fsGroup;

    @JsonPropertyDescription(
        "When the volumes' ownership is changed to fsGroup: OnRootMismatch or Always.")
    public String fsGroupChangePolicy;

    @JsonPropertyDescription("More groups for the first process of every container.")
    @Size(max = 32)
    public List<Long> supplementalGroups;

    @JsonPropertyDescription(
        "The seccomp profile of every container that sets none. Defaulted to RuntimeDefault"
            + " in namespaces enforcing Pod Security 'restricted'.")
    public Seccomp seccompProfile;

    @JsonPropertyDescription("SELinux context of every container that sets none.")
    public SELinux seLinuxOptions;
  }

  /** Schema of a container's security context. */
  public static class Container {
    @JsonPropertyDescription("User ID the container runs as; overrides the pod's. 0 is root.")
    public Long runAsUser;

    @JsonPropertyDescription("Group ID the container runs as; overrides the pod's.")
    public Long runAsGroup;

    @JsonPropertyDescription(
        "When true, the kubelet refuses to start the container if its user is root.")
    public Boolean runAsNonRoot;

    @JsonPropertyDescription(
        "Runs the container with all the host's privileges. Forbidden by Pod Security"
            + " 'baseline' and 'restricted'.")
    public Boolean privileged;

    @JsonPropertyDescription(
        "Whether a process may gain more privileges than its parent (setuid). Defaulted"
            + " to false in namespaces enforcing Pod Security 'restricted'.")
    public Boolean allowPrivilegeEscalation;

    @JsonPropertyDescription("Mounts the container's root filesystem read-only.")
    public Boolean readOnlyRootFilesystem;

    @JsonPropertyDescription("Linux capabilities to add to or drop from the runtime's default set.")
    public Capabilities capabilities;

    @JsonPropertyDescription("The container's seccomp profile; overrides the pod's.")
    public Seccomp seccompProfile;

    @JsonPropertyDescription("The container's SELinux context; overrides the pod's.")
    public SELinux seLinuxOptions;
  }

  /** Schema of a capability change. */
  public static class Capabilities {
    @JsonPropertyDescription("Capabilities to add, e.g. NET_BIND_SERVICE.")
    @Size(max = 64)
    public List<@Size(max = 64) String> add;

    @JsonPropertyDescription(
        "Capabilities to drop, e.g. ALL. Defaulted to [ALL] in namespaces enforcing"
            + " Pod Security 'restricted'.")
    @Size(max = 64)
    public List<@Size(max = 64) String> drop;
  }

  /** Schema of a seccomp profile. */
  public static class Seccomp {
    @JsonPropertyDescription(
        "RuntimeDefault (the container runtime's profile), Localhost (a file on the node)"
            + " or Unconfined.")
    public String type;

    @JsonPropertyDescription(
        "With type Localhost: the profile's path relative to the kubelet's seccomp directory.")
    public String localhostProfile;
  }

  /** Schema of SELinux options. */
  public static class SELinux {
    @JsonPropertyDescription("SELinux user.")
    public String user;

    @JsonPropertyDescription("SELinux role.")
    public String role;

    @JsonPropertyDescription("SELinux type, e.g. container_t.")
    public String type;

    @JsonPropertyDescription("SELinux level, e.g. s0:c123,c456.")
    public String level;
  }
}

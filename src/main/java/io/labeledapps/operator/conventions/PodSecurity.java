package io.labeledapps.operator.conventions;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.labeledapps.operator.api.ContainerSpec;
import io.labeledapps.operator.api.LabeledAppSetSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Kubernetes' Pod Security Standards (policy version "latest") as a namespace convention, read from
 * the namespace's Pod Security Admission label. Under {@code restricted}, fields the user left
 * unset get compliant defaults; a field the user wrote is never changed, only checked, and one that
 * breaks the namespace's level refuses the template. Pure. Only the fields the CRD schema can carry
 * are checked: host namespaces, host ports, hostPath, procMount, sysctls and Windows options cannot
 * be written.
 */
public final class PodSecurity {
  /** Kubernetes' own label: the Pod Security level the namespace enforces. */
  public static final String ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";

  static final String RULE = "PodSecurity";

  /** Baseline: the capabilities a container may add. */
  static final Set<String> BASELINE_CAPABILITIES =
      Set.of(
          "AUDIT_WRITE",
          "CHOWN",
          "DAC_OVERRIDE",
          "FOWNER",
          "FSETID",
          "KILL",
          "MKNOD",
          "NET_BIND_SERVICE",
          "SETFCAP",
          "SETGID",
          "SETPCAP",
          "SETUID",
          "SYS_CHROOT");

  /** Baseline: the SELinux types allowed (empty means unset). */
  static final Set<String> SELINUX_TYPES =
      Set.of("", "container_t", "container_init_t", "container_kvm_t", "container_engine_t");

  static final String APPARMOR_PREFIX = "container.apparmor.security.beta.kubernetes.io/";

  /** The levels, least strict first. */
  public enum Level {
    PRIVILEGED,
    BASELINE,
    RESTRICTED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private PodSecurity() {}

  /**
   * The level the namespace's labels enforce: none (privileged) without the label; an unknown value
   * is read as restricted, as Pod Security Admission evaluates it.
   */
  public static Level level(Map<String, String> namespaceLabels) {
    String value = namespaceLabels == null ? null : namespaceLabels.get(ENFORCE_LABEL);
    if (value == null) {
      return Level.PRIVILEGED;
    }
    return switch (value.trim()) {
      case "privileged" -> Level.PRIVILEGED;
      case "baseline" -> Level.BASELINE;
      default -> Level.RESTRICTED;
    };
  }

  /** Every field of {@code spec} that breaks {@code level}, each naming its path and the level. */
  public static List<ConventionViolation> check(
      LabeledAppSetSpec spec, Map<String, String> annotations, Level level) {
    List<ConventionViolation> out = new ArrayList<>();
    if (level == Level.PRIVILEGED) {
      return out;
    }
    Forbid forbid =
        (path, what) ->
            out.add(
                new ConventionViolation(
                    RULE,
                    path
                        + " "
                        + what
                        + ", which Pod Security level '"
                        + level.label()
                        + "' forbids (namespace label "
                        + ENFORCE_LABEL
                        + ")"));
    PodSecurityContext pod = spec.getSecurityContext();
    if (pod != null) {
      seLinux("spec.securityContext.seLinuxOptions", pod.getSeLinuxOptions(), forbid);
      seccomp("spec.securityContext.seccompProfile", pod.getSeccompProfile(), forbid);
      if (level == Level.RESTRICTED) {
        nonRoot("spec.securityContext", pod.getRunAsNonRoot(), pod.getRunAsUser(), forbid);
      }
    }
    appArmor(annotations, forbid);
    containers("spec.initContainers", spec.getInitContainers(), level, forbid);
    containers("spec.containers", spec.getContainers(), level, forbid);
    return out;
  }

  /** AppArmor profiles, set by annotation: only the runtime's default or a local profile. */
  private static void appArmor(Map<String, String> annotations, Forbid forbid) {
    if (annotations == null) {
      return;
    }
    annotations.forEach(
        (key, value) -> {
          if (key.startsWith(APPARMOR_PREFIX)
              && !(value.equals("runtime/default") || value.startsWith("localhost/"))) {
            forbid.at(
                "spec.annotations[" + key + "]",
                "is '" + value + "' (only runtime/default or localhost/<profile>)");
          }
        });
  }

  /** What {@code model.SecurityDefaults} add to {@code spec}, as {@code path=value}. */
  public static List<String> defaultsAdded(LabeledAppSetSpec spec, Level level) {
    List<String> added = new ArrayList<>();
    if (level != Level.RESTRICTED) {
      return added;
    }
    PodSecurityContext pod = spec.getSecurityContext();
    if (pod == null || pod.getRunAsNonRoot() == null) {
      added.add("spec.securityContext.runAsNonRoot=true");
    }
    if (pod == null || pod.getSeccompProfile() == null) {
      added.add("spec.securityContext.seccompProfile.type=RuntimeDefault");
    }
    for (String path : List.of("spec.initContainers", "spec.containers")) {
      List<ContainerSpec> containers =
          path.endsWith("initContainers") ? spec.getInitContainers() : spec.getContainers();
      for (int i = 0; containers != null && i < containers.size(); i++) {
        SecurityContext sc =
            containers.get(i) == null ? null : containers.get(i).getSecurityContext();
        String at = path + "[" + i + "].securityContext.";
        if (sc == null || sc.getAllowPrivilegeEscalation() == null) {
          added.add(at + "allowPrivilegeEscalation=false");
        }
        if (sc == null || sc.getCapabilities() == null || isEmpty(sc.getCapabilities().getDrop())) {
          added.add(at + "capabilities.drop=[ALL]");
        }
      }
    }
    return added;
  }

  /** Reports one forbidden field. */
  @FunctionalInterface
  private interface Forbid {
    void at(String path, String what);
  }

  private static void containers(
      String path, List<ContainerSpec> containers, Level level, Forbid forbid) {
    for (int i = 0; containers != null && i < containers.size(); i++) {
      SecurityContext sc =
          containers.get(i) == null ? null : containers.get(i).getSecurityContext();
      if (sc == null) {
        continue;
      }
      String at = path + "[" + i + "].securityContext";
      if (Boolean.TRUE.equals(sc.getPrivileged())) {
        forbid.at(at + ".privileged", "is true");
      }
      seLinux(at + ".seLinuxOptions", sc.getSeLinuxOptions(), forbid);
      seccomp(at + ".seccompProfile", sc.getSeccompProfile(), forbid);
      capabilitiesAdded(at + ".capabilities.add", sc.getCapabilities(), level, forbid);
      if (level == Level.RESTRICTED) {
        restrictedContainer(at, sc, forbid);
      }
    }
  }

  /** Baseline allows its own list; restricted only NET_BIND_SERVICE. */
  private static void capabilitiesAdded(
      String at, Capabilities capabilities, Level level, Forbid forbid) {
    List<String> add =
        capabilities == null || capabilities.getAdd() == null ? List.of() : capabilities.getAdd();
    for (int j = 0; j < add.size(); j++) {
      String cap = add.get(j);
      boolean allowed =
          level == Level.RESTRICTED
              ? "NET_BIND_SERVICE".equals(cap)
              : BASELINE_CAPABILITIES.contains(cap);
      if (!allowed) {
        forbid.at(
            at + "[" + j + "]",
            "is "
                + cap
                + (level == Level.RESTRICTED
                    ? " (only NET_BIND_SERVICE may be added)"
                    : " (not one of baseline's capabilities)"));
      }
    }
  }

  /** What restricted adds for a container: no escalation, not root, drop ALL when dropping. */
  private static void restrictedContainer(String at, SecurityContext sc, Forbid forbid) {
    if (Boolean.TRUE.equals(sc.getAllowPrivilegeEscalation())) {
      forbid.at(at + ".allowPrivilegeEscalation", "is true");
    }
    nonRoot(at, sc.getRunAsNonRoot(), sc.getRunAsUser(), forbid);
    if (sc.getCapabilities() != null
        && !isEmpty(sc.getCapabilities().getDrop())
        && !sc.getCapabilities().getDrop().contains("ALL")) {
      forbid.at(at + ".capabilities.drop", "is " + sc.getCapabilities().getDrop() + " without ALL");
    }
  }

  private static void nonRoot(String at, Boolean runAsNonRoot, Long runAsUser, Forbid forbid) {
    if (Boolean.FALSE.equals(runAsNonRoot)) {
      forbid.at(at + ".runAsNonRoot", "is false");
    }
    if (runAsUser != null && runAsUser == 0) {
      forbid.at(at + ".runAsUser", "is 0 (root)");
    }
  }

  private static void seccomp(String at, SeccompProfile profile, Forbid forbid) {
    if (profile != null && "Unconfined".equals(profile.getType())) {
      forbid.at(at + ".type", "is Unconfined");
    }
  }

  private static void seLinux(String at, SELinuxOptions o, Forbid forbid) {
    if (o == null) {
      return;
    }
    if (!SELINUX_TYPES.contains(Objects.toString(o.getType(), ""))) {
      forbid.at(
          at + ".type",
          "is "
              + o.getType()
              + " (only container_t, container_init_t, container_kvm_t,"
              + " container_engine_t)");
    }
    if (o.getUser() != null && !o.getUser().isEmpty()) {
      forbid.at(at + ".user", "is set");
    }
    if (o.getRole() != null && !o.getRole().isEmpty()) {
      forbid.at(at + ".role", "is set");
    }
  }

  private static boolean isEmpty(List<?> list) {
    return list == null || list.isEmpty();
  }
}

package io.labeledapps.operator.deploy;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The "restricted" Pod Security Standard (which includes "baseline"), checked statically on a pod
 * spec, as Pod Security admission would check it (Kubernetes 1.25+, policy version "latest").
 * Written from the published standard, rule by rule; each violation names the field and the rule.
 */
public final class RestrictedPodSecurity {
  /** Restricted: the only volume types allowed. */
  static final Set<String> ALLOWED_VOLUME_TYPES =
      Set.of(
          "configMap",
          "csi",
          "downwardAPI",
          "emptyDir",
          "ephemeral",
          "persistentVolumeClaim",
          "projected",
          "secret");

  /** Baseline: the sysctls considered safe. */
  static final Set<String> SAFE_SYSCTLS =
      Set.of(
          "kernel.shm_rmid_forced",
          "net.ipv4.ip_local_port_range",
          "net.ipv4.ip_unprivileged_port_start",
          "net.ipv4.tcp_syncookies",
          "net.ipv4.ping_group_range",
          "net.ipv4.ip_local_reserved_ports",
          "net.ipv4.tcp_keepalive_time",
          "net.ipv4.tcp_fin_timeout",
          "net.ipv4.tcp_keepalive_intvl",
          "net.ipv4.tcp_keepalive_probes");

  /** Baseline: SELinux types allowed (empty means unset). */
  static final Set<String> SELINUX_TYPES =
      Set.of("", "container_t", "container_init_t", "container_kvm_t", "container_engine_t");

  private RestrictedPodSecurity() {}

  /** A container of any kind, with its path in the pod spec. */
  private record AnyContainer(
      String path, String name, SecurityContext sc, List<ContainerPort> ports) {}

  /** Every violation of the restricted profile by a pod with this spec and these annotations. */
  public static List<String> violations(PodSpec spec, Map<String, String> podAnnotations) {
    List<String> v = new ArrayList<>();
    PodSecurityContext psc =
        spec.getSecurityContext() == null ? new PodSecurityContext() : spec.getSecurityContext();
    List<AnyContainer> containers = containers(spec);

    // ---- baseline
    if (isTrue(spec.getHostNetwork())) {
      v.add("spec.hostNetwork: host namespaces are forbidden");
    }
    if (isTrue(spec.getHostPID())) {
      v.add("spec.hostPID: host namespaces are forbidden");
    }
    if (isTrue(spec.getHostIPC())) {
      v.add("spec.hostIPC: host namespaces are forbidden");
    }
    if (psc.getWindowsOptions() != null && isTrue(psc.getWindowsOptions().getHostProcess())) {
      v.add("spec.securityContext.windowsOptions.hostProcess: HostProcess pods are forbidden");
    }
    for (Volume vol : nullSafe(spec.getVolumes())) {
      if (vol.getHostPath() != null) {
        v.add("spec.volumes[" + vol.getName() + "].hostPath: hostPath volumes are forbidden");
      }
    }
    for (var sysctl :
        psc.getSysctls() == null
            ? List.<io.fabric8.kubernetes.api.model.Sysctl>of()
            : psc.getSysctls()) {
      if (!SAFE_SYSCTLS.contains(sysctl.getName())) {
        v.add(
            "spec.securityContext.sysctls["
                + sysctl.getName()
                + "]: only safe sysctls are allowed");
      }
    }
    seLinux("spec.securityContext.seLinuxOptions", psc.getSeLinuxOptions(), v);
    if (psc.getSeccompProfile() != null && "Unconfined".equals(psc.getSeccompProfile().getType())) {
      v.add("spec.securityContext.seccompProfile.type: Unconfined is forbidden");
    }
    if (podAnnotations != null) {
      podAnnotations.forEach(
          (k, val) -> {
            if (k.startsWith("container.apparmor.security.beta.kubernetes.io/")
                && !(val.equals("runtime/default") || val.startsWith("localhost/"))) {
              v.add(
                  "metadata.annotations["
                      + k
                      + "]: only runtime/default or localhost/* AppArmor profiles");
            }
          });
    }
    if (psc.getAppArmorProfile() != null
        && "Unconfined".equals(psc.getAppArmorProfile().getType())) {
      v.add("spec.securityContext.appArmorProfile.type: Unconfined is forbidden");
    }
    for (AnyContainer c : containers) {
      SecurityContext sc = c.sc();
      if (sc != null) {
        if (isTrue(sc.getPrivileged())) {
          v.add(c.path() + ".securityContext.privileged: privileged containers are forbidden");
        }
        if (sc.getWindowsOptions() != null && isTrue(sc.getWindowsOptions().getHostProcess())) {
          v.add(c.path() + ".securityContext.windowsOptions.hostProcess: HostProcess is forbidden");
        }
        if (sc.getProcMount() != null && !"Default".equals(sc.getProcMount())) {
          v.add(c.path() + ".securityContext.procMount: only Default");
        }
        seLinux(c.path() + ".securityContext.seLinuxOptions", sc.getSeLinuxOptions(), v);
        if (sc.getAppArmorProfile() != null
            && "Unconfined".equals(sc.getAppArmorProfile().getType())) {
          v.add(c.path() + ".securityContext.appArmorProfile.type: Unconfined is forbidden");
        }
      }
      for (ContainerPort p : nullSafe(c.ports())) {
        if (p.getHostPort() != null && p.getHostPort() != 0) {
          v.add(
              c.path() + ".ports[" + p.getContainerPort() + "].hostPort: host ports are forbidden");
        }
      }
    }

    // ---- restricted
    for (Volume vol : nullSafe(spec.getVolumes())) {
      String type = volumeType(vol);
      if (!ALLOWED_VOLUME_TYPES.contains(type)) {
        v.add("spec.volumes[" + vol.getName() + "]: volume type " + type + " is not allowed");
      }
    }
    if (psc.getRunAsUser() != null && psc.getRunAsUser() == 0) {
      v.add("spec.securityContext.runAsUser: must not be 0");
    }
    boolean podNonRoot = isTrue(psc.getRunAsNonRoot());
    if (psc.getRunAsNonRoot() != null && !psc.getRunAsNonRoot()) {
      v.add("spec.securityContext.runAsNonRoot: must not be false");
    }
    boolean podSeccomp = psc.getSeccompProfile() != null && confined(psc.getSeccompProfile());
    for (AnyContainer c : containers) {
      SecurityContext sc = c.sc() == null ? new SecurityContext() : c.sc();
      if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
        v.add(c.path() + ".securityContext.allowPrivilegeEscalation: must be false");
      }
      if (sc.getRunAsNonRoot() != null && !sc.getRunAsNonRoot()) {
        v.add(c.path() + ".securityContext.runAsNonRoot: must not be false");
      } else if (!podNonRoot && !isTrue(sc.getRunAsNonRoot())) {
        v.add(c.path() + ".securityContext.runAsNonRoot: must be true (here or on the pod)");
      }
      if (sc.getRunAsUser() != null && sc.getRunAsUser() == 0) {
        v.add(c.path() + ".securityContext.runAsUser: must not be 0");
      }
      SeccompProfile seccomp = sc.getSeccompProfile();
      if (seccomp != null && !confined(seccomp)) {
        v.add(
            c.path() + ".securityContext.seccompProfile.type: must be RuntimeDefault or Localhost");
      } else if (seccomp == null && !podSeccomp) {
        v.add(
            c.path()
                + ".securityContext.seccompProfile: must be set (here or on the pod) to RuntimeDefault or Localhost");
      }
      Capabilities caps = sc.getCapabilities();
      if (caps == null || caps.getDrop() == null || !caps.getDrop().contains("ALL")) {
        v.add(c.path() + ".securityContext.capabilities.drop: must contain ALL");
      }
      if (caps != null && caps.getAdd() != null) {
        for (String add : caps.getAdd()) {
          if (!"NET_BIND_SERVICE".equals(add)) {
            v.add(
                c.path()
                    + ".securityContext.capabilities.add["
                    + add
                    + "]: only NET_BIND_SERVICE may be added");
          }
        }
      }
    }
    return v;
  }

  private static List<AnyContainer> containers(PodSpec spec) {
    List<AnyContainer> all = new ArrayList<>();
    for (Container c : nullSafe(spec.getInitContainers())) {
      all.add(of("initContainers", c.getName(), c.getSecurityContext(), c.getPorts()));
    }
    for (Container c : nullSafe(spec.getContainers())) {
      all.add(of("containers", c.getName(), c.getSecurityContext(), c.getPorts()));
    }
    for (EphemeralContainer c : nullSafe(spec.getEphemeralContainers())) {
      all.add(of("ephemeralContainers", c.getName(), c.getSecurityContext(), c.getPorts()));
    }
    return all;
  }

  /** Container {@code name} of the pod spec's list {@code field}. */
  private static AnyContainer of(
      String field, String name, SecurityContext sc, List<ContainerPort> ports) {
    return new AnyContainer("spec." + field + "[" + name + "]", name, sc, ports);
  }

  private static void seLinux(String path, SELinuxOptions o, List<String> v) {
    if (o == null) {
      return;
    }
    if (!SELINUX_TYPES.contains(Objects.toString(o.getType(), ""))) {
      v.add(path + ".type: " + o.getType() + " is not allowed");
    }
    if (o.getUser() != null && !o.getUser().isEmpty()) {
      v.add(path + ".user: must not be set");
    }
    if (o.getRole() != null && !o.getRole().isEmpty()) {
      v.add(path + ".role: must not be set");
    }
  }

  private static boolean confined(SeccompProfile p) {
    return "RuntimeDefault".equals(p.getType()) || "Localhost".equals(p.getType());
  }

  /** The volume source that is set, by its field name in the Volume. */
  static String volumeType(Volume vol) {
    Map<String, Object> fields =
        io.fabric8.kubernetes.client.utils.Serialization.jsonMapper()
            .convertValue(
                vol, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
    return fields.keySet().stream().filter(k -> !k.equals("name")).findFirst().orElse("none");
  }

  private static boolean isTrue(Boolean b) {
    return Boolean.TRUE.equals(b);
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}

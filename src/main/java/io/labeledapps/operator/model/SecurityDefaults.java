package io.labeledapps.operator.model;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;

/**
 * The security-context defaults a namespace enforcing Pod Security "restricted" gives the pods.
 * Pure.
 */
public final class SecurityDefaults {
  private SecurityDefaults() {}

  /** The pod's security context with the restricted defaults for what the user left unset. */
  public static PodSecurityContext pod(PodSecurityContext declared, boolean restricted) {
    if (!restricted) {
      return declared;
    }
    PodSecurityContextBuilder b =
        declared == null
            ? new PodSecurityContextBuilder()
            : new PodSecurityContextBuilder(declared);
    if (declared == null || declared.getRunAsNonRoot() == null) {
      b.withRunAsNonRoot(true);
    }
    if (declared == null || declared.getSeccompProfile() == null) {
      b.withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile();
    }
    return b.build();
  }

  /** A container's security context with the restricted defaults for what the user left unset. */
  public static SecurityContext container(SecurityContext declared, boolean restricted) {
    if (!restricted) {
      return declared;
    }
    SecurityContextBuilder b =
        declared == null ? new SecurityContextBuilder() : new SecurityContextBuilder(declared);
    if (declared == null || declared.getAllowPrivilegeEscalation() == null) {
      b.withAllowPrivilegeEscalation(false);
    }
    Capabilities caps = declared == null ? null : declared.getCapabilities();
    if (caps == null || caps.getDrop() == null || caps.getDrop().isEmpty()) {
      b.withNewCapabilities()
          .withAdd(caps == null ? null : caps.getAdd())
          .withDrop("ALL")
          .endCapabilities();
    }
    return b.build();
  }
}

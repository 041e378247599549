package io.labeledapps.operator.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;
import java.util.Objects;

/** Which LabeledAppSets an object names in its ownerReferences. */
public final class Owners {
  /** Name of a cache index on {@link #setOwnerUids}. */
  public static final String BY_SET_OWNER = "set-owner-uid";

  private Owners() {}

  /**
   * The uids of the LabeledAppSets among the object's owners: the key of a cache index, so that a
   * pass finds what its set owns without scanning every object of the namespace.
   */
  public static List<String> setOwnerUids(HasMetadata object) {
    if (object.getMetadata() == null) {
      return List.of();
    }
    return setOwners(object).stream()
        .map(OwnerReference::getUid)
        .filter(Objects::nonNull)
        .distinct()
        .toList();
  }

  /** The object's ownerReferences to LabeledAppSets. */
  public static List<OwnerReference> setOwners(HasMetadata object) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    return refs == null
        ? List.of()
        : refs.stream().filter(r -> "LabeledAppSet".equals(r.getKind())).toList();
  }

  /** The name of the set that is the object's controller, or null. */
  public static String controllerName(HasMetadata object) {
    return setOwners(object).stream()
        .filter(r -> Boolean.TRUE.equals(r.getController()))
        .map(OwnerReference::getName)
        .findFirst()
        .orElse(null);
  }
}

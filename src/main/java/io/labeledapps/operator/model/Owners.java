package io.labeledapps.operator.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;

/** Which LabeledAppSets an object names in its ownerReferences. */
public final class Owners {
  private Owners() {}

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

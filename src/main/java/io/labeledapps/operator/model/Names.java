package io.labeledapps.operator.model;

import io.labeledapps.operator.api.LabeledAppSet;
import java.util.OptionalInt;

/** Names of the objects a set owns. Deterministic, so a repeated create is a 409, never a duplicate. */
public final class Names {
  private Names() {}

  /** The pod of slot {@code slot}: {@code <set>-<slot>}. */
  public static String pod(LabeledAppSet set, int slot) {
    return set.getMetadata().getName() + "-" + slot;
  }

  /** The slot a pod name stands for, if it is one of the set's pod names. */
  public static OptionalInt slotOf(LabeledAppSet set, String podName) {
    String prefix = set.getMetadata().getName() + "-";
    if (podName == null || !podName.startsWith(prefix)) {
      return OptionalInt.empty();
    }
    String rest = podName.substring(prefix.length());
    if (rest.isEmpty() || rest.length() > 9 || !rest.chars().allMatch(Character::isDigit)
        || (rest.length() > 1 && rest.charAt(0) == '0')) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Integer.parseInt(rest));
  }

  /** The Service: named after the set. */
  public static String service(LabeledAppSet set) {
    return set.getMetadata().getName();
  }

  /** The PodDisruptionBudget: named after the set. */
  public static String disruptionBudget(LabeledAppSet set) {
    return set.getMetadata().getName();
  }
}

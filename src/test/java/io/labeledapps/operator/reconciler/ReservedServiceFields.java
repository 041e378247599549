package io.labeledapps.operator.reconciler;

import io.fabric8.kubernetes.api.model.Service;
import io.labeledapps.operator.model.Labels;

/** {@link ServiceFields} with the label keys the operator owns on every Service it makes. */
final class ReservedServiceFields {
  private ReservedServiceFields() {}

  /** True when {@code actual} carries everything the operator owns in {@code desired}. */
  static boolean matches(Service desired, Service actual) {
    return ServiceFields.matches(desired, actual, Labels.RESERVED);
  }

  /** {@code actual} with the operator's fields set from {@code desired}; allocated fields kept. */
  static Service merge(Service desired, Service actual) {
    return ServiceFields.merge(desired, actual, Labels.RESERVED);
  }
}

package io.labeledapps.operator.model;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/**
 * What a namespace's conventions add to a set's pods and Service. The conventions' verdict is one;
 * the model reads only these three answers, so it does not depend on the conventions.
 */
public interface PodAdditions {
  /** Nothing added. */
  PodAdditions NONE =
      new PodAdditions() {
        @Override
        public Map<String, String> inheritedLabels() {
          return Map.of();
        }

        @Override
        public Map<String, Quantity> resourceDefaults() {
          return Map.of();
        }

        @Override
        public boolean restrictedPodSecurity() {
          return false;
        }
      };

  /** Namespace labels to stamp on the pods and the Service. */
  Map<String, String> inheritedLabels();

  /** Resource name ("requests.cpu", "limits.memory", ...) to default quantity. */
  Map<String, Quantity> resourceDefaults();

  /** True when the pods receive the Pod Security "restricted" defaults. */
  boolean restrictedPodSecurity();
}

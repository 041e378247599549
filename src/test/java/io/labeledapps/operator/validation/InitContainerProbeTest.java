package io.labeledapps.operator.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.api.LabeledAppSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class InitContainerProbeTest {
  @Test
  void probesOnInitContainersAreRejected() {
    // the API server refuses such pods: spec.initContainers[0].readinessProbe: Forbidden: may not
    // be set for init containers
    LabeledAppSet set =
        Serialization.unmarshal(
            """
        apiVersion: labeledapps.io/v1alpha1
        kind: LabeledAppSet
        metadata: {name: web, namespace: apps}
        spec:
          initContainers:
            - name: init
              image: busybox
              readinessProbe:
                exec: {command: ["true"]}
          containers:
            - {name: web, image: nginx}
        """,
            LabeledAppSet.class);
    assertEquals(
        List.of("spec.initContainers[0].readinessProbe"),
        SpecValidator.validate(set).stream().map(Violation::field).toList());
  }
}

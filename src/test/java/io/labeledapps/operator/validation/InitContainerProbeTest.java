package io.labeledapps.operator.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.TestSets;
import java.util.List;
import org.junit.jupiter.api.Test;

class InitContainerProbeTest {
  @Test
  void probesOnInitContainersAreRejected() {
    // the API server refuses such pods: spec.initContainers[0].readinessProbe: Forbidden: may not
    // be set for init containers
    LabeledAppSet set =
        TestSets.withSpec(
            "web",
            """
            initContainers:
              - name: init
                image: busybox
                readinessProbe:
                  exec: {command: ["true"]}
            containers:
              - {name: web, image: nginx}
            """);
    assertEquals(
        List.of("spec.initContainers[0].readinessProbe"),
        SpecValidator.validate(set).stream().map(Violation::field).toList());
  }
}

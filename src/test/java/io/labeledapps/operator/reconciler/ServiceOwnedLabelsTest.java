package io.labeledapps.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.labeledapps.operator.model.DesiredService;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.model.TestSets;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** A label the namespace no longer hands down leaves the Service; labels others put there stay. */
class ServiceOwnedLabelsTest {

  @Test
  void aNoLongerInheritedLabelIsRemovedAndForeignLabelsStay() {
    var set = TestSets.web("web", 1);
    var service = new io.labeledapps.operator.api.ServiceSpec();
    service.setPorts(
        java.util.List.of(new io.labeledapps.operator.api.ServicePortSpec("http", 80, null)));
    set.getSpec().setService(service);
    Service desired = DesiredService.of(set).orElseThrow();
    Service actual =
        new ServiceBuilder(desired)
            .editMetadata()
            .addToLabels("team", "blue")
            .addToLabels("added-by-someone", "x")
            .endMetadata()
            .editSpec()
            .withClusterIP("10.96.0.12")
            .endSpec()
            .build();
    Set<String> owned = new TreeSet<>(Labels.RESERVED);
    owned.add("team");
    assertFalse(ServiceFields.matches(desired, actual, owned), "a stale inherited label is drift");
    assertTrue(
        ServiceFields.matches(desired, actual, Labels.RESERVED),
        "not drift when the key is not owned");

    Service merged = ServiceFields.merge(desired, actual, owned);
    assertFalse(merged.getMetadata().getLabels().containsKey("team"));
    assertEquals("x", merged.getMetadata().getLabels().get("added-by-someone"));
    assertEquals("10.96.0.12", merged.getSpec().getClusterIP());
    assertTrue(ServiceFields.matches(desired, merged, owned));
  }
}

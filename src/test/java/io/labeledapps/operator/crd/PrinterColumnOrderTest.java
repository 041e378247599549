package io.labeledapps.operator.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrinterColumnOrderTest {
  private static final String SORTED =
      """
      spec:
        versions:
        - additionalPrinterColumns:
          - jsonPath: ".metadata.creationTimestamp"
            name: "Age"
            type: "date"
          - jsonPath: ".spec.replicas"
            name: "Desired"
            type: "integer"
          - jsonPath: ".status.readyReplicas"
            name: "Ready"
            type: "integer"
          name: "v1alpha1"
          served: true
      """;

  @Test
  void movesWholeEntriesIntoTheDeclaredOrderAndTouchesNothingElse() {
    String ordered = PrinterColumnOrder.apply(SORTED, List.of("Desired", "Ready", "Age"));
    assertEquals(
        """
        spec:
          versions:
          - additionalPrinterColumns:
            - jsonPath: ".spec.replicas"
              name: "Desired"
              type: "integer"
            - jsonPath: ".status.readyReplicas"
              name: "Ready"
              type: "integer"
            - jsonPath: ".metadata.creationTimestamp"
              name: "Age"
              type: "date"
            name: "v1alpha1"
            served: true
        """,
        ordered);
    assertEquals(
        ordered,
        PrinterColumnOrder.apply(ordered, List.of("Desired", "Ready", "Age")),
        "idempotent");
  }

  @Test
  void columnsNotDeclaredGoLastInTheirOrder() {
    String ordered = PrinterColumnOrder.apply(SORTED, List.of("Ready"));
    assertEquals(List.of("Ready", "Age", "Desired"), names(ordered));
  }

  /**
   * The build ran the step: kubectl shows desired, current, ready, ..., age, as LabeledAppSet
   * declares.
   */
  @Test
  void theCommittedCrdListsTheColumnsAsDeclared() throws IOException {
    CustomResourceDefinition crd =
        Serialization.unmarshal(
            Files.readString(Path.of("crds/labeledappsets.labeledapps.io-v1.yml")),
            CustomResourceDefinition.class);
    List<String> columns =
        crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
            .map(CustomResourceColumnDefinition::getName)
            .toList();
    assertEquals(PrinterColumnOrder.declared(), columns);
    assertEquals(
        List.of(
            "Desired",
            "Current",
            "Ready",
            "Available",
            "Service",
            "External-IP",
            "Status",
            "Phases",
            "Message",
            "Age"),
        columns);
  }

  private static List<String> names(String yaml) {
    return yaml.lines()
        .filter(l -> l.trim().startsWith("name: \"") && l.startsWith("      "))
        .map(l -> l.trim().substring("name: \"".length(), l.trim().length() - 1))
        .toList();
  }
}

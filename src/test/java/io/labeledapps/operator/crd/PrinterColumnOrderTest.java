package io.labeledapps.operator.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.labeledapps.operator.testkit.YamlFiles;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrinterColumnOrderTest {
  private static final String AGE = column(".metadata.creationTimestamp", "Age", "date");
  private static final String DESIRED = column(".spec.replicas", "Desired", "integer");
  private static final String READY = column(".status.readyReplicas", "Ready", "integer");
  private static final String SORTED = crd(AGE, DESIRED, READY);

  /** One entry of additionalPrinterColumns, as the CRD generator writes it. */
  private static String column(String jsonPath, String name, String type) {
    return "    - jsonPath: \"%s\"\n      name: \"%s\"\n      type: \"%s\"\n"
        .formatted(jsonPath, name, type);
  }

  /** A CRD with one version listing these printer columns, in this order. */
  private static String crd(String... columns) {
    return "spec:\n  versions:\n  - additionalPrinterColumns:\n"
        + String.join("", columns)
        + "    name: \"v1alpha1\"\n    served: true\n";
  }

  @Test
  void movesWholeEntriesIntoTheDeclaredOrderAndTouchesNothingElse() {
    String ordered = PrinterColumnOrder.apply(SORTED, List.of("Desired", "Ready", "Age"));
    assertEquals(crd(DESIRED, READY, AGE), ordered);
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
        YamlFiles.read("crds/labeledappsets.labeledapps.io-v1.yml", CustomResourceDefinition.class);
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

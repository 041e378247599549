package io.labeledapps.operator.conventions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.labeledapps.operator.api.ServiceSpec;
import io.labeledapps.operator.config.OperatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code conventions:} section of the configuration file, as the operator reads it. */
class ConventionsConfigTest {
  @TempDir Path dir;

  private OperatorConfig load(String yaml) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, yaml);
    // POD_NAMESPACE as in the Deployment, for the shipped config that turns leader election on
    return OperatorConfig.load(
        Map.of("LAS_CONFIG", file.toString(), "POD_NAMESPACE", "labeledappset-system"), List.of());
  }

  @Test
  void withoutASectionTheDefaultsApply() throws IOException {
    ConventionsConfig c = load("metricsPort: 8080\n").conventions;
    assertEquals("labeledapps.io/enabled=true", c.namespaceSelector);
    assertEquals(List.of("team", "env"), c.inheritedNamespaceLabels);
    assertEquals(List.of("app"), c.requiredPodLabels);
    assertEquals(List.of("ClusterIP", "NodePort"), c.allowedServiceTypes);
    assertEquals("100m", c.defaults.cpuRequest);
    assertEquals("128Mi", c.defaults.memoryRequest);
    assertEquals(null, c.defaults.cpuLimit);
    assertEquals("256Mi", c.defaults.memoryLimit);
    assertEquals(null, c.ceilings.cpuLimit);
    assertEquals(null, c.ceilings.memoryLimit);
  }

  @Test
  void everyKeyIsRead() throws IOException {
    ConventionsConfig c =
        load("""
        conventions:
          namespaceSelector: "tier=apps"
          inheritedNamespaceLabels: [cost-center]
          requiredPodLabels: [app, owner]
          allowedServiceTypes: [ClusterIP]
          defaults: {cpuRequest: 50m, memoryRequest: 64Mi, cpuLimit: "1", memoryLimit: 1Gi}
          ceilings: {cpuLimit: "4", memoryLimit: 8Gi}
        """)
            .conventions;
    assertEquals("tier=apps", c.namespaceSelector);
    assertEquals(List.of("cost-center"), c.inheritedNamespaceLabels);
    assertEquals(List.of("app", "owner"), c.requiredPodLabels);
    assertEquals(List.of("ClusterIP"), c.allowedServiceTypes);
    assertEquals(
        List.of("50m", "64Mi", "1", "1Gi"),
        List.of(
            c.defaults.cpuRequest,
            c.defaults.memoryRequest,
            c.defaults.cpuLimit,
            c.defaults.memoryLimit));
    assertEquals(List.of("4", "8Gi"), List.of(c.ceilings.cpuLimit, c.ceilings.memoryLimit));
  }

  @Test
  void aTypoInTheSectionIsAnError() {
    IOException e =
        assertThrows(IOException.class, () -> load("conventions:\n  namespaceSelectr: x\n"));
    assertTrue(e.getMessage().contains("namespaceSelectr"), e.getMessage());
    assertThrows(IOException.class, () -> load("conventions:\n  defaults: {cpu: 1}\n"));
  }

  @Test
  void keysLeftEmptyMeanNoneAndNeverBreakEvaluation() throws IOException {
    // every key present with its value commented out, as people edit YAML
    ConventionsConfig c =
        load("""
        conventions:
          namespaceSelector:
          inheritedNamespaceLabels:
          requiredPodLabels:
          allowedServiceTypes:
          defaults:
          ceilings:
        """)
            .conventions;
    var set = Fixtures.set("web");
    set.getSpec().getService().setType(ServiceSpec.Type.NodePort);
    ConventionVerdict verdict =
        Conventions.evaluate(set, Fixtures.namespace(Map.of("team", "a"), Map.of()), c);
    assertTrue(verdict.inheritedLabels().isEmpty());
    assertTrue(verdict.resourceDefaults().isEmpty());
    assertEquals(
        List.of("ServiceTypeNotAllowed"),
        Fixtures.rules(verdict),
        "an empty list of allowed service types allows none");
  }

  @Test
  void theShippedConfigMapDocumentsTheDefaultsInACommentedSection() throws IOException {
    String manifest = Files.readString(Path.of("deploy/03-config.yaml"));
    var configMap =
        io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
            manifest, io.fabric8.kubernetes.api.model.ConfigMap.class);
    String config = configMap.getData().get("config.yaml");
    // the section as a user would uncomment it
    List<String> lines = config.lines().toList();
    int start = lines.indexOf("# conventions:");
    assertTrue(start >= 0, "deploy/03-config.yaml documents the conventions section:\n" + config);
    StringBuilder section = new StringBuilder();
    for (String line : lines.subList(start, lines.size())) {
      if (!line.startsWith("# ")) {
        break;
      }
      section.append(line.substring(2)).append('\n');
    }
    ConventionsConfig documented = load(section.toString()).conventions;
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    assertEquals(mapper.valueToTree(new ConventionsConfig()), mapper.valueToTree(documented));
    // and as shipped, commented out, the operator runs on those same defaults
    assertEquals(
        mapper.valueToTree(new ConventionsConfig()), mapper.valueToTree(load(config).conventions));
  }
}

package io.labeledapps.operator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code kubectl explain labeledappset.spec...} has something to say about every field. */
class CrdDescriptionsTest {

  static JSONSchemaProps schema() throws IOException {
    try (InputStream in =
        Files.newInputStream(Path.of("crds/labeledappsets.labeledapps.io-v1.yml"))) {
      CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
      return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    }
  }

  static void walk(JSONSchemaProps node, String path, List<String> missing) {
    if (node.getProperties() != null) {
      node.getProperties()
          .forEach(
              (name, child) -> {
                if (child.getDescription() == null || child.getDescription().isBlank()) {
                  missing.add(path + "." + name);
                }
                walk(child, path + "." + name, missing);
              });
    }
    if (node.getItems() != null && node.getItems().getSchema() != null) {
      walk(node.getItems().getSchema(), path + "[]", missing);
    }
    if (node.getAdditionalProperties() != null
        && node.getAdditionalProperties().getSchema() != null) {
      walk(node.getAdditionalProperties().getSchema(), path + "{}", missing);
    }
  }

  @Test
  void everyFieldHasADescription() throws IOException {
    List<String> missing = new ArrayList<>();
    walk(schema(), "", missing);
    assertEquals(List.of(), missing);
  }

  @Test
  void fieldsNewerThanTheSupportedServersAreLeftOut() throws IOException {
    var container =
        schema()
            .getProperties()
            .get("spec")
            .getProperties()
            .get("containers")
            .getItems()
            .getSchema();
    var probe = container.getProperties().get("livenessProbe").getProperties();
    assertTrue(
        probe.containsKey("httpGet")
            && probe.containsKey("exec")
            && probe.containsKey("tcpSocket"));
    assertTrue(!probe.containsKey("grpc"), "grpc probes need Kubernetes 1.24+");
    assertTrue(!container.getProperties().get("resources").getProperties().containsKey("claims"));
  }
}

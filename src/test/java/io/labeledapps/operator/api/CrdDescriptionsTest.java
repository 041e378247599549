package io.labeledapps.operator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.testkit.SchemaTree;
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

  /** The paths of the properties below {@code root} without a description. */
  static List<String> withoutDescription(JSONSchemaProps root) {
    List<String> missing = new ArrayList<>();
    SchemaTree.forEach(
        root,
        "",
        (path, node) -> {
          // the root, a list's items and a map's values are described by the field holding them
          boolean property = !path.isEmpty() && !path.endsWith("[]") && !path.endsWith("{}");
          if (property && (node.getDescription() == null || node.getDescription().isBlank())) {
            missing.add(path);
          }
        });
    return missing;
  }

  @Test
  void everyFieldHasADescription() throws IOException {
    assertEquals(List.of(), withoutDescription(schema()));
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

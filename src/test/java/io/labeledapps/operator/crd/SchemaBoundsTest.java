package io.labeledapps.operator.crd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.generator.annotation.Max;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.api.Syntax;
import io.labeledapps.operator.testkit.SchemaTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CRD's spec schema bounds every field: checked here on the committed CRD by a walk of its own
 * (not {@link SchemaBounds#unbounded}), and the build step that guarantees it is tested on a type
 * it has never seen, as a new fabric8 model type under spec would be.
 */
class SchemaBoundsTest {
  static final Path CRD = Path.of("crds/labeledappsets.labeledapps.io-v1.yml");
  static final double INT32_MAX = Integer.MAX_VALUE;
  static final double INT64_MAX = SchemaBounds.MAX_INT64;

  static JSONSchemaProps spec() throws IOException {
    CustomResourceDefinition crd =
        Serialization.unmarshal(Files.readString(CRD), CustomResourceDefinition.class);
    return crd.getSpec()
        .getVersions()
        .get(0)
        .getSchema()
        .getOpenAPIV3Schema()
        .getProperties()
        .get("spec");
  }

  /**
   * What an API server would admit that the operator cannot read, or without any limit, in the
   * schema {@code n} itself (not below it).
   */
  static void unbounded(JSONSchemaProps n, String path, List<String> out) {
    boolean intOrString = Boolean.TRUE.equals(n.getXKubernetesIntOrString());
    if (intOrString || "integer".equals(n.getType())) {
      if (n.getMaximum() == null
          || n.getMaximum() > INT64_MAX
          || n.getMinimum() == null
          || n.getMinimum() < -INT64_MAX) {
        out.add(path + ": integer without a range within +-(2^53-1)");
      }
    }
    if ((intOrString || "string".equals(n.getType()))
        && n.getMaxLength() == null
        && (n.getEnum() == null || n.getEnum().isEmpty())) {
      out.add(path + ": string without maxLength");
    }
    if ("array".equals(n.getType()) && n.getMaxItems() == null) {
      out.add(path + ": list without maxItems");
    }
    boolean map =
        n.getAdditionalProperties() != null && n.getAdditionalProperties().getSchema() != null;
    if (map
        && (n.getMaxProperties() == null
            || n.getXKubernetesValidations() == null
            || n.getXKubernetesValidations().stream()
                .noneMatch(r -> r.getRule().contains("size(k) <= ")))) {
      out.add(path + ": map without maxProperties or a rule on its keys' length");
    }
  }

  @Test
  void everySpecFieldOfTheCommittedCrdIsBounded() throws IOException {
    List<String> out = new ArrayList<>();
    SchemaTree.forEach(spec(), "spec", (path, n) -> unbounded(n, path, out));
    assertEquals(List.of(), out);
  }

  @Test
  void theCommittedCrdIsWhatTheBuildStepLeavesAsItIs() throws IOException {
    String committed = Files.readString(CRD);
    assertEquals(committed, SchemaBounds.apply(committed));
  }

  @Test
  void integersGetTheRangeOfTheirJavaTypeAndKubernetesBoundsStay() throws IOException {
    JSONSchemaProps spec = spec();
    JSONSchemaProps deadline = spec.getProperties().get("progressDeadlineSeconds");
    assertEquals(1.0, deadline.getMinimum());
    assertEquals(INT32_MAX, deadline.getMaximum(), "an Integer field");
    JSONSchemaProps probe =
        spec.getProperties()
            .get("containers")
            .getItems()
            .getSchema()
            .getProperties()
            .get("livenessProbe");
    assertEquals(
        INT64_MAX,
        probe.getProperties().get("terminationGracePeriodSeconds").getMaximum(),
        "a Long field");
    assertEquals(1.0, probe.getProperties().get("terminationGracePeriodSeconds").getMinimum());
    assertEquals(0.0, probe.getProperties().get("initialDelaySeconds").getMinimum());
    for (String timing :
        List.of("periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold")) {
      assertEquals(1.0, probe.getProperties().get(timing).getMinimum(), timing);
      assertEquals(INT32_MAX, probe.getProperties().get(timing).getMaximum(), timing);
    }
    JSONSchemaProps port = probe.getProperties().get("httpGet").getProperties().get("port");
    assertEquals(65535.0, port.getMaximum(), "an int-or-string keeps its annotations' bounds");
    assertEquals(15L, port.getMaxLength());
    assertEquals(Syntax.PORT_NAME, port.getPattern());
  }

  /**
   * Stands for a type issue-style additions bring under spec: plain fields and a fabric8 model
   * type.
   */
  static class Future {
    public Integer count;
    public Long seconds;
    public String text;
    public List<String> items;
    public Map<String, String> map;
    public IntOrString port;
    public Quantity size;

    @Max(5)
    public IntOrString annotated;

    public Toleration toleration;
    public String bounded;
  }

  @Test
  void aTypeTheStepHasNeverSeenIsBoundedByItsJavaTypes() {
    JSONSchemaProps intOrString =
        new JSONSchemaPropsBuilder()
            .withXKubernetesIntOrString(true)
            .addNewAnyOf()
            .withType("integer")
            .endAnyOf()
            .addNewAnyOf()
            .withType("string")
            .endAnyOf()
            .build();
    JSONSchemaProps schema =
        new JSONSchemaPropsBuilder()
            .withType("object")
            .addToProperties("count", new JSONSchemaPropsBuilder().withType("integer").build())
            .addToProperties("seconds", new JSONSchemaPropsBuilder().withType("integer").build())
            .addToProperties("text", new JSONSchemaPropsBuilder().withType("string").build())
            .addToProperties(
                "items",
                new JSONSchemaPropsBuilder()
                    .withType("array")
                    .withNewItems()
                    .withNewSchema()
                    .withType("string")
                    .endSchema()
                    .endItems()
                    .build())
            .addToProperties(
                "map",
                new JSONSchemaPropsBuilder()
                    .withType("object")
                    .withNewAdditionalProperties()
                    .withNewSchema()
                    .withType("string")
                    .endSchema()
                    .endAdditionalProperties()
                    .build())
            .addToProperties("port", new JSONSchemaPropsBuilder(intOrString).build())
            .addToProperties("size", new JSONSchemaPropsBuilder(intOrString).build())
            .addToProperties("annotated", new JSONSchemaPropsBuilder(intOrString).build())
            .addToProperties(
                "toleration",
                new JSONSchemaPropsBuilder()
                    .withType("object")
                    .addToProperties(
                        "tolerationSeconds",
                        new JSONSchemaPropsBuilder().withType("integer").build())
                    .addToProperties("key", new JSONSchemaPropsBuilder().withType("string").build())
                    .build())
            .addToProperties(
                "bounded",
                new JSONSchemaPropsBuilder().withType("string").withMaxLength(10L).build())
            .build();

    SchemaBounds.bound(schema, new SchemaBounds.JavaType(Future.class, null));

    Map<String, JSONSchemaProps> p = schema.getProperties();
    assertEquals(INT32_MAX, p.get("count").getMaximum());
    assertEquals(-INT32_MAX - 1, p.get("count").getMinimum());
    assertEquals(INT64_MAX, p.get("seconds").getMaximum());
    assertEquals(SchemaBounds.MAX_STRING_LENGTH, p.get("text").getMaxLength());
    assertEquals(SchemaBounds.MAX_ITEMS, p.get("items").getMaxItems());
    assertEquals(
        SchemaBounds.MAX_STRING_LENGTH, p.get("items").getItems().getSchema().getMaxLength());
    assertEquals(SchemaBounds.MAX_PROPERTIES, p.get("map").getMaxProperties());
    assertEquals(SchemaBounds.KEY_RULE, p.get("map").getXKubernetesValidations().get(0).getRule());
    assertEquals(SchemaBounds.MAX_STRING_LENGTH, p.get("port").getMaxLength());
    assertEquals(INT32_MAX, p.get("port").getMaximum());
    assertEquals(Syntax.QUANTITY, p.get("size").getPattern());
    assertEquals(SchemaBounds.MAX_QUANTITY_LENGTH, p.get("size").getMaxLength());
    assertEquals(5.0, p.get("annotated").getMaximum());
    assertEquals(
        INT64_MAX,
        p.get("toleration").getProperties().get("tolerationSeconds").getMaximum(),
        "fabric8's Toleration.tolerationSeconds is a Long");
    assertEquals(10L, p.get("bounded").getMaxLength(), "a bound already there is kept");
    assertEquals(List.of(), SchemaBounds.unbounded(schema, "future"));
  }

  @Test
  void theStepFailsTheBuildWhenItCannotBoundAField() {
    JSONSchemaProps open =
        new JSONSchemaPropsBuilder()
            .withType("object")
            .addToProperties("s", new JSONSchemaPropsBuilder().withType("string").build())
            .build();
    assertEquals(List.of("x.s"), SchemaBounds.unbounded(open, "x"));
    assertTrue(
        SchemaBounds.unbounded(
                new JSONSchemaPropsBuilder().withType("integer").withMaximum(3.0).build(), "i")
            .isEmpty());
  }
}

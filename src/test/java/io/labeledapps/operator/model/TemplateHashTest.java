package io.labeledapps.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateHashTest {

  private static Map<String, String> ordered(String... kv) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      map.put(kv[i], kv[i + 1]);
    }
    return map;
  }

  private static PodTemplateSpec template(
      Map<String, String> labels, Map<String, String> nodeSelector, String image) {
    // @formatter:off
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
          .withLabels(labels)
        .endMetadata()
        .withNewSpec()
          .withNodeSelector(nodeSelector)
          .addNewContainer()
            .withName("web")
            .withImage(image)
          .endContainer()
        .endSpec()
        .build();
    // @formatter:on
  }

  @Test
  void isTenLowercaseHexDigits() {
    String hash = TemplateHash.of(template(ordered("a", "1"), null, "nginx:1.27"));
    assertTrue(hash.matches("[0-9a-f]{10}"), hash);
  }

  @Test
  void isDeterministic() {
    assertEquals(
        TemplateHash.of(template(ordered("a", "1"), null, "nginx:1.27")),
        TemplateHash.of(template(ordered("a", "1"), null, "nginx:1.27")));
  }

  @Test
  void ignoresMapOrderInModelObjects() {
    PodTemplateSpec ab =
        template(ordered("a", "1", "b", "2"), ordered("x", "1", "y", "2"), "nginx:1.27");
    PodTemplateSpec ba =
        template(ordered("b", "2", "a", "1"), ordered("y", "2", "x", "1"), "nginx:1.27");
    assertEquals(List.of("b", "a"), List.copyOf(ba.getMetadata().getLabels().keySet()));
    assertEquals(TemplateHash.of(ab), TemplateHash.of(ba));
  }

  @Test
  void ignoresMapOrderInNestedPlainMaps() {
    Map<String, Object> one = new LinkedHashMap<>();
    one.put("outer", ordered("a", "1", "b", "2"));
    one.put("z", "last");
    Map<String, Object> two = new LinkedHashMap<>();
    two.put("z", "last");
    two.put("outer", ordered("b", "2", "a", "1"));
    assertEquals(TemplateHash.of(one), TemplateHash.of(two));
  }

  @Test
  void changesWithAnyValue() {
    String base = TemplateHash.of(template(ordered("a", "1"), ordered("x", "1"), "nginx:1.27"));
    assertNotEquals(
        base, TemplateHash.of(template(ordered("a", "2"), ordered("x", "1"), "nginx:1.27")));
    assertNotEquals(
        base, TemplateHash.of(template(ordered("b", "1"), ordered("x", "1"), "nginx:1.27")));
    assertNotEquals(
        base, TemplateHash.of(template(ordered("a", "1"), ordered("x", "2"), "nginx:1.27")));
    assertNotEquals(base, TemplateHash.of(template(ordered("a", "1"), null, "nginx:1.27")));
    assertNotEquals(
        base, TemplateHash.of(template(ordered("a", "1"), ordered("x", "1"), "nginx:1.28")));
  }

  @Test
  void listOrderCounts() {
    assertNotEquals(
        TemplateHash.of(Map.of("args", List.of("-a", "-b"))),
        TemplateHash.of(Map.of("args", List.of("-b", "-a"))));
  }

  @Test
  void annotationKeyIsInTheOperatorsDomain() {
    assertEquals("labeledapps.io/template-hash", TemplateHash.ANNOTATION);
  }
}

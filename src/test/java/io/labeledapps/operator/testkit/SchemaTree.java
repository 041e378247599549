package io.labeledapps.operator.testkit;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.function.BiConsumer;

/** A walk over an OpenAPI v3 schema, as the CRD tests read it. */
public final class SchemaTree {
  private SchemaTree() {}

  /**
   * Visits {@code node} at {@code path}, then every schema below it, each before its children: a
   * property at {@code path.name}, a list's items at {@code path[]}, a map's values at {@code
   * path{}}.
   */
  public static void forEach(
      JSONSchemaProps node, String path, BiConsumer<String, JSONSchemaProps> visit) {
    visit.accept(path, node);
    if (node.getProperties() != null) {
      node.getProperties().forEach((name, child) -> forEach(child, path + "." + name, visit));
    }
    if (node.getItems() != null && node.getItems().getSchema() != null) {
      forEach(node.getItems().getSchema(), path + "[]", visit);
    }
    if (node.getAdditionalProperties() != null
        && node.getAdditionalProperties().getSchema() != null) {
      forEach(node.getAdditionalProperties().getSchema(), path + "{}", visit);
    }
  }
}

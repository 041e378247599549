package io.labeledapps.operator.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.api.LabeledAppSet;
import java.util.Iterator;
import java.util.Map;

/**
 * The tests' one way to write a LabeledAppSet: a set {@code name} of one pod, labels {@code app:
 * name}, one container {@code web} running {@code nginx:1.27} with port {@code http} 8080 and no
 * Service, changed field by field. Anything else goes in as YAML under {@code spec} ({@link
 * #spec(String)}), so the set is read the way the API server hands it to the operator.
 *
 * <pre>{@code
 * LabeledAppSet set = SetBuilder.set("web").namespace(ns).replicas(3).label("env", "test")
 *     .service("ports: [{name: http, port: 80, targetPort: http}]").build();
 * }</pre>
 */
public final class SetBuilder {
  private final ObjectNode tree = Serialization.jsonMapper().createObjectNode();

  private SetBuilder(String name) {
    tree.put("apiVersion", "labeledapps.io/v1alpha1");
    tree.put("kind", "LabeledAppSet");
    tree.putObject("metadata").put("name", name);
    ObjectNode spec = tree.putObject("spec");
    spec.put("replicas", 1);
    spec.putObject("labels").put("app", name);
    ObjectNode web = spec.putArray("containers").addObject();
    web.put("name", "web");
    web.put("image", "nginx:1.27");
    web.putArray("ports").addObject().put("name", "http").put("containerPort", 8080);
  }

  /**
   * A set {@code name}: one nginx pod with an http port 8080, labels {@code app: name}, no Service.
   */
  public static SetBuilder set(String name) {
    return new SetBuilder(name);
  }

  public SetBuilder namespace(String namespace) {
    ((ObjectNode) tree.get("metadata")).put("namespace", namespace);
    return this;
  }

  /** The uid the API server would have given it (owner references need one). */
  public SetBuilder uid(String uid) {
    ((ObjectNode) tree.get("metadata")).put("uid", uid);
    return this;
  }

  public SetBuilder replicas(int replicas) {
    spec().put("replicas", replicas);
    return this;
  }

  /** Adds a pod label. */
  public SetBuilder label(String key, String value) {
    spec().with("labels").put(key, value);
    return this;
  }

  /** Replaces the pod labels. */
  public SetBuilder labels(Map<String, String> labels) {
    ObjectNode node = spec().putObject("labels");
    labels.forEach(node::put);
    return this;
  }

  /** The image of the first container. */
  public SetBuilder image(String image) {
    ((ObjectNode) spec().get("containers").get(0)).put("image", image);
    return this;
  }

  /** The name of the first container. */
  public SetBuilder containerName(String name) {
    ((ObjectNode) spec().get("containers").get(0)).put("name", name);
    return this;
  }

  /** The name and image of the first container. */
  public SetBuilder container(String name, String image) {
    return containerName(name).image(image);
  }

  /** The first container without ports. */
  public SetBuilder noPorts() {
    ((ObjectNode) spec().get("containers").get(0)).remove("ports");
    return this;
  }

  /**
   * {@code spec.service}, as YAML, e.g. {@code "ports: [{name: http, port: 80, targetPort:
   * http}]"}.
   */
  public SetBuilder service(String serviceYaml) {
    spec().set("service", yaml(serviceYaml));
    return this;
  }

  /** A ClusterIP Service with port 80 to the container port named http. */
  public SetBuilder httpService() {
    return service("ports: [{name: http, port: 80, targetPort: http}]");
  }

  /**
   * Fields under {@code spec}, as YAML; each replaces the field of that name (e.g. {@code
   * containers}).
   */
  public SetBuilder spec(String specYaml) {
    JsonNode fields = yaml(specYaml);
    if (fields != null && fields.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        spec().set(field.getKey(), field.getValue());
      }
    }
    return this;
  }

  public LabeledAppSet build() {
    return Serialization.jsonMapper().convertValue(tree, LabeledAppSet.class);
  }

  private ObjectNode spec() {
    return (ObjectNode) tree.get("spec");
  }

  private static JsonNode yaml(String yaml) {
    try {
      return Serialization.yamlMapper().readTree(yaml.stripIndent());
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("not YAML: " + yaml, e);
    }
  }
}

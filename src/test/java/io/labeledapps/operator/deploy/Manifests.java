package io.labeledapps.operator.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The operator's installation as objects: the plain manifests in {@code deploy/} (what {@code
 * kubectl apply -f deploy/} reads) and the Helm chart rendered by Helm itself (helm-java). Shared
 * by the unit tests here and the end-to-end tests.
 */
public final class Manifests {
  public static final Path DEPLOY = Path.of("deploy");
  public static final Path CHART = DEPLOY.resolve("helm/labeledappset-operator");
  public static final Path CRDS = Path.of("crds");
  public static final String NAMESPACE = "labeledappset-system";
  public static final String NAME = "labeledappset-operator";

  private static final ObjectMapper YAML = new YAMLMapper();

  private Manifests() {}

  /**
   * The files {@code kubectl apply -f deploy/} reads: *.yaml, *.yml, *.json, not recursive; in its
   * (name) order.
   */
  public static List<Path> deployFiles() {
    try (Stream<Path> files = Files.list(DEPLOY)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().matches(".*\\.(yaml|yml|json)"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every object of {@code deploy/}, in the order {@code kubectl apply -f deploy/} creates them.
   */
  public static List<HasMetadata> deploy() {
    List<HasMetadata> all = new ArrayList<>();
    for (Path file : deployFiles()) {
      all.addAll(parse(read(file)));
    }
    return all;
  }

  /** The objects of one file under {@code deploy/}. */
  public static List<HasMetadata> deploy(String file) {
    return parse(read(DEPLOY.resolve(file)));
  }

  /**
   * The objects in a multi-document YAML string; empty documents (Helm's comments-only ones) are
   * skipped.
   */
  public static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> objects = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(yaml)) {
      var docs = YAML.readValues(parser, JsonNode.class);
      while (docs.hasNext()) {
        JsonNode doc = docs.next();
        if (doc == null
            || doc.isNull()
            || doc.isMissingNode()
            || (doc instanceof ObjectNode o && o.isEmpty())) {
          continue;
        }
        objects.add(Serialization.unmarshal(doc.toString()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return objects;
  }

  /** The parsed value of a YAML document (a ConfigMap's config.yaml, values.yaml, ...). */
  public static JsonNode yamlTree(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The one object of {@code type} named {@code name} (any name when null). */
  public static <T extends HasMetadata> T one(
      List<HasMetadata> objects, Class<T> type, String name) {
    List<T> found =
        all(objects, type).stream()
            .filter(o -> name == null || name.equals(o.getMetadata().getName()))
            .toList();
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one "
              + type.getSimpleName()
              + (name == null ? "" : " " + name)
              + ", found "
              + found.size());
    }
    return found.get(0);
  }

  public static <T extends HasMetadata> List<T> all(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /**
   * {@code helm template} of the chart, release {@code release} in {@code namespace}, with {@code
   * --set}s.
   */
  public static String helmTemplate(String release, String namespace, Map<String, Object> sets) {
    TemplateCommand template =
        new Helm(CHART).template().withName(release).withNamespace(namespace);
    sets.forEach(template::set);
    return template.call();
  }

  /**
   * The chart rendered like {@code helm install labeledappset-operator -n labeledappset-system}.
   */
  public static List<HasMetadata> helm(Map<String, Object> sets) {
    return parse(helmTemplate(NAME, NAMESPACE, sets));
  }

  public static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

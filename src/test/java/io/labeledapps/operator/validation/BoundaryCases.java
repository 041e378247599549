package io.labeledapps.operator.validation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Sets at and beyond the schema's bounds, too big to keep as corpus files: 60,000-character keys
 * and names (beyond Jackson's 50,000-character limit on JSON names, which stops an informer), 2^63
 * and -2^31-1 in integer fields, lists and maps one entry over their bound, a 300 KiB annotation
 * value, unicode where Kubernetes' grammar has ASCII. Each says, as a corpus header would, who
 * refuses it.
 */
public final class BoundaryCases {
  private BoundaryCases() {}

  /**
   * A set and who refuses it: {@code SCHEMA} every server, at {@code path}; {@code OPERATOR} a
   * server that runs CEL, with a message holding {@code cel}, and the operator elsewhere. Kept as a
   * map: no YAML or JSON reader with default limits would read it back.
   */
  public record Case(
      String name, Map<String, Object> object, Corpus.Expect expect, String path, String cel) {
    @Override
    public String toString() {
      return name;
    }
  }

  public static List<Case> all() {
    List<Case> cases = new ArrayList<>();
    String huge = "k".repeat(60_000);
    cases.add(
        refusedByCel(
            "g01-label-key-of-60000-characters",
            "spec.labels[" + huge + "]",
            "keys may be at most 317 characters",
            spec -> spec.put("labels", Map.of(huge, "v"))));
    cases.add(
        refusedByCel(
            "g02-annotation-key-of-60000-characters",
            "spec.annotations[" + huge + "]",
            "keys may be at most 317 characters",
            spec -> spec.put("annotations", Map.of(huge, "v"))));
    cases.add(
        refusedBySchema(
            "g03-env-name-of-60000-characters",
            "spec.containers[0].env[0].name",
            spec ->
                container(spec)
                    .put("env", List.of(Map.of("name", "E".repeat(60_000), "value", "v")))));
    cases.add(
        refusedBySchema(
            "g04-deadline-of-2-pow-63",
            "spec.progressDeadlineSeconds",
            spec ->
                spec.put(
                    "progressDeadlineSeconds", new java.math.BigInteger("9223372036854775808"))));
    cases.add(
        refusedBySchema(
            "g05-delay-below-int32",
            "spec.containers[0].livenessProbe.initialDelaySeconds",
            spec ->
                container(spec)
                    .put(
                        "livenessProbe",
                        Map.of(
                            "initialDelaySeconds",
                            -2147483649L,
                            "tcpSocket",
                            Map.of("port", 8080)))));
    cases.add(
        refusedBySchema(
            "g06-257-env-vars",
            "spec.containers[0].env",
            spec -> {
              List<Map<String, Object>> env = new ArrayList<>();
              numbered(257, "V", "x").forEach((k, v) -> env.add(Map.of("name", k, "value", v)));
              container(spec).put("env", env);
            }));
    cases.add(
        refusedBySchema(
            "g07-65-labels", "spec.labels", spec -> spec.put("labels", numbered(65, "l", "v"))));
    cases.add(
        refusedBySchema(
            "g08-image-of-1025-characters",
            "spec.containers[0].image",
            spec -> container(spec).put("image", "i".repeat(1025))));
    cases.add(
        refusedBySchema(
            "g09-unicode-label-value",
            "spec.labels[team]",
            spec -> spec.put("labels", Map.of("team", "caf\u00e9"))));
    cases.add(
        refusedBySchema(
            "g10-17-resources",
            "spec.containers[0].resources.limits",
            spec ->
                container(spec)
                    .put("resources", Map.of("limits", numbered(17, "example.com/r", "1")))));
    cases.add(
        refusedBySchema(
            "g11-annotation-value-of-300-kib",
            "spec.annotations[big]",
            spec -> spec.put("annotations", Map.of("big", "a".repeat(300 * 1024)))));
    cases.add(
        refusedBySchema(
            "g12-memory-of-65-characters",
            "spec.containers[0].resources.requests[memory]",
            spec ->
                container(spec)
                    .put("resources", Map.of("requests", Map.of("memory", "1".repeat(65))))));
    return cases;
  }

  private static Case refusedBySchema(
      String name, String path, Consumer<Map<String, Object>> change) {
    return build(name, Corpus.Expect.SCHEMA, path, null, change);
  }

  private static Case refusedByCel(
      String name, String path, String cel, Consumer<Map<String, Object>> change) {
    return build(name, Corpus.Expect.OPERATOR, path, cel, change);
  }

  /** {@code count} entries, in order: {@code prefix + i} to {@code value}, i from 0. */
  private static Map<String, Object> numbered(int count, String prefix, Object value) {
    Map<String, Object> entries = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      entries.put(prefix + i, value);
    }
    return entries;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> container(Map<String, Object> spec) {
    return ((List<Map<String, Object>>) spec.get("containers")).get(0);
  }

  private static Case build(
      String name,
      Corpus.Expect expect,
      String path,
      String cel,
      Consumer<Map<String, Object>> change) {
    Map<String, Object> container = new LinkedHashMap<>();
    container.put("name", "web");
    container.put("image", "nginx:1.27");
    container.put("ports", List.of(Map.of("name", "http", "containerPort", 8080)));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("containers", new ArrayList<>(List.of(container)));
    change.accept(spec);
    Map<String, Object> set = new LinkedHashMap<>();
    set.put("apiVersion", "labeledapps.io/v1alpha1");
    set.put("kind", "LabeledAppSet");
    set.put("metadata", Map.of("name", name));
    set.put("spec", spec);
    return new Case(name, set, expect, path, cel);
  }
}

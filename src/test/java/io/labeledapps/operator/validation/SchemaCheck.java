package io.labeledapps.operator.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The structural schema's own keywords (type, enum, required, minimum/maximum, minLength/maxLength,
 * pattern, minItems/maxItems, maxProperties, int-or-string), checked offline the way an API server
 * of any version does before any CEL rule: what a 1.20 cluster refuses at {@code kubectl apply}.
 * Unknown fields are ignored (the server prunes them). The patterns are RE2 and java.util.regex
 * alike (see {@code api.Syntax}).
 */
final class SchemaCheck {
  private SchemaCheck() {}

  /**
   * Each problem as {@code <path>: <what>}, paths as the corpus writes them ({@code
   * spec.containers[0].name}).
   */
  static List<String> check(Map<String, Object> schema, Object value) {
    List<String> out = new ArrayList<>();
    check(schema, value, "", out);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void check(Map<String, Object> node, Object value, String path, List<String> out) {
    if (value == null) {
      if (!Boolean.TRUE.equals(node.get("nullable"))) {
        out.add(path + ": must not be null");
      }
      return;
    }
    boolean intOrString = Boolean.TRUE.equals(node.get("x-kubernetes-int-or-string"));
    String type =
        intOrString ? (value instanceof String ? "string" : "integer") : (String) node.get("type");
    if (type == null) {
      return;
    }
    switch (type) {
      case "integer" -> {
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
          out.add(path + ": must be of type integer");
          return;
        }
        double v = n.doubleValue();
        if (node.get("minimum") instanceof Number min && v < min.doubleValue()) {
          out.add(path + ": should be greater than or equal to " + min);
        }
        if (node.get("maximum") instanceof Number max && v > max.doubleValue()) {
          out.add(path + ": should be less than or equal to " + max);
        }
      }
      case "string" -> {
        if (!(value instanceof String s)) {
          out.add(path + ": must be of type string");
          return;
        }
        long length = s.codePointCount(0, s.length());
        if (node.get("maxLength") instanceof Number max && length > max.longValue()) {
          out.add(path + ": may not be longer than " + max);
        }
        if (node.get("minLength") instanceof Number min && length < min.longValue()) {
          out.add(path + ": should be at least " + min + " chars long");
        }
        if (node.get("pattern") instanceof String p && !Pattern.compile(p).matcher(s).find()) {
          out.add(path + ": should match '" + p + "'");
        }
        if (node.get("enum") instanceof List<?> values
            && !values.isEmpty()
            && !values.contains(s)) {
          out.add(path + ": Unsupported value: " + s);
        }
      }
      case "boolean" -> {
        if (!(value instanceof Boolean)) {
          out.add(path + ": must be of type boolean");
        }
      }
      case "array" -> {
        if (!(value instanceof List<?> list)) {
          out.add(path + ": must be of type array");
          return;
        }
        if (node.get("maxItems") instanceof Number max && list.size() > max.longValue()) {
          out.add(path + ": must have at most " + max + " items");
        }
        if (node.get("minItems") instanceof Number min && list.size() < min.longValue()) {
          out.add(path + ": should have at least " + min + " items");
        }
        if (node.get("items") instanceof Map<?, ?> items) {
          for (int i = 0; i < list.size(); i++) {
            check((Map<String, Object>) items, list.get(i), path + "[" + i + "]", out);
          }
        }
      }
      case "object" -> {
        if (!(value instanceof Map<?, ?> map)) {
          out.add(path + ": must be of type object");
          return;
        }
        if (node.get("maxProperties") instanceof Number max && map.size() > max.longValue()) {
          out.add(path + ": must have at most " + max + " properties");
        }
        if (node.get("required") instanceof List<?> required) {
          required.stream()
              .filter(r -> !map.containsKey(r))
              .forEach(r -> out.add(join(path, (String) r) + ": Required value"));
        }
        if (node.get("properties") instanceof Map<?, ?> properties) {
          properties.forEach(
              (name, child) -> {
                if (map.containsKey(name)) {
                  check((Map<String, Object>) child, map.get(name), join(path, (String) name), out);
                }
              });
        }
        if (node.get("additionalProperties") instanceof Map<?, ?> values) {
          map.forEach((k, v) -> check((Map<String, Object>) values, v, path + "[" + k + "]", out));
        }
      }
      default -> {}
    }
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}

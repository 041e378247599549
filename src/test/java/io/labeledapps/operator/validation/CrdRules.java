package io.labeledapps.operator.validation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CEL rules ({@code x-kubernetes-validations}) of a generated CRD, compiled with CEL-Java and
 * evaluated the way an API server does: on the object after the schema's defaults are applied, each
 * rule with {@code self} bound to every value at the schema node that carries it.
 *
 * <p>Each rule is compiled twice. Once type-checked like an API server does it, with {@code self}
 * typed from the schema (objects as structs with exactly their properties, maps, lists, strings,
 * integers, int-or-string as dyn), so that a rule selecting a field the schema does not have fails
 * here as it would fail there; once with {@code self} dynamic, to evaluate on plain maps and lists.
 */
final class CrdRules {
  static final Path CRD = Path.of("crds/labeledappsets.labeledapps.io-v1.yml");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /**
   * One step from a schema node to a child: a property, every item of an array, every value of a
   * map.
   */
  sealed interface Step permits Property, Items, Values {}

  record Property(String name) implements Step {}

  record Items() implements Step {}

  record Values() implements Step {}

  /**
   * A rule, where it sits in the schema (e.g. {@code spec.containers[*]}) and its compiled form.
   */
  record Rule(
      String location,
      List<Step> steps,
      String expression,
      String message,
      CelValidationResult typed,
      CelValidationResult compiled) {
    boolean compiles() {
      return !typed.hasError() && !compiled.hasError();
    }

    String errors() {
      return typed.hasError() ? typed.getErrorString() : compiled.getErrorString();
    }
  }

  /** A rule that did not hold for the value at {@code path} (or could not be evaluated there). */
  record Failure(String path, Rule rule, String detail) {
    @Override
    public String toString() {
      return (path.isEmpty() ? "<root>" : path)
          + ": "
          + rule.message()
          + (detail == null ? "" : " (" + detail + ")");
    }
  }

  private final Map<String, Object> schema;
  private final List<Rule> rules = new ArrayList<>();
  private final CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder().build();
  private final Map<Rule, CelRuntime.Program> programs = new HashMap<>();

  private CrdRules(Map<String, Object> schema) {
    this.schema = schema;
    CelCompiler compiler =
        CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .build();
    collect(schema, "", new ArrayList<>(), compiler);
  }

  /**
   * The CEL type an API server gives a value of {@code node}; struct types are added to {@code
   * structs}.
   */
  @SuppressWarnings("unchecked")
  static CelType celType(
      Map<String, Object> node, String name, boolean root, Map<String, CelType> structs) {
    if (Boolean.TRUE.equals(node.get("x-kubernetes-int-or-string"))) {
      return SimpleType.DYN;
    }
    switch (String.valueOf(node.get("type"))) {
      case "string":
        return SimpleType.STRING;
      case "integer":
        return SimpleType.INT;
      case "number":
        return SimpleType.DOUBLE;
      case "boolean":
        return SimpleType.BOOL;
      case "array":
        return ListType.create(celType(map(node.get("items")), name + "_items", false, structs));
      default:
        break;
    }
    if (node.get("additionalProperties") instanceof Map<?, ?> values) {
      return MapType.create(
          SimpleType.STRING,
          celType((Map<String, Object>) values, name + "_values", false, structs));
    }
    Map<String, CelType> fields = new LinkedHashMap<>();
    if (node.get("properties") instanceof Map<?, ?> properties) {
      ((Map<String, Object>) properties)
          .forEach(
              (field, child) ->
                  fields.put(field, celType(map(child), name + "_" + field, false, structs)));
    }
    if (root) {
      // an API server exposes these at the root of every custom resource
      fields.put("apiVersion", SimpleType.STRING);
      fields.put("kind", SimpleType.STRING);
      StructType metadata =
          StructType.create(
              name + "_metadata",
              ImmutableSet.of("name", "generateName"),
              f -> Optional.of(SimpleType.STRING));
      structs.put(metadata.name(), metadata);
      fields.put("metadata", metadata);
    }
    ImmutableMap<String, CelType> fieldTypes = ImmutableMap.copyOf(fields);
    StructType struct =
        StructType.create(name, fieldTypes.keySet(), f -> Optional.ofNullable(fieldTypes.get(f)));
    structs.put(name, struct);
    return struct;
  }

  /** {@code expression} type-checked with {@code self} at the schema node at {@code steps}. */
  CelValidationResult typeCheck(List<Step> steps, String expression) {
    return typedCompiler(steps).compile(expression);
  }

  /** A compiler whose {@code self} has the type of the schema node at {@code steps}. */
  private CelCompiler typedCompiler(List<Step> steps) {
    Map<String, Object> node = schema;
    // type names must not read like expressions ("self.spec"): the checker would take those for
    // types
    String name = "schema";
    for (Step step : steps) {
      if (step instanceof Property p) {
        node = map(map(node.get("properties")).get(p.name()));
        name += "_" + p.name();
      } else if (step instanceof Items) {
        node = map(node.get("items"));
        name += "_items";
      } else {
        node = map(node.get("additionalProperties"));
        name += "_values";
      }
    }
    Map<String, CelType> structs = new LinkedHashMap<>();
    CelType self = celType(node, name, steps.isEmpty(), structs);
    ImmutableMap<String, CelType> structTypes = ImmutableMap.copyOf(structs);
    CelTypeProvider types =
        new CelTypeProvider() {
          @Override
          public ImmutableCollection<CelType> types() {
            return structTypes.values();
          }

          @Override
          public Optional<CelType> findType(String typeName) {
            return Optional.ofNullable(structTypes.get(typeName));
          }
        };
    return CelCompilerFactory.standardCelCompilerBuilder()
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .setTypeProvider(types)
        .addVar("self", self)
        .build();
  }

  private static CrdRules generated;

  /** The rules of the generated CRD ({@link #CRD}), read once for all the tests that ask. */
  static synchronized CrdRules generated() {
    if (generated == null) {
      try {
        generated = load(CRD);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return generated;
  }

  /** The rules of the (single-version) CRD in {@code file}. */
  @SuppressWarnings("unchecked")
  static CrdRules load(Path file) throws IOException {
    Map<String, Object> crd = YAML.readValue(file.toFile(), Map.class);
    List<Map<String, Object>> versions =
        (List<Map<String, Object>>) ((Map<String, Object>) crd.get("spec")).get("versions");
    Map<String, Object> version = versions.get(0);
    return new CrdRules(map(map(version.get("schema")).get("openAPIV3Schema")));
  }

  List<Rule> rules() {
    return rules;
  }

  Map<String, Object> schema() {
    return schema;
  }

  @SuppressWarnings("unchecked")
  private void collect(
      Map<String, Object> node, String location, List<Step> steps, CelCompiler compiler) {
    Object validations = node.get("x-kubernetes-validations");
    if (validations != null) {
      for (Map<String, Object> v : (List<Map<String, Object>>) validations) {
        String expression = (String) v.get("rule");
        rules.add(
            new Rule(
                location,
                List.copyOf(steps),
                expression,
                (String) v.get("message"),
                typedCompiler(steps).compile(expression),
                compiler.compile(expression)));
      }
    }
    if (node.get("properties") instanceof Map<?, ?> properties) {
      for (var e : ((Map<String, Object>) properties).entrySet()) {
        collect(
            map(e.getValue()),
            location.isEmpty() ? e.getKey() : location + "." + e.getKey(),
            append(steps, new Property(e.getKey())),
            compiler);
      }
    }
    if (node.get("items") instanceof Map<?, ?> items) {
      collect((Map<String, Object>) items, location + "[*]", append(steps, new Items()), compiler);
    }
    if (node.get("additionalProperties") instanceof Map<?, ?> values) {
      collect(
          (Map<String, Object>) values, location + "[*]", append(steps, new Values()), compiler);
    }
  }

  /**
   * Every rule that fails on {@code object} (a custom resource as parsed YAML), defaults applied
   * first.
   */
  List<Failure> evaluate(Map<String, Object> object) {
    Object defaulted = normalize(object);
    applyDefaults(schema, defaulted);
    List<Failure> failures = new ArrayList<>();
    for (Rule rule : rules) {
      if (!rule.compiles()) {
        failures.add(new Failure(rule.location(), rule, "does not compile: " + rule.errors()));
        continue;
      }
      for (var at : resolve(defaulted, rule.steps()).entrySet()) {
        try {
          CelRuntime.Program program = programs.get(rule);
          if (program == null) {
            program = runtime.createProgram(rule.compiled().getAst());
            programs.put(rule, program);
          }
          Object result = program.eval(Map.of("self", at.getValue()));
          if (!Boolean.TRUE.equals(result)) {
            failures.add(new Failure(at.getKey(), rule, null));
          }
        } catch (CelEvaluationException | CelValidationException e) {
          // the API server rejects an object on which a rule cannot be evaluated
          failures.add(new Failure(at.getKey(), rule, "error: " + e.getMessage()));
        }
      }
    }
    return failures;
  }

  /** The values at the end of {@code steps}, by their path in the object. */
  private static Map<String, Object> resolve(Object root, List<Step> steps) {
    Map<String, Object> current = new LinkedHashMap<>();
    current.put("", root);
    for (Step step : steps) {
      Map<String, Object> next = new LinkedHashMap<>();
      current.forEach(
          (path, value) -> {
            if (step instanceof Property p
                && value instanceof Map<?, ?> m
                && m.containsKey(p.name())) {
              next.put(path.isEmpty() ? p.name() : path + "." + p.name(), m.get(p.name()));
            } else if (step instanceof Items && value instanceof List<?> list) {
              for (int i = 0; i < list.size(); i++) {
                next.put(path + "[" + i + "]", list.get(i));
              }
            } else if (step instanceof Values && value instanceof Map<?, ?> m) {
              m.forEach((k, v) -> next.put(path + "[" + k + "]", v));
            }
          });
      current = next;
    }
    return current;
  }

  /**
   * Fills in the schema's defaults where a value is absent, as the API server does before
   * validating.
   */
  @SuppressWarnings("unchecked")
  static void applyDefaults(Map<String, Object> node, Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> object = (Map<String, Object>) m;
      if (node.get("properties") instanceof Map<?, ?> properties) {
        for (var e : ((Map<String, Object>) properties).entrySet()) {
          Map<String, Object> property = map(e.getValue());
          if (!object.containsKey(e.getKey()) && property.containsKey("default")) {
            object.put(e.getKey(), normalize(property.get("default")));
          }
          if (object.containsKey(e.getKey())) {
            applyDefaults(property, object.get(e.getKey()));
          }
        }
      }
      if (node.get("additionalProperties") instanceof Map<?, ?> values) {
        object.values().forEach(v -> applyDefaults((Map<String, Object>) values, v));
      }
    } else if (value instanceof List<?> list && node.get("items") instanceof Map<?, ?> items) {
      list.forEach(v -> applyDefaults((Map<String, Object>) items, v));
    }
  }

  /** A deep copy with the number types CEL-Java expects: integers as Long, decimals as Double. */
  static Object normalize(Object value) {
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> copy = new LinkedHashMap<>();
      m.forEach((k, v) -> copy.put(String.valueOf(k), normalize(v)));
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(normalize(v)));
      return copy;
    }
    if (value instanceof Integer
        || value instanceof Short
        || value instanceof Byte
        || value instanceof BigInteger) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float f) {
      return f.doubleValue();
    }
    return value;
  }

  /**
   * The schema node at {@code path}, written as in {@link Rule#location()}: {@code
   * spec.containers[*].ports}.
   */
  Map<String, Object> node(String path) {
    Map<String, Object> node = schema;
    for (String part : path.split("\\.")) {
      String name = part.replace("[*]", "");
      node = map(map(node.get("properties")).get(name));
      for (int i = part.indexOf("[*]"); i >= 0; i = part.indexOf("[*]", i + 1)) {
        node =
            map(node.containsKey("items") ? node.get("items") : node.get("additionalProperties"));
      }
    }
    return node;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    if (!(o instanceof Map<?, ?>)) {
      throw new IllegalArgumentException("not a schema object: " + o);
    }
    return (Map<String, Object>) o;
  }

  private static List<Step> append(List<Step> steps, Step step) {
    List<Step> out = new ArrayList<>(steps);
    out.add(step);
    return out;
  }
}

package io.labeledapps.operator.conventions;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.labeledapps.operator.api.ContainerSpec;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.model.Quantities;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The namespace conventions as pure rules: each looks at the set, its namespace and the
 * configuration, and adds what it finds, so a refusal lists every violation at once.
 */
public final class Conventions {
  public static final String PREFIX = "labeledapps.io/";
  public static final String SERVICE_TYPES_LABEL = PREFIX + "service-types";

  /** Namespaces that never host sets, whatever their labels. */
  public static final Set<String> SYSTEM_NAMESPACES =
      Set.of("kube-system", "kube-public", "kube-node-lease");

  /** Resource keys in the order they are reported. */
  static final List<String> RESOURCE_KEYS =
      List.of("requests.cpu", "requests.memory", "limits.cpu", "limits.memory");

  private Conventions() {}

  /** The verdict on {@code set} in {@code namespace} (null when the operator cannot see it). */
  public static ConventionVerdict evaluate(
      LabeledAppSet set, Namespace namespace, ConventionsConfig config) {
    List<ConventionViolation> violations = new ArrayList<>();
    String nsName = set.getMetadata().getNamespace();
    if (SYSTEM_NAMESPACES.contains(nsName)) {
      violations.add(
          new ConventionViolation(
              "SystemNamespace",
              "namespace "
                  + nsName
                  + " is reserved for the system and never hosts LabeledAppSets"));
    }
    if (namespace == null) {
      violations.add(
          new ConventionViolation(
              "NamespaceUnknown",
              "namespace "
                  + nsName
                  + " is not visible to the operator (not found or not permitted)"));
      return new ConventionVerdict(violations, Map.of(), Map.of(), List.of());
    }
    Map<String, String> nsLabels = orEmpty(namespace.getMetadata().getLabels());
    Map<String, String> nsAnnotations = orEmpty(namespace.getMetadata().getAnnotations());
    String selector = config.namespaceSelector == null ? "" : config.namespaceSelector.trim();
    if (!selector.isEmpty() && !SelectorMatch.matches(selector, nsLabels)) {
      violations.add(
          new ConventionViolation(
              "NamespaceNotEnabled",
              "namespace "
                  + nsName
                  + " does not match the selector '"
                  + selector
                  + "'; label it to host LabeledAppSets"));
    }

    Map<String, String> inherited = inheritedLabels(set, nsLabels, config, violations);
    requiredLabels(set, inherited, config, violations);
    Map<String, Quantity> defaults = new LinkedHashMap<>();
    List<String> applied = resources(set, nsAnnotations, config, defaults, violations);
    PodSecurity.Level podSecurity = PodSecurity.level(nsLabels);
    violations.addAll(
        PodSecurity.check(set.getSpec(), set.getSpec().getAnnotations(), podSecurity));
    List<String> podSecurityDefaults = PodSecurity.defaultsAdded(set.getSpec(), podSecurity);
    if (!podSecurityDefaults.isEmpty()) {
      applied.add(
          "Pod Security " + podSecurity.label() + ": " + String.join(", ", podSecurityDefaults));
    }
    serviceType(set, nsLabels, config, violations);
    return new ConventionVerdict(
        List.copyOf(violations),
        Map.copyOf(inherited),
        Map.copyOf(defaults),
        List.copyOf(applied),
        podSecurity);
  }

  /** The namespace labels the pods inherit; a spec label that contradicts one is a violation. */
  private static Map<String, String> inheritedLabels(
      LabeledAppSet set,
      Map<String, String> nsLabels,
      ConventionsConfig config,
      List<ConventionViolation> violations) {
    String nsName = set.getMetadata().getNamespace();
    Map<String, String> inherited = new LinkedHashMap<>();
    Map<String, String> specLabels = orEmpty(set.getSpec().getLabels());
    for (String key : config.inheritedNamespaceLabels) {
      String value = nsLabels.get(key);
      if (value == null) {
        continue;
      }
      if (specLabels.containsKey(key) && !value.equals(specLabels.get(key))) {
        violations.add(
            new ConventionViolation(
                "LabelConflict",
                "spec.labels["
                    + key
                    + "] is '"
                    + specLabels.get(key)
                    + "' but namespace "
                    + nsName
                    + " sets "
                    + key
                    + "="
                    + value
                    + " for every pod"));
      } else {
        inherited.put(key, value);
      }
    }
    return inherited;
  }

  private static void requiredLabels(
      LabeledAppSet set,
      Map<String, String> inherited,
      ConventionsConfig config,
      List<ConventionViolation> violations) {
    Map<String, String> podLabels = new LinkedHashMap<>(orEmpty(set.getSpec().getLabels()));
    podLabels.putAll(inherited);
    podLabels.putAll(Labels.standard(set));
    for (String key : config.requiredPodLabels) {
      if (!podLabels.containsKey(key)) {
        violations.add(
            new ConventionViolation(
                "MissingRequiredLabel",
                "pods must carry the label '" + key + "': add it to spec.labels"));
      }
    }
  }

  /** Fills {@code defaults}; checks the ceilings; returns the defaults the containers receive. */
  private static List<String> resources(
      LabeledAppSet set,
      Map<String, String> nsAnnotations,
      ConventionsConfig config,
      Map<String, Quantity> defaults,
      List<ConventionViolation> violations) {
    Map<String, Quantity> ceilings = new LinkedHashMap<>();
    resourceSetting(
        defaults,
        "requests.cpu",
        nsAnnotations,
        "default-cpu-request",
        config.defaults.cpuRequest,
        violations);
    resourceSetting(
        defaults,
        "requests.memory",
        nsAnnotations,
        "default-memory-request",
        config.defaults.memoryRequest,
        violations);
    resourceSetting(
        defaults,
        "limits.cpu",
        nsAnnotations,
        "default-cpu-limit",
        config.defaults.cpuLimit,
        violations);
    resourceSetting(
        defaults,
        "limits.memory",
        nsAnnotations,
        "default-memory-limit",
        config.defaults.memoryLimit,
        violations);
    resourceSetting(
        ceilings,
        "limits.cpu",
        nsAnnotations,
        "max-cpu-limit",
        config.ceilings.cpuLimit,
        violations);
    resourceSetting(
        ceilings,
        "limits.memory",
        nsAnnotations,
        "max-memory-limit",
        config.ceilings.memoryLimit,
        violations);

    List<String> applied = new ArrayList<>();
    checkContainers(
        "spec.initContainers",
        set.getSpec().getInitContainers(),
        defaults,
        ceilings,
        applied,
        violations);
    checkContainers(
        "spec.containers", set.getSpec().getContainers(), defaults, ceilings, applied, violations);
    return applied;
  }

  private static void serviceType(
      LabeledAppSet set,
      Map<String, String> nsLabels,
      ConventionsConfig config,
      List<ConventionViolation> violations) {
    String nsName = set.getMetadata().getNamespace();
    if (set.getSpec().getService() != null && set.getSpec().getService().getType() != null) {
      List<String> allowed =
          nsLabels.containsKey(SERVICE_TYPES_LABEL)
              ? Arrays.stream(nsLabels.get(SERVICE_TYPES_LABEL).split("[^A-Za-z]+"))
                  .filter(s -> !s.isEmpty())
                  .toList()
              : config.allowedServiceTypes;
      String type = set.getSpec().getService().getType().name();
      if (!allowed.contains(type)) {
        violations.add(
            new ConventionViolation(
                "ServiceTypeNotAllowed",
                "spec.service.type "
                    + type
                    + " is not allowed in namespace "
                    + nsName
                    + " (allowed: "
                    + String.join(", ", allowed)
                    + ")"));
      }
    }
  }

  private static void resourceSetting(
      Map<String, Quantity> into,
      String key,
      Map<String, String> nsAnnotations,
      String annotation,
      String configured,
      List<ConventionViolation> violations) {
    String fromNamespace = nsAnnotations.get(PREFIX + annotation);
    String value = fromNamespace != null ? fromNamespace : configured;
    if (value == null || value.isBlank()) {
      return;
    }
    String source =
        fromNamespace != null
            ? "namespace annotation " + PREFIX + annotation
            : "operator configuration for " + annotation;
    Quantities.Parsed parsed = Quantities.parse(value.trim());
    if (!parsed.valid()) {
      violations.add(
          new ConventionViolation(
              "InvalidConvention", source + " is '" + value + "', " + parsed.problem()));
      return;
    }
    Quantity q = new Quantity(value.trim());
    into.put(key, q);
  }

  private static void checkContainers(
      String path,
      List<ContainerSpec> containers,
      Map<String, Quantity> defaults,
      Map<String, Quantity> ceilings,
      List<String> applied,
      List<ConventionViolation> violations) {
    if (containers == null) {
      return;
    }
    for (int i = 0; i < containers.size(); i++) {
      ContainerSpec c = containers.get(i);
      if (c == null) {
        continue;
      }
      Map<String, Quantity> declared = flatten(c.getResources());
      Map<String, Quantity> effective =
          flatten(Quantities.withDefaults(c.getResources(), defaults));
      List<String> added =
          RESOURCE_KEYS.stream()
              .filter(k -> !declared.containsKey(k) && effective.containsKey(k))
              .map(k -> k + "=" + effective.get(k))
              .toList();
      if (!added.isEmpty()) {
        applied.add(c.getName() + ": " + String.join(", ", added));
      }
      String field = path + "[" + i + "].resources.";
      for (var ceiling : ceilings.entrySet()) {
        String limitKey = ceiling.getKey();
        String requestKey = limitKey.replace("limits.", "requests.");
        for (String key : List.of(limitKey, requestKey)) {
          Quantity q = effective.get(key);
          if (q != null && Quantities.greater(q, ceiling.getValue())) {
            String other = key.startsWith("limits.") ? requestKey : limitKey;
            violations.add(
                aboveCeiling(field, key, other, q, ceiling.getValue(), declared, defaults));
          }
        }
      }
    }
  }

  /** A value the user never wrote is named as the default it is, with the way out. */
  private static ConventionViolation aboveCeiling(
      String field,
      String key,
      String other,
      Quantity q,
      Quantity ceiling,
      Map<String, Quantity> declared,
      Map<String, Quantity> defaults) {
    String what;
    String fix = "";
    if (declared.containsKey(key)) {
      what = field + key + " " + q;
    } else if (defaults.get(key) != null
        && !Quantities.greater(defaults.get(key), q)
        && !Quantities.greater(q, defaults.get(key))) {
      what = field + key + " is not set, and its default " + q;
      fix = "; set it to at most " + ceiling;
    } else {
      // a defaulted limit is raised to the request (a default request lowered to the limit)
      what = field + key + " is not set; it would be " + q + ", as " + field + other + " is, which";
      fix = "; set " + field + other + " to at most " + ceiling;
    }
    String limitKey = key.startsWith("limits.") ? key : other;
    return new ConventionViolation(
        "ResourceCeilingExceeded",
        what
            + " is above the namespace's ceiling "
            + ceiling
            + " ("
            + PREFIX
            + "max-"
            + limitKey.substring("limits.".length())
            + "-limit)"
            + fix);
  }

  static Map<String, Quantity> flatten(ResourceRequirements r) {
    Map<String, Quantity> out = new LinkedHashMap<>();
    if (r != null && r.getRequests() != null) {
      r.getRequests().forEach((k, v) -> out.put("requests." + k, v));
    }
    if (r != null && r.getLimits() != null) {
      r.getLimits().forEach((k, v) -> out.put("limits." + k, v));
    }
    return out;
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }

  /** The violations' rules, distinct, in order: the condition reason is the first. */
  public static String rules(List<ConventionViolation> violations) {
    return violations.stream()
        .map(ConventionViolation::rule)
        .distinct()
        .collect(Collectors.joining(","));
  }
}

package io.labeledapps.operator.conventions;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.labeledapps.operator.api.ContainerSpec;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetSpec;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.model.Quantities;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
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

  /** A namespace setting of a resource quantity: its key, its annotation, its configured value. */
  private record Setting(
      String key, String annotation, Function<ConventionsConfig, String> configured) {}

  /** The defaults, in the order they are read. */
  private static final List<Setting> DEFAULTS =
      List.of(
          new Setting("requests.cpu", "default-cpu-request", c -> c.defaults.cpuRequest),
          new Setting("requests.memory", "default-memory-request", c -> c.defaults.memoryRequest),
          new Setting("limits.cpu", "default-cpu-limit", c -> c.defaults.cpuLimit),
          new Setting("limits.memory", "default-memory-limit", c -> c.defaults.memoryLimit));

  /** The ceilings, in the order they are read. */
  private static final List<Setting> CEILINGS =
      List.of(
          new Setting("limits.cpu", "max-cpu-limit", c -> c.ceilings.cpuLimit),
          new Setting("limits.memory", "max-memory-limit", c -> c.ceilings.memoryLimit));

  /** What every rule reads (the set, its namespace, the configuration) and adds to. */
  private record Scope(
      LabeledAppSet set,
      String nsName,
      Map<String, String> nsLabels,
      Map<String, String> nsAnnotations,
      ConventionsConfig config,
      List<ConventionViolation> violations) {
    void add(String rule, String message) {
      violations.add(new ConventionViolation(rule, message));
    }
  }

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
    Scope in =
        new Scope(
            set,
            nsName,
            orEmpty(namespace.getMetadata().getLabels()),
            orEmpty(namespace.getMetadata().getAnnotations()),
            config,
            violations);
    return evaluate(in);
  }

  /** The rules, in the order their violations are reported, on a namespace the operator sees. */
  private static ConventionVerdict evaluate(Scope in) {
    namespaceSelector(in);
    Map<String, String> inherited = inheritedLabels(in);
    requiredLabels(in, inherited);
    Map<String, Quantity> defaults = settings(in, DEFAULTS);
    Map<String, Quantity> ceilings = settings(in, CEILINGS);
    List<String> applied = new ArrayList<>();
    LabeledAppSetSpec spec = in.set().getSpec();
    checkContainers(
        in, "spec.initContainers", spec.getInitContainers(), defaults, ceilings, applied);
    checkContainers(in, "spec.containers", spec.getContainers(), defaults, ceilings, applied);
    PodSecurity.Level podSecurity = PodSecurity.level(in.nsLabels());
    in.violations().addAll(PodSecurity.check(spec, spec.getAnnotations(), podSecurity));
    List<String> podSecurityDefaults = PodSecurity.defaultsAdded(spec, podSecurity);
    if (!podSecurityDefaults.isEmpty()) {
      applied.add(
          "Pod Security " + podSecurity.label() + ": " + String.join(", ", podSecurityDefaults));
    }
    serviceType(in);
    return new ConventionVerdict(
        List.copyOf(in.violations()),
        Map.copyOf(inherited),
        Map.copyOf(defaults),
        List.copyOf(applied),
        podSecurity);
  }

  private static void namespaceSelector(Scope in) {
    String selector =
        in.config().namespaceSelector == null ? "" : in.config().namespaceSelector.trim();
    if (!selector.isEmpty() && !SelectorMatch.matches(selector, in.nsLabels())) {
      in.add(
          "NamespaceNotEnabled",
          "namespace "
              + in.nsName()
              + " does not match the selector '"
              + selector
              + "'; label it to host LabeledAppSets");
    }
  }

  /** The namespace labels the pods inherit; a spec label that contradicts one is a violation. */
  private static Map<String, String> inheritedLabels(Scope in) {
    Map<String, String> inherited = new LinkedHashMap<>();
    Map<String, String> specLabels = orEmpty(in.set().getSpec().getLabels());
    for (String key : in.config().inheritedNamespaceLabels) {
      String value = in.nsLabels().get(key);
      if (value == null) {
        continue;
      }
      if (specLabels.containsKey(key) && !value.equals(specLabels.get(key))) {
        in.add(
            "LabelConflict",
            "spec.labels["
                + key
                + "] is '"
                + specLabels.get(key)
                + "' but namespace "
                + in.nsName()
                + " sets "
                + key
                + "="
                + value
                + " for every pod");
      } else {
        inherited.put(key, value);
      }
    }
    return inherited;
  }

  private static void requiredLabels(Scope in, Map<String, String> inherited) {
    Map<String, String> podLabels = new LinkedHashMap<>(orEmpty(in.set().getSpec().getLabels()));
    podLabels.putAll(inherited);
    podLabels.putAll(Labels.standard(in.set()));
    for (String key : in.config().requiredPodLabels) {
      if (!podLabels.containsKey(key)) {
        in.add(
            "MissingRequiredLabel",
            "pods must carry the label '" + key + "': add it to spec.labels");
      }
    }
  }

  private static void serviceType(Scope in) {
    var service = in.set().getSpec().getService();
    if (service == null || service.getType() == null) {
      return;
    }
    List<String> allowed =
        in.nsLabels().containsKey(SERVICE_TYPES_LABEL)
            ? Arrays.stream(in.nsLabels().get(SERVICE_TYPES_LABEL).split("[^A-Za-z]+"))
                .filter(s -> !s.isEmpty())
                .toList()
            : in.config().allowedServiceTypes;
    String type = service.getType().name();
    if (!allowed.contains(type)) {
      in.add(
          "ServiceTypeNotAllowed",
          "spec.service.type "
              + type
              + " is not allowed in namespace "
              + in.nsName()
              + " (allowed: "
              + String.join(", ", allowed)
              + ")");
    }
  }

  /** The valid quantities of {@code settings}, by key; an invalid one is a violation. */
  private static Map<String, Quantity> settings(Scope in, List<Setting> settings) {
    Map<String, Quantity> into = new LinkedHashMap<>();
    for (Setting setting : settings) {
      Quantity q = setting(in, setting);
      if (q != null) {
        into.put(setting.key(), q);
      }
    }
    return into;
  }

  /** The namespace's annotation, else the configured value; null when unset or invalid. */
  private static Quantity setting(Scope in, Setting setting) {
    String annotation = setting.annotation();
    String fromNamespace = in.nsAnnotations().get(PREFIX + annotation);
    String value = fromNamespace != null ? fromNamespace : setting.configured().apply(in.config());
    if (value == null || value.isBlank()) {
      return null;
    }
    String source =
        fromNamespace != null
            ? "namespace annotation " + PREFIX + annotation
            : "operator configuration for " + annotation;
    Quantities.Parsed parsed = Quantities.parse(value.trim());
    if (!parsed.valid()) {
      in.add("InvalidConvention", source + " is '" + value + "', " + parsed.problem());
      return null;
    }
    return new Quantity(value.trim());
  }

  private static void checkContainers(
      Scope in,
      String path,
      List<ContainerSpec> containers,
      Map<String, Quantity> defaults,
      Map<String, Quantity> ceilings,
      List<String> applied) {
    for (int i = 0; containers != null && i < containers.size(); i++) {
      ContainerSpec c = containers.get(i);
      if (c != null) {
        Resources r =
            new Resources(
                path + "[" + i + "].resources.",
                flatten(c.getResources()),
                flatten(Quantities.withDefaults(c.getResources(), defaults)));
        defaultsApplied(c.getName(), r, applied);
        ceilings.forEach((limitKey, ceiling) -> ceiling(in, r, limitKey, ceiling, defaults));
      }
    }
  }

  /**
   * A container's resources at {@code field}: those it {@code declared} and the {@code effective}
   * ones, with the namespace's defaults; keys as in {@link #flatten}.
   */
  private record Resources(
      String field, Map<String, Quantity> declared, Map<String, Quantity> effective) {}

  /** Notes the defaults the container receives, as {@code name: key=value, ...}. */
  private static void defaultsApplied(String name, Resources r, List<String> applied) {
    List<String> added =
        RESOURCE_KEYS.stream()
            .filter(k -> !r.declared().containsKey(k) && r.effective().containsKey(k))
            .map(k -> k + "=" + r.effective().get(k))
            .toList();
    if (!added.isEmpty()) {
      applied.add(name + ": " + String.join(", ", added));
    }
  }

  /** The container's limit and request of the ceiling's resource are at most the ceiling. */
  private static void ceiling(
      Scope in, Resources r, String limitKey, Quantity ceiling, Map<String, Quantity> defaults) {
    String requestKey = limitKey.replace("limits.", "requests.");
    for (String key : List.of(limitKey, requestKey)) {
      Quantity q = r.effective().get(key);
      if (q != null && Quantities.greater(q, ceiling)) {
        String other = key.startsWith("limits.") ? requestKey : limitKey;
        in.violations().add(aboveCeiling(r, key, other, q, ceiling, defaults.get(key)));
      }
    }
  }

  /** A value the user never wrote is named as the default it is, with the way out. */
  private static ConventionViolation aboveCeiling(
      Resources r, String key, String other, Quantity q, Quantity ceiling, Quantity byDefault) {
    String field = r.field();
    String what;
    String fix = "";
    if (r.declared().containsKey(key)) {
      what = field + key + " " + q;
    } else if (byDefault != null
        && !Quantities.greater(byDefault, q)
        && !Quantities.greater(q, byDefault)) {
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

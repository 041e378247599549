package io.labeledapps.operator.validation;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.labeledapps.operator.model.Quantities;
import io.labeledapps.operator.model.TemplateHash;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * The rules Kubernetes' pod validation ({@code pkg/apis/core/validation}, 1.20) applies to what the
 * operator puts in a pod and the CRD schema cannot say, checked on the pod template the operator
 * would write: after the namespace conventions' defaults, so that a defaulted request above a
 * declared limit is caught too. Paths name the set's fields ({@code
 * spec.containers[0].env[1].name}). Each rule adds what it finds; none throws on data.
 */
public final class PodRules {
  /** Kubernetes' total size of a object's annotations, keys and values: 256 KiB. */
  public static final int MAX_ANNOTATIONS_BYTES = 256 * 1024;

  private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
  private static final Pattern HTTP_HEADER_NAME = Pattern.compile("[-A-Za-z0-9]+");
  private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern QUALIFIED_NAME =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Set<String> STANDARD_RESOURCES =
      Set.of("cpu", "memory", "ephemeral-storage");
  private static final Set<String> FIELD_PATHS =
      Set.of(
          "metadata.name",
          "metadata.namespace",
          "metadata.uid",
          "spec.nodeName",
          "spec.serviceAccountName",
          "status.hostIP",
          "status.podIP",
          "status.podIPs");
  private static final Pattern FIELD_PATH_KEYED =
      Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");
  private static final Set<String> RESOURCE_FIELDS =
      Set.of(
          "limits.cpu",
          "limits.memory",
          "limits.ephemeral-storage",
          "requests.cpu",
          "requests.memory",
          "requests.ephemeral-storage");

  private PodRules() {}

  /**
   * Every violation in {@code template}, the pod template of a set whose spec passed {@link
   * SpecValidator}.
   */
  public static List<Violation> check(PodTemplateSpec template) {
    List<Violation> out = new ArrayList<>();
    BiConsumer<String, String> report = (field, problem) -> out.add(new Violation(field, problem));
    annotationsSize("spec.annotations", template.getMetadata().getAnnotations(), report);
    var spec = template.getSpec();
    containers("spec.initContainers", spec.getInitContainers(), report);
    containers("spec.containers", spec.getContainers(), report);
    return out;
  }

  /**
   * The pod's annotations, with the template hash the operator adds, stay within Kubernetes' total
   * size.
   */
  static void annotationsSize(
      String path, Map<String, String> annotations, BiConsumer<String, String> report) {
    // the hash annotation's value is 10 hex digits
    long total = TemplateHash.ANNOTATION.length() + 10;
    if (annotations != null) {
      for (var e : annotations.entrySet()) {
        total += (long) bytes(e.getKey()) + bytes(e.getValue());
      }
    }
    if (total > MAX_ANNOTATIONS_BYTES) {
      report.accept(
          path,
          "the pods' annotations take "
              + total
              + " bytes with the operator's "
              + TemplateHash.ANNOTATION
              + "; Kubernetes allows at most "
              + MAX_ANNOTATIONS_BYTES
              + " (256 KiB) in total");
    }
  }

  private static long bytes(String s) {
    return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static void containers(
      String path, List<Container> containers, BiConsumer<String, String> report) {
    if (containers == null) {
      return;
    }
    for (int i = 0; i < containers.size(); i++) {
      Container c = containers.get(i);
      String at = path + "[" + i + "]";
      resources(at + ".resources", c.getResources(), report);
      env(at + ".env", c.getEnv(), report);
      probe(at + ".livenessProbe", c.getLivenessProbe(), true, report);
      probe(at + ".readinessProbe", c.getReadinessProbe(), false, report);
      probe(at + ".startupProbe", c.getStartupProbe(), true, report);
    }
  }

  /**
   * Resource names a container may ask for, quantities in Kubernetes' grammar, requests at most the
   * limits, and what Kubernetes requires of resources that cannot be overcommitted (extended
   * resources, hugepages): a limit, equal to the request, in whole units for extended resources.
   */
  static void resources(String path, ResourceRequirements r, BiConsumer<String, String> report) {
    if (r == null) {
      return;
    }
    Map<String, BigDecimal> limits = quantities(path + ".limits", r.getLimits(), report);
    Map<String, BigDecimal> requests = quantities(path + ".requests", r.getRequests(), report);
    for (var request : requests.entrySet()) {
      requestAgainstLimit(path, request.getKey(), request.getValue(), r, limits, report);
    }
    boolean hugepages =
        limits.keySet().stream().anyMatch(k -> k.startsWith("hugepages-"))
            || requests.keySet().stream().anyMatch(k -> k.startsWith("hugepages-"));
    boolean cpuOrMemory =
        limits.containsKey("cpu")
            || limits.containsKey("memory")
            || requests.containsKey("cpu")
            || requests.containsKey("memory");
    if (hugepages && !cpuOrMemory) {
      report.accept(path, "hugepages need a cpu or memory request or limit as well");
    }
  }

  /**
   * A request is at most its limit; one of a resource that cannot be overcommitted needs a limit,
   * equal to it.
   */
  private static void requestAgainstLimit(
      String path,
      String name,
      BigDecimal request,
      ResourceRequirements r,
      Map<String, BigDecimal> limits,
      BiConsumer<String, String> report) {
    String at = path + ".requests." + name;
    BigDecimal limit = limits.get(name);
    boolean overcommit = overcommitAllowed(name);
    if (limit == null
        && !overcommit
        && (r.getLimits() == null || !r.getLimits().containsKey(name))) {
      report.accept(
          path + ".limits." + name,
          "is required: "
              + name
              + " cannot be overcommitted, so its limit"
              + " must be set (equal to the request)");
    } else if (limit != null && !overcommit && request.compareTo(limit) != 0) {
      report.accept(
          at,
          "must equal the limit "
              + r.getLimits().get(name)
              + ": "
              + name
              + " cannot be overcommitted");
    } else if (limit != null && request.compareTo(limit) > 0) {
      report.accept(
          at,
          r.getRequests().get(name)
              + " is more than the limit "
              + r.getLimits().get(name)
              + "; a request must be at most its limit");
    }
  }

  /** The valid entries of {@code map}, by resource name; the invalid ones are reported. */
  private static Map<String, BigDecimal> quantities(
      String path, Map<String, Quantity> map, BiConsumer<String, String> report) {
    Map<String, BigDecimal> valid = new TreeMap<>();
    if (map == null) {
      return valid;
    }
    map.forEach(
        (name, quantity) -> {
          String at = path + "." + name;
          String nameProblem = resourceNameProblem(name);
          if (nameProblem != null) {
            report.accept(at, nameProblem);
            return;
          }
          Quantities.Parsed parsed = Quantities.parse(quantity);
          if (!parsed.valid()) {
            report.accept(at, parsed.message());
          } else if (extended(name) && parsed.value().stripTrailingZeros().scale() > 0) {
            report.accept(
                at, quantity + " is not a whole number; extended resources are counted in units");
          } else if (name.startsWith("hugepages-") && !multipleOfPageSize(name, parsed.value())) {
            report.accept(
                at,
                quantity
                    + " is not a multiple of the page size "
                    + name.substring("hugepages-".length()));
          } else {
            valid.put(name, parsed.value());
          }
        });
    return valid;
  }

  /** Why Kubernetes refuses {@code name} as a container's resource, or null. */
  static String resourceNameProblem(String name) {
    if (name == null || name.isEmpty()) {
      return "a resource needs a name";
    }
    int slash = name.indexOf('/');
    return slash < 0 ? unprefixedNameProblem(name) : prefixedNameProblem(name, slash);
  }

  /** A resource without a domain: a standard one or hugepages of a page size. */
  private static String unprefixedNameProblem(String name) {
    if (STANDARD_RESOURCES.contains(name)) {
      return null;
    }
    if (name.startsWith("hugepages-")) {
      Quantities.Parsed size = Quantities.parse(name.substring("hugepages-".length()));
      return size.valid() && size.value().signum() > 0
          ? null
          : "'"
              + name
              + "' is not a hugepages resource: write hugepages-<page size>, e.g. hugepages-2Mi";
    }
    return "'"
        + name
        + "' is not a resource a container can ask for: use cpu, memory, ephemeral-storage,"
        + " hugepages-<size>, or an extended resource with a domain, such as example.com/gpu";
  }

  /** A resource with a domain: a qualified name, and an extended one must have a quota name. */
  private static String prefixedNameProblem(String name, int slash) {
    String prefix = name.substring(0, slash);
    String rest = name.substring(slash + 1);
    boolean qualified =
        prefix.length() <= 253
            && DNS_SUBDOMAIN.matcher(prefix).matches()
            && !rest.isEmpty()
            && rest.length() <= 63
            && QUALIFIED_NAME.matcher(rest).matches();
    if (!qualified) {
      return "'"
          + name
          + "' is not a valid resource name (a DNS subdomain, '/', then at most 63 letters, digits,"
          + " '-', '_' or '.', starting and ending alphanumeric)";
    }
    if (nativeResource(name)) {
      return null;
    }
    // the quota's name for it, requests.<name>, must be a qualified name as well
    if (name.startsWith("requests.") || ("requests." + prefix).length() > 253) {
      return "'" + name + "' is not a valid extended resource name";
    }
    return null;
  }

  /** Kubernetes' own resources: no domain, or the kubernetes.io domain. */
  private static boolean nativeResource(String name) {
    return !name.contains("/") || name.contains("kubernetes.io/");
  }

  private static boolean extended(String name) {
    return !nativeResource(name);
  }

  private static boolean overcommitAllowed(String name) {
    return nativeResource(name) && !name.startsWith("hugepages-");
  }

  private static boolean multipleOfPageSize(String name, BigDecimal value) {
    BigDecimal size = Quantities.parse(name.substring("hugepages-".length())).value();
    return size != null && size.signum() > 0 && value.remainder(size).signum() == 0;
  }

  /** Names Kubernetes 1.20 accepts, and exactly one source in each {@code valueFrom}. */
  static void env(String path, List<EnvVar> env, BiConsumer<String, String> report) {
    ListItems.each(
        path,
        env,
        report,
        (at, e) -> {
          String name = e.getName();
          if (name == null || name.isEmpty()) {
            report.accept(at + ".name", "is required");
          } else if (!ENV_NAME.matcher(name).matches() || dots(name)) {
            report.accept(
                at + ".name",
                "'"
                    + abbreviate(name)
                    + "' is not a valid environment variable name (letters,"
                    + " digits, '_', '-' and '.', not starting with a digit, not '.' and not starting with '..')");
          }
          if (e.getValueFrom() != null) {
            valueFrom(at + ".valueFrom", e.getValueFrom(), report);
            PodFieldRules.oneSource(at, e, report);
          }
        });
  }

  /**
   * Each source of {@code from} as Kubernetes validates it (their count: {@link PodFieldRules}).
   */
  private static void valueFrom(String path, EnvVarSource from, BiConsumer<String, String> report) {
    var configMap = from.getConfigMapKeyRef();
    if (configMap != null) {
      keyRef(path + ".configMapKeyRef", configMap.getName(), configMap.getKey(), report);
    }
    var secret = from.getSecretKeyRef();
    if (secret != null) {
      keyRef(path + ".secretKeyRef", secret.getName(), secret.getKey(), report);
    }
    if (from.getFieldRef() != null) {
      fieldRef(path + ".fieldRef", from.getFieldRef(), report);
    }
    if (from.getResourceFieldRef() != null) {
      resourceFieldRef(path + ".resourceFieldRef", from.getResourceFieldRef(), report);
    }
  }

  /** A pod field the downward API offers, in API version v1. */
  private static void fieldRef(
      String path, ObjectFieldSelector ref, BiConsumer<String, String> report) {
    String fieldPath = ref.getFieldPath();
    String apiVersion = ref.getApiVersion();
    if (fieldPath == null || fieldPath.isEmpty()) {
      report.accept(path + ".fieldPath", "is required");
    } else if (!FIELD_PATHS.contains(fieldPath) && !keyedFieldPath(fieldPath)) {
      report.accept(
          path + ".fieldPath",
          "'"
              + abbreviate(fieldPath)
              + "' is not a supported field; use one of "
              + String.join(", ", new java.util.TreeSet<>(FIELD_PATHS))
              + ", metadata.labels['<key>'] or metadata.annotations['<key>']");
    }
    if (apiVersion != null && !apiVersion.isEmpty() && !"v1".equals(apiVersion)) {
      report.accept(
          path + ".apiVersion", "'" + abbreviate(apiVersion) + "' is not supported; use v1");
    }
  }

  /** One of the container's own requests or limits, with a divisor that fits it. */
  private static void resourceFieldRef(
      String path, ResourceFieldSelector ref, BiConsumer<String, String> report) {
    if (ref.getResource() == null || !RESOURCE_FIELDS.contains(ref.getResource())) {
      report.accept(
          path + ".resource",
          "'"
              + abbreviate(String.valueOf(ref.getResource()))
              + "' is not one of "
              + String.join(", ", new java.util.TreeSet<>(RESOURCE_FIELDS)));
    } else if (ref.getDivisor() != null) {
      divisor(path + ".divisor", ref.getResource(), ref.getDivisor(), report);
    }
  }

  private static boolean keyedFieldPath(String fieldPath) {
    var m = FIELD_PATH_KEYED.matcher(fieldPath);
    return m.matches() && SpecValidator.validLabelKey(m.group(2));
  }

  private static void divisor(
      String path, String resource, Quantity divisor, BiConsumer<String, String> report) {
    Quantities.Parsed parsed = Quantities.parse(divisor);
    List<String> allowed =
        resource.endsWith(".cpu")
            ? List.of("1m", "1")
            : List.of(
                "1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei");
    boolean ok =
        parsed.valid()
            && allowed.stream()
                .anyMatch(a -> Quantities.parse(a).value().compareTo(parsed.value()) == 0);
    if (!ok) {
      report.accept(
          path,
          "'"
              + abbreviate(String.valueOf(divisor))
              + "' is not a divisor for "
              + resource
              + " (one of "
              + String.join(", ", allowed)
              + ")");
    }
  }

  private static void keyRef(
      String path, String name, String key, BiConsumer<String, String> report) {
    if (name == null || name.isEmpty()) {
      report.accept(path + ".name", "is required");
    } else if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
      report.accept(
          path + ".name",
          "'"
              + abbreviate(name)
              + "' is not a valid object name (a DNS subdomain:"
              + " lowercase letters, digits, '-' and '.')");
    }
    if (key == null || key.isEmpty()) {
      report.accept(path + ".key", "is required");
    } else if (key.length() > 253 || !CONFIG_KEY.matcher(key).matches() || dots(key)) {
      report.accept(
          path + ".key",
          "'"
              + abbreviate(key)
              + "' is not a valid key (at most 253 letters, digits,"
              + " '-', '_' or '.', not '.' and not starting with '..')");
    }
  }

  /**
   * A probe's handler and timing as Kubernetes validates them: exactly one handler, an exec
   * command, valid header names, timings not negative (0 means the default), a success threshold of
   * 1 for liveness and startup probes.
   */
  static void probe(
      String path, Probe probe, boolean successMustBeOne, BiConsumer<String, String> report) {
    if (probe == null) {
      return;
    }
    if (probe.getExec() != null) {
      List<String> command = probe.getExec().getCommand();
      if (command == null || command.isEmpty()) {
        report.accept(
            path + ".exec.command",
            "is required: the command to run, e.g. [\"cat\", \"/tmp/healthy\"]");
      }
    }
    if (probe.getHttpGet() != null) {
      httpGet(path + ".httpGet", probe.getHttpGet(), report);
    }
    timings(path, probe, successMustBeOne, report);
  }

  /** HTTP or HTTPS; header names are tokens. */
  private static void httpGet(String path, HTTPGetAction get, BiConsumer<String, String> report) {
    var scheme = get.getScheme();
    if (scheme != null && !scheme.isEmpty() && !List.of("HTTP", "HTTPS").contains(scheme)) {
      report.accept(path + ".scheme", "'" + abbreviate(scheme) + "' is not HTTP or HTTPS");
    }
    List<HTTPHeader> headers = get.getHttpHeaders();
    for (int i = 0; headers != null && i < headers.size(); i++) {
      HTTPHeader h = headers.get(i);
      String name = h == null ? null : h.getName();
      if (name == null || !HTTP_HEADER_NAME.matcher(name).matches()) {
        report.accept(
            path + ".httpHeaders[" + i + "].name",
            "'"
                + abbreviate(String.valueOf(name))
                + "' is not an HTTP header name (letters, digits and '-')");
      }
    }
  }

  /** Timings not negative (0 means the default); a success threshold of 1 where required. */
  private static void timings(
      String path, Probe probe, boolean successMustBeOne, BiConsumer<String, String> report) {
    nonNegative(path + ".initialDelaySeconds", probe.getInitialDelaySeconds(), report);
    nonNegative(path + ".timeoutSeconds", probe.getTimeoutSeconds(), report);
    nonNegative(path + ".periodSeconds", probe.getPeriodSeconds(), report);
    nonNegative(path + ".successThreshold", probe.getSuccessThreshold(), report);
    nonNegative(path + ".failureThreshold", probe.getFailureThreshold(), report);
    Integer success = probe.getSuccessThreshold();
    if (successMustBeOne && success != null && success != 0 && success != 1) {
      report.accept(
          path + ".successThreshold", "must be 1 for liveness and startup probes, got " + success);
    }
    Long grace = probe.getTerminationGracePeriodSeconds();
    if (grace != null && grace < 1) {
      report.accept(path + ".terminationGracePeriodSeconds", "must be at least 1, got " + grace);
    }
  }

  private static void nonNegative(String path, Integer value, BiConsumer<String, String> report) {
    if (value != null && value < 0) {
      report.accept(path, "must be 0 or more, got " + value);
    }
  }

  /** Kubernetes refuses '.' and a leading '..' in env names and config keys (paths of files). */
  private static boolean dots(String name) {
    return name.equals(".") || name.startsWith("..");
  }

  /** Long hostile values are cut in messages: the status must stay readable and small. */
  static String abbreviate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 60) + "...(" + s.length() + " characters)";
  }
}

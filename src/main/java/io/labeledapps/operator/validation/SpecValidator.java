package io.labeledapps.operator.validation;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.labeledapps.operator.api.ContainerPortSpec;
import io.labeledapps.operator.api.ContainerSpec;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetSpec;
import io.labeledapps.operator.api.Protocol;
import io.labeledapps.operator.api.ServicePortSpec;
import io.labeledapps.operator.api.ServiceSpec;
import io.labeledapps.operator.api.Syntax;
import io.labeledapps.operator.model.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Every rule of the CRD, applied by the operator itself: the schema's ranges, patterns and sizes
 * (defence in depth) and the CEL rules ({@code x-kubernetes-validations}), which API servers before
 * 1.25 ignore. The one thing it checks that no CEL rule can is the syntax of map keys (label and
 * annotation keys): a rule iterating them would exceed the API server's cost budget. Each rule adds
 * what it finds; {@link #validate} returns all of them so the user sees every problem at once.
 */
public final class SpecValidator {
  private static final Pattern DNS_LABEL = Pattern.compile(Syntax.DNS_LABEL);
  private static final Pattern DNS_1035 = Pattern.compile(Syntax.DNS_1035_LABEL);
  private static final Pattern PORT_NAME = Pattern.compile(Syntax.PORT_NAME);
  private static final Pattern LABEL_VALUE = Pattern.compile(Syntax.LABEL_VALUE);
  private static final Pattern IMAGE = Pattern.compile(Syntax.IMAGE);
  private static final Pattern CIDR = Pattern.compile(Syntax.CIDR);
  private static final Pattern QUALIFIED_NAME = Pattern.compile(Syntax.QUALIFIED_NAME);
  private static final Pattern LABEL_NAME =
      Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** Longest set name whose pod names and label values stay valid. */
  public static final int MAX_NAME_LENGTH = Syntax.MAX_NAME_LENGTH;

  private SpecValidator() {}

  /** Every violation in {@code set}, in a stable order; empty when the set is valid. */
  public static List<Violation> validate(LabeledAppSet set) {
    if (set.getReadingProblem() != null) {
      // a stored spec the Java types cannot hold: its one known violation; the rest of it is
      // unknown
      return List.of(
          new Violation(set.getReadingProblem().field(), set.getReadingProblem().problem()));
    }
    List<Violation> out = new ArrayList<>();
    BiConsumer<String, String> report = (field, problem) -> out.add(new Violation(field, problem));
    LabeledAppSetSpec spec = set.getSpec();
    if (spec == null) {
      report.accept("spec", "is required");
      return out;
    }
    name(set, report);
    replicas(spec, report);
    labels("spec.labels", spec.getLabels(), report);
    reservedLabels(set, report);
    labels("spec.nodeSelector", spec.getNodeSelector(), report);
    annotations(spec.getAnnotations(), report);
    containers(spec, report);
    service(set, report);
    updateStrategy(spec, report);
    PodFieldRules.check(spec, report);
    return out;
  }

  private static final Pattern INT_OR_PERCENT = Pattern.compile("[0-9]+%?");

  static void updateStrategy(LabeledAppSetSpec spec, BiConsumer<String, String> report) {
    var strategy = spec.getUpdateStrategy();
    if (strategy == null) {
      return;
    }
    boolean zero = true;
    Map<String, java.util.Optional<IntOrString>> limits = new java.util.LinkedHashMap<>();
    limits.put("maxSurge", java.util.Optional.ofNullable(strategy.getMaxSurge()));
    limits.put("maxUnavailable", java.util.Optional.ofNullable(strategy.getMaxUnavailable()));
    for (var entry : limits.entrySet()) {
      if (entry.getValue().isEmpty()) {
        zero &= entry.getKey().equals("maxUnavailable");
        continue;
      }
      IntOrString v = entry.getValue().get();
      String text = v.getIntVal() != null ? String.valueOf(v.getIntVal()) : v.getStrVal();
      if (text == null || !INT_OR_PERCENT.matcher(text).matches()) {
        report.accept(
            "spec.updateStrategy." + entry.getKey(),
            "must be a number or a percentage like '25%', got '" + text + "'");
        zero = false;
      } else if (!text.matches("0+%?")) {
        zero = false;
      }
    }
    if (zero && strategy.getType() != io.labeledapps.operator.api.UpdateStrategy.Type.Recreate) {
      report.accept(
          "spec.updateStrategy",
          "maxSurge and maxUnavailable cannot both be 0: the rollout could never progress");
    }
  }

  static void name(LabeledAppSet set, BiConsumer<String, String> report) {
    String name = set.getMetadata().getName();
    if (name == null) {
      return;
    }
    if (name.length() > MAX_NAME_LENGTH) {
      report.accept(
          "metadata.name",
          "is "
              + name.length()
              + " characters; at most "
              + MAX_NAME_LENGTH
              + " so that pod names and label values stay valid");
    }
    if (set.getSpec().getService() != null
        && set.getSpec().getService().getName() == null
        && !DNS_1035.matcher(name).matches()) {
      report.accept(
          "metadata.name",
          "'"
              + name
              + "' cannot name a Service: it must start with a letter"
              + " and hold only lowercase letters, digits and '-' (or set spec.service.name)");
    }
  }

  static void replicas(LabeledAppSetSpec spec, BiConsumer<String, String> report) {
    Integer replicas = spec.getReplicas();
    if (replicas != null && (replicas < 0 || replicas > Syntax.MAX_REPLICAS)) {
      report.accept("spec.replicas", "must be 0-" + Syntax.MAX_REPLICAS + ", got " + replicas);
    }
    Integer deadline = spec.getProgressDeadlineSeconds();
    if (deadline != null && deadline < 1) {
      report.accept("spec.progressDeadlineSeconds", "must be at least 1, got " + deadline);
    }
  }

  static void labels(String path, Map<String, String> labels, BiConsumer<String, String> report) {
    if (labels == null) {
      return;
    }
    labels.forEach(
        (key, value) -> {
          if (!validLabelKey(key)) {
            report.accept(
                path + "[" + key + "]",
                "is not a valid label key (optional DNS prefix/, then a name"
                    + " of at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric)");
          }
          if (value == null || value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
            report.accept(
                path + "[" + key + "]",
                "value '"
                    + value
                    + "' is not a valid label value (at most 63"
                    + " letters, digits, '-', '_' or '.', starting and ending alphanumeric)");
          }
        });
  }

  /** Annotation keys follow the label key syntax; their values are free. */
  static void annotations(Map<String, String> annotations, BiConsumer<String, String> report) {
    if (annotations == null) {
      return;
    }
    annotations.keySet().stream()
        .filter(key -> !validLabelKey(key))
        .forEach(
            key ->
                report.accept(
                    "spec.annotations[" + key + "]",
                    "is not a valid annotation key (optional DNS prefix/,"
                        + " then a name of at most 63 letters, digits, '-', '_' or '.', starting and ending alphanumeric)"));
  }

  static boolean validLabelKey(String key) {
    if (key == null || key.isEmpty()) {
      return false;
    }
    int slash = key.indexOf('/');
    String name = slash < 0 ? key : key.substring(slash + 1);
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      if (prefix.isEmpty() || prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        return false;
      }
    }
    return !name.isEmpty() && name.length() <= 63 && LABEL_NAME.matcher(name).matches();
  }

  static void reservedLabels(LabeledAppSet set, BiConsumer<String, String> report) {
    Map<String, String> labels = set.getSpec().getLabels();
    if (labels == null) {
      return;
    }
    if (labels.containsKey(Labels.SERVICE)) {
      report.accept(
          "spec.labels[" + Labels.SERVICE + "]",
          "is set by the operator on the pods of sets that name"
              + " their Service; use spec.service.name");
    }
    Map<String, String> standard = Labels.standard(set);
    for (String key : Labels.RESERVED.stream().sorted().toList()) {
      if (labels.containsKey(key) && !standard.get(key).equals(labels.get(key))) {
        report.accept(
            "spec.labels[" + key + "]",
            "is set by the operator to '"
                + standard.get(key)
                + "' and cannot be '"
                + labels.get(key)
                + "'");
      }
    }
  }

  static void containers(LabeledAppSetSpec spec, BiConsumer<String, String> report) {
    if (spec.getContainers() == null || spec.getContainers().isEmpty()) {
      report.accept("spec.containers", "needs at least one container");
    }
    listSize("spec.containers", spec.getContainers(), Syntax.MAX_CONTAINERS, "containers", report);
    listSize(
        "spec.initContainers",
        spec.getInitContainers(),
        Syntax.MAX_CONTAINERS,
        "init containers",
        report);
    Map<String, String> names = new HashMap<>();
    Map<String, String> ports = new HashMap<>();
    checkContainers("spec.initContainers", spec.getInitContainers(), true, names, ports, report);
    checkContainers("spec.containers", spec.getContainers(), false, names, ports, report);
  }

  private static void listSize(
      String path, List<?> list, int max, String what, BiConsumer<String, String> report) {
    if (list != null && list.size() > max) {
      report.accept(path, "has " + list.size() + " " + what + "; at most " + max);
    }
  }

  private static void checkContainers(
      String path,
      List<ContainerSpec> containers,
      boolean init,
      Map<String, String> names,
      Map<String, String> ports,
      BiConsumer<String, String> report) {
    ListItems.each(
        path,
        containers,
        report,
        (at, c) -> {
          containerName(at, c.getName(), names, report);
          image(at, c.getImage(), report);
          Set<String> ownPortNames = containerPorts(at, c, ports, report);
          if (init) {
            noProbes(at, c, report);
          }
          probe(at + ".livenessProbe", c.getLivenessProbe(), ownPortNames, report);
          probe(at + ".readinessProbe", c.getReadinessProbe(), ownPortNames, report);
          probe(at + ".startupProbe", c.getStartupProbe(), ownPortNames, report);
        });
  }

  /** A DNS label, unique among the pod's containers, init containers included. */
  private static void containerName(
      String at, String name, Map<String, String> names, BiConsumer<String, String> report) {
    if (name == null || name.isEmpty()) {
      report.accept(at + ".name", "is required");
    } else if (name.length() > 63 || !DNS_LABEL.matcher(name).matches()) {
      report.accept(
          at + ".name", "'" + name + "' is not a DNS label (lowercase letters, digits, '-')");
    } else if (names.putIfAbsent(name, at) != null) {
      report.accept(at + ".name", "'" + name + "' is also the name of " + names.get(name));
    }
  }

  private static void image(String at, String image, BiConsumer<String, String> report) {
    if (image == null || image.isEmpty()) {
      report.accept(at + ".image", "is required");
    } else if (!IMAGE.matcher(image).matches()) {
      report.accept(at + ".image", "'" + image + "' contains whitespace");
    }
  }

  /** Init containers run to completion: a probe on one is refused. */
  private static void noProbes(String at, ContainerSpec c, BiConsumer<String, String> report) {
    Map<String, Probe> probes = new LinkedHashMap<>();
    probes.put("livenessProbe", c.getLivenessProbe());
    probes.put("readinessProbe", c.getReadinessProbe());
    probes.put("startupProbe", c.getStartupProbe());
    probes.forEach(
        (field, probe) -> {
          if (probe != null) {
            report.accept(
                at + "." + field, "init containers run to completion and cannot have probes");
          }
        });
  }

  /**
   * Checks the container's ports against each other and the pod's; returns the container's port
   * names.
   */
  private static Set<String> containerPorts(
      String at, ContainerSpec c, Map<String, String> podPorts, BiConsumer<String, String> report) {
    Set<String> ownPortNames = new HashSet<>();
    List<ContainerPortSpec> cports = c.getPorts() == null ? List.of() : c.getPorts();
    listSize(at + ".ports", cports, Syntax.MAX_PORTS, "ports", report);
    for (int p = 0; p < cports.size(); p++) {
      ContainerPortSpec port = cports.get(p);
      String pat = at + ".ports[" + p + "]";
      if (port == null || port.getContainerPort() == null) {
        report.accept(pat + ".containerPort", "is required");
        continue;
      }
      containerPort(pat, port, podPorts, report);
      if (port.getName() != null) {
        portName(pat + ".name", port.getName(), ownPortNames, report);
      }
    }
    return ownPortNames;
  }

  /** A port number, not declared by another container of the pod with the same protocol. */
  private static void containerPort(
      String pat,
      ContainerPortSpec port,
      Map<String, String> podPorts,
      BiConsumer<String, String> report) {
    portNumber(pat + ".containerPort", port.getContainerPort(), report);
    String key = portKey(port.getContainerPort(), port.getProtocol());
    String previous = podPorts.putIfAbsent(key, pat);
    if (previous != null) {
      report.accept(
          pat + ".containerPort",
          "port "
              + key
              + " is already declared by "
              + previous
              + "; containers of one pod share its network and cannot listen on the same port");
    }
  }

  /** {@code port/protocol}, TCP when no protocol is given. */
  private static String portKey(Integer port, Protocol protocol) {
    return port + "/" + (protocol == null ? "TCP" : protocol);
  }

  /** An IANA service name, unique within the container. */
  private static void portName(
      String path, String name, Set<String> ownPortNames, BiConsumer<String, String> report) {
    if (!PORT_NAME.matcher(name).matches() || !name.matches(".*[a-z].*") || name.contains("--")) {
      report.accept(
          path,
          "'"
              + name
              + "' is not a port name (at most 15 lowercase letters,"
              + " digits and '-', with at least one letter, no '--', starting and ending alphanumeric)");
    }
    if (!ownPortNames.add(name)) {
      report.accept(path, "'" + name + "' is declared twice in this container");
    }
  }

  static void probe(
      String path, Probe probe, Set<String> portNames, BiConsumer<String, String> report) {
    if (probe == null) {
      return;
    }
    // the CRD has no grpc handler (Kubernetes 1.24+): the API server prunes it
    int handlers =
        (probe.getExec() != null ? 1 : 0)
            + (probe.getHttpGet() != null ? 1 : 0)
            + (probe.getTcpSocket() != null ? 1 : 0);
    if (handlers != 1) {
      report.accept(path, "needs exactly one of exec, httpGet, tcpSocket (found " + handlers + ")");
    }
    if (probe.getHttpGet() != null) {
      probePort(path + ".httpGet.port", probe.getHttpGet().getPort(), portNames, report);
    }
    if (probe.getTcpSocket() != null) {
      probePort(path + ".tcpSocket.port", probe.getTcpSocket().getPort(), portNames, report);
    }
  }

  private static void probePort(
      String path, IntOrString port, Set<String> portNames, BiConsumer<String, String> report) {
    if (port == null || (port.getIntVal() == null && port.getStrVal() == null)) {
      report.accept(path, "is required");
    } else if (port.getStrVal() != null && !portNames.contains(port.getStrVal())) {
      report.accept(
          path,
          "names port '" + port.getStrVal() + "' but the container declares no port of that name");
    } else {
      portNumber(path, port.getIntVal(), report);
    }
  }

  /** A port number, when there is one, is 1-65535. */
  static void portNumber(String path, Integer port, BiConsumer<String, String> report) {
    if (port != null && (port < 1 || port > 65535)) {
      report.accept(path, "must be 1-65535, got " + port);
    }
  }

  static void service(LabeledAppSet set, BiConsumer<String, String> report) {
    ServiceSpec service = set.getSpec().getService();
    if (service == null) {
      return;
    }
    boolean nodePort =
        service.getType() == ServiceSpec.Type.NodePort
            || service.getType() == ServiceSpec.Type.LoadBalancer;
    if (!nodePort && service.getExternalTrafficPolicy() != null) {
      report.accept(
          "spec.service.externalTrafficPolicy",
          "is only allowed with type NodePort or LoadBalancer");
    }
    loadBalancer(service, report);
    serviceName(service.getName(), report);
    List<ServicePortSpec> ports = service.getPorts() == null ? List.of() : service.getPorts();
    if (ports.isEmpty()) {
      report.accept("spec.service.ports", "needs at least one port");
    }
    listSize("spec.service.ports", ports, Syntax.MAX_SERVICE_PORTS, "ports", report);
    ServicePorts seen = new ServicePorts(ports.size() > 1, nodePort, containerPortNames(set));
    for (int i = 0; i < ports.size(); i++) {
      servicePort("spec.service.ports[" + i + "]", ports.get(i), seen, report);
    }
  }

  private static void serviceName(String name, BiConsumer<String, String> report) {
    if (name != null && (name.length() > 63 || !DNS_1035.matcher(name).matches())) {
      report.accept(
          "spec.service.name",
          "'"
              + name
              + "' is not a valid Service name (at most 63"
              + " lowercase letters, digits and '-', starting with a letter and ending alphanumeric)");
    }
  }

  /** The names of the containers' ports, which a Service port's targetPort may name. */
  private static Set<String> containerPortNames(LabeledAppSet set) {
    Set<String> names = new HashSet<>();
    if (set.getSpec().getContainers() != null) {
      set.getSpec().getContainers().stream()
          .filter(c -> c != null && c.getPorts() != null)
          .flatMap(c -> c.getPorts().stream())
          .filter(p -> p != null && p.getName() != null)
          .forEach(p -> names.add(p.getName()));
    }
    return names;
  }

  /**
   * What the Service's ports are checked against: the Service itself ({@code multiple} ports, a
   * {@code nodePort} type), the containers' port names, and the names and numbers of the ports
   * before.
   */
  private record ServicePorts(
      boolean multiple,
      boolean nodePort,
      Set<String> containerPortNames,
      Set<String> names,
      Set<String> numbers,
      Set<Integer> nodePorts) {
    ServicePorts(boolean multiple, boolean nodePort, Set<String> containerPortNames) {
      this(
          multiple,
          nodePort,
          containerPortNames,
          new HashSet<>(),
          new HashSet<>(),
          new HashSet<>());
    }
  }

  private static void servicePort(
      String at, ServicePortSpec p, ServicePorts seen, BiConsumer<String, String> report) {
    if (p == null || p.getPort() == null) {
      report.accept(at + ".port", "is required");
      return;
    }
    portNumber(at + ".port", p.getPort(), report);
    servicePortName(at + ".name", p.getName(), seen, report);
    String key = portKey(p.getPort(), p.getProtocol());
    if (!seen.numbers().add(key)) {
      report.accept(at + ".port", key + " is used by another port");
    }
    targetPort(at + ".targetPort", p.getTargetPort(), seen.containerPortNames(), report);
    if (p.getNodePort() != null) {
      nodePort(at + ".nodePort", p.getNodePort(), seen, report);
    }
  }

  /** Required when the Service has several ports; a DNS label, unique among them. */
  private static void servicePortName(
      String path, String name, ServicePorts seen, BiConsumer<String, String> report) {
    if (name == null && seen.multiple()) {
      report.accept(path, "is required when the Service has more than one port");
    } else if (name != null && (name.length() > 63 || !DNS_LABEL.matcher(name).matches())) {
      report.accept(path, "'" + name + "' is not a DNS label (lowercase letters, digits, '-')");
    } else if (name != null && !seen.names().add(name)) {
      report.accept(path, "'" + name + "' is used by another port");
    }
  }

  /** A number, or the name of a container's port. */
  private static void targetPort(
      String path,
      IntOrString target,
      Set<String> containerPortNames,
      BiConsumer<String, String> report) {
    if (target != null
        && target.getStrVal() != null
        && !containerPortNames.contains(target.getStrVal())) {
      report.accept(
          path,
          "names port '" + target.getStrVal() + "' but no container declares a port of that name");
    } else if (target != null) {
      portNumber(path, target.getIntVal(), report);
    }
  }

  /** Only with a type that opens node ports; in their range; unique among the ports. */
  private static void nodePort(
      String path, int nodePort, ServicePorts seen, BiConsumer<String, String> report) {
    if (!seen.nodePort()) {
      report.accept(path, "is only allowed with type NodePort or LoadBalancer");
    } else if (nodePort < 30000 || nodePort > 32767) {
      report.accept(path, "must be 30000-32767, got " + nodePort);
    } else if (!seen.nodePorts().add(nodePort)) {
      report.accept(path, nodePort + " is used by another port");
    }
  }

  /**
   * The LoadBalancer fields: only with that type; source ranges are CIDRs; annotation keys are
   * keys.
   */
  static void loadBalancer(ServiceSpec service, BiConsumer<String, String> report) {
    boolean loadBalancer = service.getType() == ServiceSpec.Type.LoadBalancer;
    List<String> ranges = service.getLoadBalancerSourceRanges();
    if (ranges != null && !ranges.isEmpty() && !loadBalancer) {
      report.accept(
          "spec.service.loadBalancerSourceRanges", "is only allowed with type LoadBalancer");
    }
    loadBalancerClass(service.getLoadBalancerClass(), loadBalancer, report);
    sourceRanges(ranges, report);
    serviceAnnotations(service.getAnnotations(), report);
  }

  private static void loadBalancerClass(
      String lbClass, boolean loadBalancer, BiConsumer<String, String> report) {
    if (lbClass != null && !loadBalancer) {
      report.accept("spec.service.loadBalancerClass", "is only allowed with type LoadBalancer");
    }
    if (lbClass != null && (lbClass.length() > 253 || !QUALIFIED_NAME.matcher(lbClass).matches())) {
      report.accept(
          "spec.service.loadBalancerClass",
          "'" + lbClass + "' is not a qualified name such as example.com/internal-vip");
    }
  }

  private static void sourceRanges(List<String> ranges, BiConsumer<String, String> report) {
    listSize(
        "spec.service.loadBalancerSourceRanges",
        ranges,
        Syntax.MAX_SOURCE_RANGES,
        "source ranges",
        report);
    if (ranges == null) {
      return;
    }
    for (int i = 0; i < ranges.size(); i++) {
      if (!validCidr(ranges.get(i))) {
        report.accept(
            "spec.service.loadBalancerSourceRanges[" + i + "]",
            "'" + ranges.get(i) + "' is not a CIDR such as 203.0.113.0/24 or 2001:db8::/32");
      }
    }
  }

  /** At most so many; keys are annotation keys outside the operator's domain; values bounded. */
  private static void serviceAnnotations(
      Map<String, String> annotations, BiConsumer<String, String> report) {
    if (annotations == null) {
      return;
    }
    if (annotations.size() > Syntax.MAX_SERVICE_ANNOTATIONS) {
      report.accept(
          "spec.service.annotations",
          "has " + annotations.size() + " entries; at most " + Syntax.MAX_SERVICE_ANNOTATIONS);
    }
    annotations.forEach(
        (key, value) -> {
          if (!validLabelKey(key) || key.startsWith("labeledapps.io/")) {
            report.accept(
                "spec.service.annotations[" + key + "]",
                "is not a valid annotation key (optional DNS"
                    + " prefix/, then a name of at most 63 letters, digits, '-', '_' or '.'; not labeledapps.io/)");
          }
          if (value != null && value.length() > 4096) {
            report.accept(
                "spec.service.annotations[" + key + "]",
                "value is " + value.length() + " characters; at most 4096");
          }
        });
  }

  /**
   * An IPv4 or IPv6 address with a prefix length that fits it, as Kubernetes' ParseCIDR reads it.
   */
  static boolean validCidr(String cidr) {
    if (cidr == null || cidr.length() > 43 || !CIDR.matcher(cidr).matches()) {
      return false;
    }
    int slash = cidr.lastIndexOf('/');
    String address = cidr.substring(0, slash);
    int prefix = Integer.parseInt(cidr.substring(slash + 1));
    if (!address.contains(":")) {
      return validIpv4(address) && prefix <= 32;
    }
    return validIpv6(address) && prefix <= 128;
  }

  private static boolean validIpv4(String address) {
    String[] octets = address.split("\\.", -1);
    if (octets.length != 4) {
      return false;
    }
    for (String octet : octets) {
      if (octet.isEmpty()
          || octet.length() > 3
          || !octet.chars().allMatch(Character::isDigit)
          || Integer.parseInt(octet) > 255
          || (octet.length() > 1 && octet.startsWith("0"))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Eight groups of 1-4 hex digits, '::' once for a run of zero groups, the last two may be IPv4.
   */
  private static boolean validIpv6(String address) {
    int compressed = address.indexOf("::");
    if (compressed >= 0 && address.indexOf("::", compressed + 1) >= 0) {
      return false;
    }
    List<String> groups = new ArrayList<>();
    for (String part :
        compressed >= 0
            ? new String[] {address.substring(0, compressed), address.substring(compressed + 2)}
            : new String[] {address}) {
      if (!part.isEmpty()) {
        groups.addAll(List.of(part.split(":", -1)));
      }
    }
    int count = 0;
    for (int i = 0; i < groups.size(); i++) {
      String g = groups.get(i);
      if (i == groups.size() - 1 && g.contains(".")) {
        if (!validIpv4(g)) {
          return false;
        }
        count += 2;
      } else if (g.isEmpty()
          || g.length() > 4
          || !g.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        return false;
      } else {
        count++;
      }
    }
    return compressed >= 0 ? count < 8 : count == 8;
  }
}

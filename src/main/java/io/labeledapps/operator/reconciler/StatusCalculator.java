package io.labeledapps.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.LoadBalancerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetStatus;
import io.labeledapps.operator.api.ServiceStatus;
import io.labeledapps.operator.conventions.ConventionViolation;
import io.labeledapps.operator.model.Labels;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The one place status is computed. Pure: the clock comes in as {@code now}. */
public final class StatusCalculator {
  public static final String READY = "Ready";
  public static final String PROGRESSING = "Progressing";
  public static final String DEGRADED = "Degraded";
  public static final String CONVENTIONS_MET = "ConventionsMet";
  public static final String SERVICE_ROUTED = "ServiceRouted";
  public static final String PAUSED = "Paused";
  static final List<String> PHASES = List.of("Pending", "Running", "Succeeded", "Failed", "Unknown");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private StatusCalculator() {}

  /**
   * What the reconciler saw and did.
   *
   * @param counted pods counting toward spec.replicas after this pass's deletions
   * @param observed every controlled, selector-matching, non-terminating pod (for podPhases)
   * @param service the set's Service, if it exists
   * @param problems what the user must fix
   * @param pending true while creates or deletes are in flight
   * @param serviceHandover what of the Service waits for the rollout (a selector switch, a Service
   *     left), or null
   */
  public record Observation(List<Pod> counted, List<Pod> observed, Service service, Endpoints endpoints,
      List<Problem> problems, List<ConventionViolation> conventionViolations, List<String> defaultsApplied,
      String desiredHash, boolean pending, boolean paused, String serviceHandover) {

    public Observation(List<Pod> counted, List<Pod> observed, Service service, Endpoints endpoints,
        List<Problem> problems, List<ConventionViolation> conventionViolations, List<String> defaultsApplied,
        String desiredHash, boolean pending, boolean paused) {
      this(counted, observed, service, endpoints, problems, conventionViolations, defaultsApplied, desiredHash,
          pending, paused, null);
    }

    /** An observation with no conventions and no endpoints, for tests and simple callers. */
    public Observation(List<Pod> counted, List<Pod> observed, Service service, List<Problem> problems,
        String desiredHash, boolean pending) {
      this(counted, observed, service, null, problems, List.of(), List.of(), desiredHash, pending, false);
    }
  }

  /** As below, with every ready pod counted as available (no clock). */
  public static LabeledAppSetStatus compute(LabeledAppSet set, Observation o, String now) {
    return compute(set, o, now, null);
  }

  /**
   * The status. {@code clock} (the instant {@code now} is the text of) decides which ready pods have
   * been ready for spec.minReadySeconds; null counts every ready pod as available.
   */
  public static LabeledAppSetStatus compute(LabeledAppSet set, Observation o, String now, Instant clock) {
    int minReady = PodState.minReadySeconds(set.getSpec());
    int want = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
    long generation = set.getMetadata().getGeneration() == null ? 0 : set.getMetadata().getGeneration();
    LabeledAppSetStatus previous = set.getStatus();
    LabeledAppSetStatus status = new LabeledAppSetStatus();
    status.setObservedGeneration(generation);
    int replicas = o.counted().size();
    int ready = (int) o.counted().stream().filter(PodState::isReady).count();
    int updated = (int) o.counted().stream().filter(p -> o.desiredHash().equals(PodState.templateHash(p))).count();
    status.setReplicas(replicas);
    status.setReadyReplicas(ready);
    int available = (int) o.counted().stream().filter(p -> PodState.isAvailable(p, minReady, clock)).count();
    status.setAvailableReplicas(available);
    status.setUpdatedReplicas(updated);
    status.setSelector(Labels.selectorString(set));
    Map<String, Integer> phases = new LinkedHashMap<>();
    PHASES.forEach(p -> phases.put(p, 0));
    o.observed().forEach(p -> phases.merge(PHASES.contains(PodState.phase(p)) ? PodState.phase(p) : "Unknown", 1, Integer::sum));
    status.setPodPhases(phases);
    status.setService(serviceStatus(set, o.service()));
    status.setLoadBalancer(loadBalancer(o.service()));

    boolean rolling = !o.desiredHash().isEmpty() && updated < replicas;
    status.setLastProgressTime(lastProgressTime(previous, generation, rolling, updated, ready, now));
    boolean deadlineExceeded = rolling && status.getLastProgressTime() != null
        && Instant.parse(status.getLastProgressTime()).plusSeconds(Rollout.progressDeadlineSeconds(set.getSpec()))
            .isBefore(Instant.parse(now));
    boolean wantsService = set.getSpec().getService() != null;
    boolean serviceOk = !wantsService || o.service() != null;
    Condition readyCondition;
    Condition progressing;
    if (!o.problems().isEmpty()) {
      Problem first = o.problems().get(0);
      String message = String.join("; ", o.problems().stream().map(Problem::message).toList());
      readyCondition = condition(READY, "False", first.reason(), message, generation);
      progressing = condition(PROGRESSING, "False", first.reason(), message, generation);
    } else {
      boolean converged = replicas == want && ready == want && available == want && updated == want && serviceOk
          && !o.pending();
      String readiness = ready + " of " + want + " pods ready"
          + (minReady > 0 ? ", " + available + " available (ready for " + minReady + "s)" : "");
      readyCondition = converged
          ? condition(READY, "True", "AllPodsReady", readiness, generation)
          : condition(READY, "False", serviceOk ? "PodsNotReady" : "ServiceMissing",
              readiness + (serviceOk ? "" : "; Service not created yet"), generation);
      if (o.paused()) {
        progressing = condition(PROGRESSING, "False", "Paused",
            "labeledapps.io/paused is \"true\": pods and Service are left as they are", generation);
      } else if (converged) {
        progressing = condition(PROGRESSING, "False", "Complete", "all " + want + " pods run the current template", generation);
      } else if (deadlineExceeded) {
        progressing = condition(PROGRESSING, "False", "ProgressDeadlineExceeded", "the rollout made no progress for "
            + Rollout.progressDeadlineSeconds(set.getSpec()) + "s and stopped: " + updated + " of " + want
            + " pods run the current template, " + ready + " ready; fix the template (see the Degraded condition)",
            generation);
      } else if (updated < replicas) {
        progressing = condition(PROGRESSING, "True", "RollingUpdate",
            updated + " of " + want + " pods run the current template", generation);
      } else if (replicas < want) {
        progressing = condition(PROGRESSING, "True", "ScalingUp", replicas + " of " + want + " pods exist", generation);
      } else if (replicas > want) {
        progressing = condition(PROGRESSING, "True", "ScalingDown", replicas + " pods exist, " + want + " wanted", generation);
      } else {
        progressing = condition(PROGRESSING, "True", "WaitingForPods", readiness, generation);
      }
    }
    List<Condition> conditions = new ArrayList<>();
    conditions.add(readyCondition);
    conditions.add(progressing);
    conditions.add(PodDiagnosis.degraded(o.counted(), generation));
    conditions.add(conventionsMet(o, generation));
    if (wantsService) {
      conditions.add(serviceRouted(set, o, ready, generation));
    }
    conditions.add(o.paused()
        ? condition(PAUSED, "True", "Paused", "labeledapps.io/paused is \"true\"", generation)
        : condition(PAUSED, "False", "NotPaused", "changes are applied", generation));
    status.setConditions(conditions.stream().map(c -> keepTransitionTime(c, previous, now)).toList());
    status.setPhaseSummary(PHASES.stream().filter(p -> phases.get(p) > 0).map(p -> p + ":" + phases.get(p))
        .reduce((a, b) -> a + " " + b).orElse("-"));
    return status;
  }

  /**
   * Moves when a rollout starts (or the spec changes) and each time it makes progress (more pods on
   * the current template, or more ready pods); cleared when no rollout is under way.
   */
  private static String lastProgressTime(LabeledAppSetStatus previous, long generation, boolean rolling,
      int updated, int ready, String now) {
    if (!rolling) {
      return null;
    }
    if (previous == null || previous.getLastProgressTime() == null
        || !Objects.equals(previous.getObservedGeneration(), generation)
        || updated > orZero(previous.getUpdatedReplicas()) || ready > orZero(previous.getReadyReplicas())) {
      return now;
    }
    return previous.getLastProgressTime();
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }

  private static Condition conventionsMet(Observation o, long generation) {
    if (!o.conventionViolations().isEmpty()) {
      String message = o.conventionViolations().stream().map(ConventionViolation::message)
          .collect(Collectors.joining("; "));
      int running = o.counted().size();
      return condition(CONVENTIONS_MET, "False", o.conventionViolations().get(0).rule(), message
          + ". Nothing is created or changed until this is fixed"
          + (running > 0 ? "; the " + running + " pod" + (running == 1 ? "" : "s") + " already running "
              + (running == 1 ? "is" : "are") + " kept" : ""), generation);
    }
    return condition(CONVENTIONS_MET, "True", "Compliant", o.defaultsApplied().isEmpty()
        ? "all namespace conventions are met"
        : "defaults applied: " + String.join("; ", o.defaultsApplied()), generation);
  }

  private static Condition serviceRouted(LabeledAppSet set, Observation o, int readyPods, long generation) {
    Service service = o.service();
    Problem serviceProblem = o.problems().stream()
        .filter(p -> p.reason().equals("ServiceConflict") || p.reason().equals("ServiceFailed"))
        .findFirst().orElse(null);
    if (serviceProblem != null && service == null) {
      return condition(SERVICE_ROUTED, "False", serviceProblem.reason(), serviceProblem.message(), generation);
    }
    if (service == null) {
      return condition(SERVICE_ROUTED, "False", "ServiceMissing", "the Service does not exist", generation);
    }
    String hint = "";
    String type = service.getSpec().getType();
    if (("NodePort".equals(type) || "LoadBalancer".equals(type)) && service.getSpec().getPorts() != null) {
      hint = "; node ports " + service.getSpec().getPorts().stream().map(ServicePort::getNodePort)
          .filter(Objects::nonNull).map(String::valueOf).collect(Collectors.joining(", "))
          + ("NodePort".equals(type)
              ? " (minikube service " + service.getMetadata().getName() + " -n " + set.getMetadata().getNamespace() + ")"
              : "");
    }
    if ("LoadBalancer".equals(type)) {
      List<String> addresses = externalAddresses(service);
      hint += addresses.isEmpty()
          ? "; waiting for the load balancer's external address (the cluster's cloud provider or load balancer"
              + " plugin assigns it; on minikube run 'minikube tunnel')"
          : "; external address " + String.join(", ", addresses);
      String wantedClass = set.getSpec().getService() == null ? null : set.getSpec().getService().getLoadBalancerClass();
      if (wantedClass != null && service.getSpec().getLoadBalancerClass() == null) {
        hint += "; the API server did not keep loadBalancerClass " + wantedClass
            + " (Kubernetes before 1.22 does not know the field): the cluster's default load balancer serves it";
      }
    }
    if (o.serviceHandover() != null) {
      hint += "; " + o.serviceHandover();
    }
    if (readyPods == 0) {
      return condition(SERVICE_ROUTED, "False", "NoReadyPods",
          "the selector " + Labels.selectorString(set) + " matches no ready pod" + hint, generation);
    }
    Set<String> ownReady = o.counted().stream().filter(PodState::isReady).map(p -> p.getMetadata().getName())
        .collect(Collectors.toSet());
    int endpoints = readyEndpoints(o.endpoints(), ownReady);
    if (endpoints < readyPods) {
      return condition(SERVICE_ROUTED, "False", "EndpointsPending",
          endpoints + " of " + readyPods + " ready pods are endpoints of the Service" + hint, generation);
    }
    return condition(SERVICE_ROUTED, "True", "EndpointsReady",
        endpoints + " ready endpoint" + (endpoints == 1 ? "" : "s") + hint, generation);
  }

  /**
   * How long until the first of {@code pods} that is ready but not yet available becomes available;
   * empty when none is waiting (no pod event marks that moment, so the reconciler looks again then).
   */
  public static java.util.Optional<java.time.Duration> nextAvailable(LabeledAppSet set, List<Pod> pods, Instant now) {
    int minReady = PodState.minReadySeconds(set.getSpec());
    return pods.stream().map(p -> PodState.availableAt(p, minReady)).flatMap(java.util.Optional::stream)
        .filter(at -> at.isAfter(now)).min(Instant::compareTo)
        .map(at -> java.time.Duration.between(now, at).plusMillis(100));
  }

  /** Distinct ready addresses over all subsets (one per pod, whatever its number of ports). */
  static int readyEndpoints(Endpoints endpoints) {
    return readyEndpoints(endpoints, null);
  }

  /**
   * As {@link #readyEndpoints(Endpoints)}, counting only the pods named in {@code pods} (a set's own,
   * when other sets share its Service); all of them when {@code pods} is null.
   */
  static int readyEndpoints(Endpoints endpoints, Set<String> pods) {
    if (endpoints == null || endpoints.getSubsets() == null) {
      return 0;
    }
    return (int) endpoints.getSubsets().stream()
        .filter(s -> s.getAddresses() != null)
        .flatMap(s -> s.getAddresses().stream())
        .filter(a -> pods == null || (a.getTargetRef() != null && pods.contains(a.getTargetRef().getName())))
        .map(a -> a.getTargetRef() != null ? a.getTargetRef().getName() : a.getIp())
        .distinct()
        .count();
  }

  /** The load balancer's IPs or host names, in the Service's order. */
  static List<String> externalAddresses(Service service) {
    if (service.getStatus() == null || service.getStatus().getLoadBalancer() == null
        || service.getStatus().getLoadBalancer().getIngress() == null) {
      return List.of();
    }
    return service.getStatus().getLoadBalancer().getIngress().stream()
        .map(i -> i.getIp() != null ? i.getIp() : i.getHostname())
        .filter(Objects::nonNull)
        .toList();
  }

  /** The Service's load balancer addresses (ip and hostname only), or null while it has none. */
  private static LoadBalancerStatus loadBalancer(Service service) {
    if (service == null || !"LoadBalancer".equals(service.getSpec().getType()) || externalAddresses(service).isEmpty()) {
      return null;
    }
    return new LoadBalancerStatusBuilder()
        .withIngress(service.getStatus().getLoadBalancer().getIngress().stream()
            .filter(i -> i.getIp() != null || i.getHostname() != null)
            .map(i -> new LoadBalancerIngressBuilder().withIp(i.getIp()).withHostname(i.getHostname()).build())
            .toList())
        .build();
  }

  private static ServiceStatus serviceStatus(LabeledAppSet set, Service service) {
    if (service == null) {
      return null;
    }
    ServiceStatus s = new ServiceStatus();
    s.setName(service.getMetadata().getName());
    s.setType(service.getSpec().getType());
    s.setClusterIP(service.getSpec().getClusterIP());
    List<Integer> nodePorts = new ArrayList<>();
    if (service.getSpec().getPorts() != null) {
      service.getSpec().getPorts().stream().map(ServicePort::getNodePort).filter(Objects::nonNull).forEach(nodePorts::add);
    }
    s.setNodePorts(nodePorts.isEmpty() ? null : nodePorts);
    if ("LoadBalancer".equals(service.getSpec().getType())) {
      List<String> addresses = externalAddresses(service);
      s.setExternalIP(addresses.isEmpty() ? "<pending>" : String.join(",", addresses));
    }
    List<String> others = ServiceReconciler.setOwners(service).stream()
        .filter(r -> !Objects.equals(r.getUid(), set.getMetadata().getUid()))
        .map(r -> r.getName()).sorted().toList();
    s.setSharedWith(others.isEmpty() ? null : others);
    return s;
  }

  static Condition condition(String type, String status, String reason, String message, long generation) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .build();
  }

  /** lastTransitionTime moves only when the condition's status does. */
  private static Condition keepTransitionTime(Condition c, LabeledAppSetStatus previous, String now) {
    String time = now;
    if (previous != null && previous.getConditions() != null) {
      for (Condition p : previous.getConditions()) {
        if (c.getType().equals(p.getType()) && c.getStatus().equals(p.getStatus()) && p.getLastTransitionTime() != null) {
          time = p.getLastTransitionTime();
        }
      }
    }
    c.setLastTransitionTime(time);
    return c;
  }

  /** Compares as JSON, so an absent list and an empty one written by an older version differ only if they serialize differently. */
  public static boolean same(LabeledAppSetStatus a, LabeledAppSetStatus b) {
    if (a == null || b == null) {
      return a == b;
    }
    return MAPPER.valueToTree(a).equals(MAPPER.valueToTree(b));
  }

  /**
   * What differs between two statuses, field by field ({@code readyReplicas: 2 -> 3},
   * {@code conditions[Ready].status: False -> True}): why a status write happened, for the log.
   */
  public static List<String> differences(LabeledAppSetStatus before, LabeledAppSetStatus after) {
    List<String> out = new ArrayList<>();
    diff(flatten(before), flatten(after), out);
    return out;
  }

  private static Map<String, JsonNode> flatten(LabeledAppSetStatus status) {
    Map<String, JsonNode> fields = new TreeMap<>();
    if (status == null) {
      return fields;
    }
    JsonNode tree = MAPPER.valueToTree(status);
    tree.fields().forEachRemaining(e -> {
      if (e.getKey().equals("conditions") && e.getValue().isArray()) {
        // conditions by type, not by position
        e.getValue().forEach(c -> c.fields().forEachRemaining(cf -> {
          if (!cf.getKey().equals("type")) {
            fields.put("conditions[" + c.path("type").asText() + "]." + cf.getKey(), cf.getValue());
          }
        }));
      } else {
        fields.put(e.getKey(), e.getValue());
      }
    });
    return fields;
  }

  private static void diff(Map<String, JsonNode> before,
      Map<String, JsonNode> after, List<String> out) {
    SortedSet<String> keys = new TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    for (String key : keys) {
      var b = before.get(key);
      var a = after.get(key);
      if (!Objects.equals(b, a)) {
        out.add(key + ": " + (b == null ? "(none)" : b) + " -> " + (a == null ? "(none)" : a));
      }
    }
  }

  /** The condition of {@code type} in {@code status}, or null. */
  public static Condition find(LabeledAppSetStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return null;
    }
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }
}

package io.labeledapps.operator.observability;

import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator's own series, next to JOSDK's {@code operator_sdk_*}. Labels are bounded: namespace
 * and set name at most, never pod names. A deleted set's series are removed.
 *
 * <pre>
 * labeledappset_pods_desired{namespace,name}            gauge
 * labeledappset_pods_existing{namespace,name}           gauge
 * labeledappset_pods_ready{namespace,name}              gauge
 * labeledappset_pods_phase{namespace,name,phase}        gauge
 * labeledappset_condition{namespace,name,condition}     gauge, 1 when the condition is True
 * labeledappset_pods_creations_total{namespace,name,reason} counter (not "_created": Prometheus reserves that suffix)
 * labeledappset_pods_deleted_total{namespace,name,reason}   counter
 * labeledappset_convention_violations_total{namespace,rule} counter
 * labeledappset_api_errors_total{operation,code}        counter
 * labeledappset_unreadable_objects_total{kind,namespace} counter
 * </pre>
 */
public final class OperatorMetrics {
  public static final List<String> CONDITIONS = List.of("Ready", "Progressing", "Degraded", "ConventionsMet", "ServiceRouted");
  static final List<String> PHASES = List.of("Pending", "Running", "Succeeded", "Failed", "Unknown");

  private final MeterRegistry registry;
  private final Map<String, SetGauges> sets = new ConcurrentHashMap<>();

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  private final class SetGauges {
    final AtomicInteger desired = new AtomicInteger();
    final AtomicInteger existing = new AtomicInteger();
    final AtomicInteger ready = new AtomicInteger();
    final Map<String, AtomicInteger> phases = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> conditions = new ConcurrentHashMap<>();
    final List<Meter> meters = new ArrayList<>();

    SetGauges(String namespace, String name) {
      Tags tags = Tags.of("namespace", namespace, "name", name);
      meters.add(gauge("labeledappset.pods.desired", "Pods the set's spec asks for", tags, desired));
      meters.add(gauge("labeledappset.pods.existing", "Pods of the set that exist and are not terminating", tags, existing));
      meters.add(gauge("labeledappset.pods.ready", "Pods of the set whose Ready condition is True", tags, ready));
      for (String phase : PHASES) {
        AtomicInteger value = new AtomicInteger();
        phases.put(phase, value);
        meters.add(gauge("labeledappset.pods.phase", "Pods of the set per phase", tags.and("phase", phase), value));
      }
      for (String condition : CONDITIONS) {
        AtomicInteger value = new AtomicInteger();
        conditions.put(condition, value);
        meters.add(gauge("labeledappset.condition", "1 when the set's condition is True, else 0",
            tags.and("condition", condition), value));
      }
    }

    private Meter gauge(String name, String help, Tags tags, AtomicInteger value) {
      return Gauge.builder(name, value, AtomicInteger::get).description(help).tags(tags).register(registry);
    }
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  /** Sets the gauges of {@code set} from the status just computed. */
  public void recordStatus(LabeledAppSet set, LabeledAppSetStatus status) {
    String ns = set.getMetadata().getNamespace();
    String name = set.getMetadata().getName();
    SetGauges g = sets.computeIfAbsent(key(ns, name), k -> new SetGauges(ns, name));
    g.desired.set(set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas());
    g.existing.set(status.getReplicas() == null ? 0 : status.getReplicas());
    g.ready.set(status.getReadyReplicas() == null ? 0 : status.getReadyReplicas());
    g.phases.forEach((phase, value) -> value.set(status.getPodPhases() == null ? 0
        : status.getPodPhases().getOrDefault(phase, 0)));
    g.conditions.forEach((type, value) -> value.set(status.getConditions() == null ? 0
        : status.getConditions().stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus())) ? 1 : 0));
  }

  public void podsCreated(LabeledAppSet set, String reason, int count) {
    counter("labeledappset.pods.creations", "Pods created by the operator", set, reason).increment(count);
  }

  public void podsDeleted(LabeledAppSet set, String reason, int count) {
    counter("labeledappset.pods.deleted", "Pods deleted by the operator", set, reason).increment(count);
  }

  private Counter counter(String name, String help, LabeledAppSet set, String reason) {
    return Counter.builder(name).description(help)
        .tags("namespace", set.getMetadata().getNamespace(), "name", set.getMetadata().getName(), "reason", reason)
        .register(registry);
  }

  public void conventionViolation(String namespace, String rule) {
    Counter.builder("labeledappset.convention.violations").description("Convention violations found, by rule")
        .tags("namespace", namespace, "rule", rule).register(registry).increment();
  }

  /** An API call that failed; {@code code} is the HTTP status, 0 for no answer. */
  public void apiError(String operation, int code) {
    Counter.builder("labeledappset.api.errors").description("Kubernetes API calls that failed")
        .tags("operation", operation, "code", Integer.toString(code)).register(registry).increment();
  }

  /**
   * An object stored on the server that the operator cannot read into its types: a LabeledAppSet
   * (counted once per generation, reported as InvalidSpec) or another object (left out of its
   * informer's cache, counted each time a list or watch event brings it).
   */
  public void unreadable(String kind, String namespace) {
    Counter.builder("labeledappset.unreadable.objects")
        .description("Objects the operator could not read into its types, by kind")
        .tags("kind", kind, "namespace", namespace).register(registry).increment();
  }

  /** A server-side dry-run create of a pod: {@code result} is {@code accepted} or the refusal's reason. */
  public void dryRun(String result) {
    Counter.builder("labeledappset.dry.runs").description("Server-side dry-run pod creates, one per new template")
        .tags("result", result).register(registry).increment();
  }

  /** Events the recorder dropped because the events API did not keep up (0 when healthy). */
  public void eventsDropped(EventRecorder recorder) {
    FunctionCounter.builder("labeledappset.events.dropped", recorder, EventRecorder::dropped)
        .description("Events not written because too many were waiting for the events API")
        .register(registry);
  }

  /** Removes the series of a set that no longer exists. */
  public void forget(String namespace, String name) {
    SetGauges g = sets.remove(key(namespace, name));
    if (g != null) {
      g.meters.forEach(registry::remove);
    }
    registry.getMeters().stream()
        .filter(m -> m.getId().getName().startsWith("labeledappset.pods.")
            && namespace.equals(m.getId().getTag("namespace")) && name.equals(m.getId().getTag("name")))
        .toList()
        .forEach(registry::remove);
  }
}

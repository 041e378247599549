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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntBiFunction;
import java.util.function.ToIntFunction;

/**
 * The operator's own series, next to JOSDK's {@code operator_sdk_*}. Labels are bounded: namespace
 * and set name at most, never pod names. Per set only what a dashboard or alert reads per set (is
 * it Ready, is it Degraded, desired against ready pods); everything else per namespace, so that a
 * scrape grows by a few hundred bytes a set. A deleted set's series are removed, and a namespace's
 * when its last set goes.
 *
 * <pre>
 * labeledappset_pods_desired{namespace,name}            gauge
 * labeledappset_pods_ready{namespace,name}              gauge
 * labeledappset_condition{namespace,name,condition}     gauge, 1 when True; condition Ready and Degraded only
 * labeledappset_reconcile_failures_total{namespace,name,exception} counter; only sets whose reconcile failed
 *                                                       and is retried with backoff have one
 * labeledappset_sets{namespace,condition}               gauge, sets whose condition is True (every condition)
 * labeledappset_pods_existing{namespace}                gauge, pods of the namespace's sets that exist
 * labeledappset_pods_phase{namespace,phase}             gauge
 * labeledappset_pods_creations_total{namespace,reason}  counter (not "_created": Prometheus reserves that suffix)
 * labeledappset_pods_deleted_total{namespace,reason}    counter
 * labeledappset_convention_violations_total{namespace,rule} counter
 * labeledappset_api_errors_total{operation,code}        counter
 * labeledappset_unreadable_objects_total{kind,namespace} counter
 * </pre>
 */
public final class OperatorMetrics {
  public static final List<String> CONDITIONS =
      List.of("Ready", "Progressing", "Degraded", "ConventionsMet", "ServiceRouted");

  /** The conditions exported per set; all of them are counted per namespace. */
  public static final List<String> PER_SET_CONDITIONS = List.of("Ready", "Degraded");

  static final List<String> PHASES =
      List.of("Pending", "Running", "Succeeded", "Failed", "Unknown");

  private final MeterRegistry registry;

  /** Per namespace, its sets' last recorded figures. */
  private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** One set's figures: some exported as its own series, all summed into its namespace's. */
  private final class SetGauges {
    final AtomicInteger desired = new AtomicInteger();
    final AtomicInteger ready = new AtomicInteger();
    volatile int existing;
    volatile Map<String, Integer> phases = Map.of();
    volatile Set<String> trueConditions = Set.of();
    final Map<String, AtomicInteger> conditions = new ConcurrentHashMap<>();
    final List<Meter> meters = new ArrayList<>();

    SetGauges(String namespace, String name) {
      Tags tags = Tags.of("namespace", namespace, "name", name);
      meters.add(
          gauge(
              "labeledappset.pods.desired",
              "Pods the set's spec asks for",
              tags,
              desired,
              AtomicInteger::get));
      meters.add(
          gauge(
              "labeledappset.pods.ready",
              "Pods of the set whose Ready condition is True",
              tags,
              ready,
              AtomicInteger::get));
      for (String condition : PER_SET_CONDITIONS) {
        AtomicInteger value = new AtomicInteger();
        conditions.put(condition, value);
        meters.add(
            gauge(
                "labeledappset.condition",
                "1 when the set's condition is True, else 0 (Ready and Degraded)",
                tags.and("condition", condition),
                value,
                AtomicInteger::get));
      }
    }
  }

  /** A namespace's sets and the series summing them. */
  private final class Namespace {
    final Map<String, SetGauges> sets = new ConcurrentHashMap<>();
    final List<Meter> meters = new ArrayList<>();

    Namespace(String namespace) {
      Tags tags = Tags.of("namespace", namespace);
      meters.add(
          summed(
              "labeledappset.pods.existing",
              "Pods of the namespace's sets that exist and are not terminating",
              tags,
              g -> g.existing));
      summedPerTag(
          "labeledappset.pods.phase",
          "Pods of the namespace's sets per phase",
          tags,
          "phase",
          PHASES,
          (g, phase) -> g.phases.getOrDefault(phase, 0));
      summedPerTag(
          "labeledappset.sets",
          "Sets of the namespace whose condition is True",
          tags,
          "condition",
          CONDITIONS,
          (g, condition) -> g.trueConditions.contains(condition) ? 1 : 0);
    }

    /** One {@link #summed} gauge for each of the {@code values} of the tag {@code key}. */
    private void summedPerTag(
        String name,
        String help,
        Tags tags,
        String key,
        List<String> values,
        ToIntBiFunction<SetGauges, String> perSet) {
      for (String value : values) {
        meters.add(summed(name, help, tags.and(key, value), g -> perSet.applyAsInt(g, value)));
      }
    }

    /** A gauge of the namespace: {@code perSet} summed over its sets. */
    private Meter summed(String name, String help, Tags tags, ToIntFunction<SetGauges> perSet) {
      return gauge(name, help, tags, this, n -> n.sets.values().stream().mapToInt(perSet).sum());
    }
  }

  private <T> Meter gauge(
      String name, String help, Tags tags, T state, java.util.function.ToDoubleFunction<T> value) {
    return Gauge.builder(name, state, value).description(help).tags(tags).register(registry);
  }

  /** Sets the gauges of {@code set} from the status just computed. */
  public synchronized void recordStatus(LabeledAppSet set, LabeledAppSetStatus status) {
    String ns = set.getMetadata().getNamespace();
    String name = set.getMetadata().getName();
    SetGauges g =
        namespaces
            .computeIfAbsent(ns, Namespace::new)
            .sets
            .computeIfAbsent(name, k -> new SetGauges(ns, name));
    g.desired.set(set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas());
    g.existing = status.getReplicas() == null ? 0 : status.getReplicas();
    g.ready.set(status.getReadyReplicas() == null ? 0 : status.getReadyReplicas());
    g.phases = status.getPodPhases() == null ? Map.of() : Map.copyOf(status.getPodPhases());
    g.trueConditions =
        status.getConditions() == null
            ? Set.of()
            : status.getConditions().stream()
                .filter(c -> "True".equals(c.getStatus()))
                .map(c -> c.getType())
                .filter(CONDITIONS::contains)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    g.conditions.forEach((type, value) -> value.set(g.trueConditions.contains(type) ? 1 : 0));
  }

  public void podsCreated(LabeledAppSet set, String reason, int count) {
    counter("labeledappset.pods.creations", "Pods created by the operator", set, reason)
        .increment(count);
  }

  public void podsDeleted(LabeledAppSet set, String reason, int count) {
    counter("labeledappset.pods.deleted", "Pods deleted by the operator", set, reason)
        .increment(count);
  }

  private Counter counter(String name, String help, LabeledAppSet set, String reason) {
    return counter(name, help, "namespace", set.getMetadata().getNamespace(), "reason", reason);
  }

  private Counter counter(String name, String help, String... tags) {
    return Counter.builder(name).description(help).tags(tags).register(registry);
  }

  /** Adds one to the counter {@code name} with {@code tags} (key, value, key, value...). */
  private void count(String name, String help, String... tags) {
    counter(name, help, tags).increment();
  }

  /**
   * A reconcile of a set failed and JOSDK retries it with backoff: the one per-set series of
   * reconciling, present only for sets that failed (JOSDK's own are operator-wide).
   */
  public void reconcileFailed(String namespace, String name, String exception) {
    count(
        "labeledappset.reconcile.failures",
        "Failed reconciles of a set that JOSDK retries with backoff, by exception",
        "namespace",
        namespace,
        "name",
        name,
        "exception",
        exception);
  }

  public void conventionViolation(String namespace, String rule) {
    count(
        "labeledappset.convention.violations",
        "Convention violations found, by rule",
        "namespace",
        namespace,
        "rule",
        rule);
  }

  /** An API call that failed; {@code code} is the HTTP status, 0 for no answer. */
  public void apiError(String operation, int code) {
    count(
        "labeledappset.api.errors",
        "Kubernetes API calls that failed",
        "operation",
        operation,
        "code",
        Integer.toString(code));
  }

  /**
   * An object stored on the server that the operator cannot read into its types: a LabeledAppSet
   * (counted once per generation, reported as InvalidSpec) or another object (left out of its
   * informer's cache, counted each time a list or watch event brings it).
   */
  public void unreadable(String kind, String namespace) {
    count(
        "labeledappset.unreadable.objects",
        "Objects the operator could not read into its types, by kind",
        "kind",
        kind,
        "namespace",
        namespace);
  }

  /**
   * A server-side dry-run create of a pod: {@code result} is {@code accepted} or the refusal's
   * reason.
   */
  public void dryRun(String result) {
    count(
        "labeledappset.dry.runs",
        "Server-side dry-run pod creates, one per new template",
        "result",
        result);
  }

  /** Events the recorder dropped because the events API did not keep up (0 when healthy). */
  public void eventsDropped(EventRecorder recorder) {
    FunctionCounter.builder("labeledappset.events.dropped", recorder, EventRecorder::dropped)
        .description("Events not written because too many were waiting for the events API")
        .register(registry);
  }

  /**
   * Removes the series of a set that no longer exists, and its namespace's when it was the last.
   */
  public synchronized void forget(String namespace, String name) {
    Namespace n = namespaces.get(namespace);
    SetGauges g = n == null ? null : n.sets.remove(name);
    if (g != null) {
      g.meters.forEach(registry::remove);
    }
    registry.getMeters().stream()
        .filter(
            m ->
                m.getId().getName().startsWith("labeledappset.")
                    && namespace.equals(m.getId().getTag("namespace"))
                    && name.equals(m.getId().getTag("name")))
        .toList()
        .forEach(registry::remove);
    if (n != null && n.sets.isEmpty() && namespaces.remove(namespace, n)) {
      n.meters.forEach(registry::remove);
      registry.getMeters().stream()
          .filter(
              m ->
                  m.getId().getName().startsWith("labeledappset.pods.")
                      && namespace.equals(m.getId().getTag("namespace")))
          .toList()
          .forEach(registry::remove);
    }
  }
}

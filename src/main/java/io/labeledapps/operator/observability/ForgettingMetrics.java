package io.labeledapps.operator.observability;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.labeledapps.operator.util.DaemonThreads;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JOSDK's metrics (collected operator-wide: per-set meters of every set would make a scrape of
 * 2,000 sets 15 MiB), a per-set count of failed reconciles, and a hook on {@link #cleanupDoneFor}:
 * JOSDK calls it once a set is deleted, even without a finalizer, which is when per-set state
 * (gauges, expectations) must go. A reconcile of the set may still be running then, and events for
 * it (its pods going) keep coming: what they record again is swept once more a second later, at
 * most once a second per set. JOSDK removes its per-set counters then, but not its per-set
 * reconcile timer ({@code operator_sdk_controllers_execution_reconcile_seconds}, a histogram of
 * some 70 series a set): without this, an operator whose sets come and go would keep the timers of
 * every set it ever saw, in its heap and in every scrape.
 */
public final class ForgettingMetrics implements Metrics {
  private static final Logger log = LoggerFactory.getLogger(ForgettingMetrics.class);
  private static final String JOSDK_PREFIX = "operator.sdk.";

  private final Metrics delegate;
  private final MeterRegistry registry;
  private final Consumer<ResourceID> onDeleted;
  private final OperatorMetrics metrics;

  /**
   * Sets deleted while a reconcile of theirs may still be running: its timer, recorded as it ends,
   * is removed again. Bounded: only the last few thousand deletions matter.
   */
  private final Set<ResourceID> deleted = lastOf(10_000);

  private final Set<ResourceID> sweepsDue = ConcurrentHashMap.newKeySet();
  private static final ScheduledExecutorService SWEEPER =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("metrics-sweeper"));

  /**
   * @param metrics counts a set's failed reconciles ({@link OperatorMetrics#reconcileFailed}): with
   *     JOSDK's metrics collected operator-wide, the only per-set series about reconciling
   */
  public ForgettingMetrics(
      Metrics delegate,
      MeterRegistry registry,
      OperatorMetrics metrics,
      Consumer<ResourceID> onDeleted) {
    this.metrics = metrics;
    this.delegate = delegate;
    this.registry = registry;
    this.onDeleted = onDeleted;
  }

  /** A thread-safe set that holds only the {@code max} elements added last. */
  private static <T> Set<T> lastOf(int max) {
    return Collections.newSetFromMap(
        Collections.synchronizedMap(
            new LinkedHashMap<>() {
              @Override
              protected boolean removeEldestEntry(Map.Entry<T, Boolean> eldest) {
                return size() > max;
              }
            }));
  }

  /**
   * JOSDK's micrometer metrics operator-wide, wrapped: per set they would be some 80 series a set
   * (a reconcile timer with its histogram, counters), 15 MiB a scrape at 2,000 sets; the per-set
   * series that dashboards read are the operator's own ({@link OperatorMetrics}).
   */
  public static ForgettingMetrics operatorWide(
      MeterRegistry registry, OperatorMetrics metrics, Consumer<ResourceID> onDeleted) {
    return new ForgettingMetrics(
        MicrometerMetrics.newMicrometerMetricsBuilder(registry)
            .notCollectingMetricsPerResource()
            .build(),
        registry,
        metrics,
        onDeleted);
  }

  @Override
  public void cleanupDoneFor(ResourceID resourceID, Map<String, Object> metadata) {
    delegate.cleanupDoneFor(resourceID, metadata);
    deleted.add(resourceID);
    removeSeriesOf(resourceID);
    onDeleted.accept(resourceID);
  }

  /**
   * JOSDK's meters of one set: tagged name/namespace (counters) or resource.name/resource.namespace
   * (timer).
   */
  private void removeSeriesOf(ResourceID resourceID) {
    String namespace = resourceID.getNamespace().orElse(null);
    List.copyOf(registry.getMeters()).stream()
        .filter(m -> m.getId().getName().startsWith(JOSDK_PREFIX))
        .filter(
            m ->
                (resourceID.getName().equals(m.getId().getTag("resource.name"))
                        && Objects.equals(namespace, m.getId().getTag("resource.namespace")))
                    || (resourceID.getName().equals(m.getId().getTag("name"))
                        && Objects.equals(namespace, m.getId().getTag("namespace"))))
        .forEach(registry::remove);
  }

  /**
   * A reconcile that was running when its set was deleted, or an event that came after, recorded
   * series (and per-set state) again: sweep them a second later. Costs two lookups per event; a
   * sweep (a pass over the registry) runs at most once a second per deleted set, however many of
   * its pods' events arrive.
   */
  private void afterward(ResourceID resourceID) {
    if (resourceID != null && deleted.contains(resourceID) && sweepsDue.add(resourceID)) {
      // the future would keep a failure to itself: sweep() logs it instead
      ScheduledFuture<?> unused = SWEEPER.schedule(() -> sweep(resourceID), 1, TimeUnit.SECONDS);
    }
  }

  /** Removes what a deleted set recorded again; a failure is logged, the next event retries. */
  private void sweep(ResourceID resourceID) {
    sweepsDue.remove(resourceID);
    try {
      if (deleted.contains(resourceID)) {
        removeSeriesOf(resourceID);
        onDeleted.accept(resourceID);
      }
    } catch (RuntimeException e) {
      log.warn("Forgetting the metrics of deleted set {} failed", resourceID, e);
    }
  }

  @Override
  public void controllerRegistered(Controller<? extends HasMetadata> controller) {
    delegate.controllerRegistered(controller);
  }

  @Override
  public void receivedEvent(Event event, Map<String, Object> metadata) {
    delegate.receivedEvent(event, metadata);
    afterward(event.getRelatedCustomResourceID());
  }

  @Override
  public void reconcileCustomResource(
      HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    deleted.remove(ResourceID.fromResource(resource));
    delegate.reconcileCustomResource(resource, retryInfo, metadata);
  }

  @Override
  public void failedReconciliation(
      HasMetadata resource, Exception exception, Map<String, Object> metadata) {
    delegate.failedReconciliation(resource, exception, metadata);
    metrics.reconcileFailed(
        resource.getMetadata().getNamespace(),
        resource.getMetadata().getName(),
        exception.getClass().getSimpleName());
    afterward(ResourceID.fromResource(resource));
  }

  @Override
  public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
    delegate.reconciliationExecutionStarted(resource, metadata);
  }

  @Override
  public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
    delegate.reconciliationExecutionFinished(resource, metadata);
  }

  @Override
  public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
    delegate.finishedReconciliation(resource, metadata);
    afterward(ResourceID.fromResource(resource));
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    try {
      return delegate.timeControllerExecution(execution);
    } finally {
      afterward(execution.resourceID());
    }
  }

  @Override
  public <T extends Map<?, ?>> T monitorSizeOf(T map, String name) {
    return delegate.monitorSizeOf(map, name);
  }
}

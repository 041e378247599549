package io.labeledapps.operator.observability;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.labeledapps.operator.util.DaemonThreads;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes core/v1 Events on a set, shown by {@code kubectl describe}. A repeat of the same event
 * within ten minutes bumps the count of the existing one instead of adding another. Failing to
 * record an event never fails a reconcile.
 *
 * <p>Events are written by a thread of their own, in the order they were recorded, as client-go's
 * event broadcaster does: a reconcile never waits for the events API (a slow one, or one served by
 * an etcd of its own, would otherwise hold up every set). At most {@link #QUEUED} wait; beyond that
 * they are dropped and counted, never blocking the reconcile.
 */
public class EventRecorder implements AutoCloseable {
  public static final String COMPONENT = "labeledappset-operator";
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private static final int REMEMBERED = 2000;
  static final int QUEUED = 1000;

  private final KubernetesClient client;
  private final AtomicLong dropped = new AtomicLong();
  private final ThreadPoolExecutor writer =
      new ThreadPoolExecutor(
          1,
          1,
          60,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(QUEUED),
          DaemonThreads.named("event-recorder"),
          (r, executor) -> {
            if (r instanceof Future<?> f) {
              // a flush() marker: nothing to write, let its caller go on
              f.cancel(false);
            } else if (executor.isShutdown()) {
              log.debug("The operator is stopping: an event is not written");
            } else if (dropped.incrementAndGet() % 100 == 1) {
              log.warn("The events API is not keeping up: {} events dropped so far", dropped.get());
            }
          });
  private final Map<String, Recorded> recent =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Recorded> eldest) {
          return size() > REMEMBERED;
        }
      };

  private record Recorded(String name, int count, Instant last) {}

  public EventRecorder(KubernetesClient client) {
    this.client = client;
    // no idle thread for a recorder that records nothing
    writer.allowCoreThreadTimeOut(true);
  }

  public void normal(HasMetadata object, String reason, String message) {
    Instant at = Instant.now();
    writer.execute(() -> record(object, "Normal", reason, message, at));
  }

  public void warning(HasMetadata object, String reason, String message) {
    Instant at = Instant.now();
    writer.execute(() -> record(object, "Warning", reason, message, at));
  }

  /** Events dropped because too many were waiting. */
  public long dropped() {
    return dropped.get();
  }

  /** Waits (at most {@code timeout}) until the events recorded so far are written. */
  public void flush(Duration timeout) {
    try {
      writer.submit(() -> {}).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | CancellationException e) {
      log.debug("Events not flushed: {}", e.toString());
    }
  }

  /** Writes what is waiting (for a few seconds at most), then stops. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
        writer.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Counts a repeat on the existing event with one merge patch, no read first: a reconcile reads
   * nothing from the API server. False when the event no longer exists.
   */
  private boolean bump(String ns, String name, int count, String time) {
    try {
      // through resource(), not withName(): with no object in hand fabric8 GETs one before patching
      Event target =
          new EventBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace(ns)
              .endMetadata()
              .build();
      client
          .v1()
          .events()
          .inNamespace(ns)
          .resource(target)
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"count\":" + count + ",\"lastTimestamp\":\"" + time + "\"}");
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  /** Writes one event; {@code at}: when it was recorded (a backlog must not move its time). */
  private void record(HasMetadata object, String type, String reason, String message, Instant at) {
    String ns = object.getMetadata().getNamespace();
    String key =
        ns + "/" + object.getMetadata().getName() + "/" + type + "/" + reason + "/" + message;
    Instant now = at.truncatedTo(ChronoUnit.SECONDS);
    String time = now.toString();
    try {
      if (repeated(key, ns, now)) {
        return;
      }
      String name =
          object.getMetadata().getName()
              + "."
              + Long.toHexString(System.nanoTime())
              + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000));
      Event event = newEvent(object, name, type, reason, message, time);
      client.v1().events().inNamespace(ns).resource(event).create();
      synchronized (recent) {
        recent.put(key, new Recorded(name, 1, now));
      }
    } catch (RuntimeException e) {
      log.warn(
          "Could not record event {} on {}/{}: {}",
          reason,
          ns,
          object.getMetadata().getName(),
          e.getMessage());
      synchronized (recent) {
        recent.remove(key);
      }
    }
  }

  /**
   * Counts a repeat of the event recorded under {@code key} in the last ten minutes, if there is
   * one and it still exists; false when a new event must be written.
   */
  private boolean repeated(String key, String ns, Instant now) {
    Recorded previous;
    synchronized (recent) {
      previous = recent.get(key);
    }
    if (previous == null || !previous.last().isAfter(now.minusSeconds(600))) {
      return false;
    }
    int count = previous.count() + 1;
    if (!bump(ns, previous.name(), count, now.toString())) {
      // the event is gone (expired, or deleted): record a new one
      return false;
    }
    synchronized (recent) {
      recent.put(key, new Recorded(previous.name(), count, now));
    }
    return true;
  }

  /** A core/v1 Event about {@code object}, seen once at {@code time}. */
  private static Event newEvent(
      HasMetadata object, String name, String type, String reason, String message, String time) {
    String ns = object.getMetadata().getNamespace();
    // @formatter:off
    return new EventBuilder()
        .withNewMetadata()
          .withName(name)
          .withNamespace(ns)
        .endMetadata()
        .withNewInvolvedObject()
          .withApiVersion(object.getApiVersion())
          .withKind(object.getKind())
          .withName(object.getMetadata().getName())
          .withNamespace(ns)
          .withUid(object.getMetadata().getUid())
        .endInvolvedObject()
        .withType(type)
        .withReason(reason)
        .withMessage(message.length() > 1000 ? message.substring(0, 1000) + "..." : message)
        .withCount(1)
        .withFirstTimestamp(time)
        .withLastTimestamp(time)
        .withNewSource().withComponent(COMPONENT).endSource()
        .withReportingComponent(COMPONENT)
        .build();
    // @formatter:on
  }
}

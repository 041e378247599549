package io.labeledapps.operator.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.TestSets;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class EventRecorderMockTest {
  static KubernetesClient client;
  static KubernetesMockServer server;

  private static LabeledAppSet set() {
    return TestSets.named("web", "events", "uid-web");
  }

  private static List<Event> events() {
    return client.v1().events().inNamespace("events").list().getItems();
  }

  private static List<String> requests() throws InterruptedException {
    List<String> seen = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      seen.add(r.getMethod() + " " + r.getPath());
    }
    return seen;
  }

  @Test
  void aRepeatIsCountedOnTheSameEventWithOnePatchAndNoRead() throws InterruptedException {
    EventRecorder recorder = new EventRecorder(client);
    recorder.normal(set(), "ScaleUp", "Created 3 pods");
    recorder.flush(Duration.ofSeconds(10));
    requests();
    recorder.normal(set(), "ScaleUp", "Created 3 pods");
    recorder.normal(set(), "ScaleUp", "Created 3 pods");
    recorder.flush(Duration.ofSeconds(10));
    List<String> bumps = requests();
    assertEquals(2, bumps.size(), bumps.toString());
    assertTrue(bumps.stream().allMatch(r -> r.startsWith("PATCH ")), "no GET, no create: " + bumps);

    List<Event> events = events();
    assertEquals(1, events.size());
    assertEquals(3, events.get(0).getCount());
    assertEquals("web", events.get(0).getInvolvedObject().getName());
    assertEquals(EventRecorder.COMPONENT, events.get(0).getSource().getComponent());

    // the event expired (or was deleted): the next repeat records a new one
    client
        .v1()
        .events()
        .inNamespace("events")
        .withName(events.get(0).getMetadata().getName())
        .delete();
    recorder.normal(set(), "ScaleUp", "Created 3 pods");
    recorder.close();
    List<Event> after = events();
    assertEquals(1, after.size(), "close() writes what was waiting");
    assertEquals(1, after.get(0).getCount());
    recorder.normal(
        set(), "ScaleUp", "Created 3 pods"); // a reconcile still running while the operator stops
    recorder.flush(Duration.ofSeconds(10));
    assertEquals(0, recorder.dropped(), "not written, but not a sign of a slow events API either");
  }

  /**
   * An events API that does not answer holds up no reconcile: recording returns at once, and beyond
   * {@link EventRecorder#QUEUED} waiting events the rest are dropped and counted.
   */
  @Test
  void anEventsApiThatDoesNotAnswerHoldsNothingUp() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        KubernetesClient stuck =
            new KubernetesClientBuilder()
                .withConfig(
                    new ConfigBuilder()
                        .withMasterUrl("http://127.0.0.1:" + silent.getLocalPort())
                        .withRequestTimeout(60_000)
                        .withRequestRetryBackoffLimit(0)
                        .build())
                .build()) {
      EventRecorder recorder = new EventRecorder(stuck);
      int recorded = EventRecorder.QUEUED + 50;
      assertTimeoutPreemptively(
          Duration.ofSeconds(20),
          () -> {
            for (int i = 0; i < recorded; i++) {
              recorder.warning(set(), "Degraded", "problem " + i);
            }
          },
          "a synchronous write would wait for the request timeout, once per event");
      // one is being written (and waits), QUEUED wait, the rest are dropped
      assertTrue(
          recorder.dropped() >= recorded - EventRecorder.QUEUED - 1,
          "dropped " + recorder.dropped());
      recorder.close(); // gives up on what still waits after a few seconds
    }
  }
}

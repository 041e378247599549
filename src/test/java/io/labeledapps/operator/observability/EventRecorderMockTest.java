package io.labeledapps.operator.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.labeledapps.operator.api.LabeledAppSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class EventRecorderMockTest {
  static KubernetesClient client;
  static KubernetesMockServer server;

  private static LabeledAppSet set() {
    LabeledAppSet set = new LabeledAppSet();
    set.getMetadata().setName("web");
    set.getMetadata().setNamespace("events");
    set.getMetadata().setUid("uid-web");
    return set;
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
    requests();
    recorder.normal(set(), "ScaleUp", "Created 3 pods");
    recorder.normal(set(), "ScaleUp", "Created 3 pods");
    List<String> bumps = requests();
    assertEquals(2, bumps.size(), bumps.toString());
    assertTrue(bumps.stream().allMatch(r -> r.startsWith("PATCH ")), "no GET, no create: " + bumps);

    List<Event> events = events();
    assertEquals(1, events.size());
    assertEquals(3, events.get(0).getCount());
    assertEquals("web", events.get(0).getInvolvedObject().getName());
    assertEquals(EventRecorder.COMPONENT, events.get(0).getSource().getComponent());

    // the event expired (or was deleted): the next repeat records a new one
    client.v1().events().inNamespace("events").withName(events.get(0).getMetadata().getName()).delete();
    recorder.normal(set(), "ScaleUp", "Created 3 pods");
    List<Event> after = events();
    assertEquals(1, after.size());
    assertEquals(1, after.get(0).getCount());
  }
}

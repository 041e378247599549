package io.labeledapps.operator.testkit;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.function.Predicate;

/** The core/v1 Events of a namespace, as tests look for the one they expect. */
public final class Events {
  private Events() {}

  /** Whether namespace {@code ns} holds an Event that {@code matches}. */
  public static boolean any(KubernetesClient client, String ns, Predicate<Event> matches) {
    return client.v1().events().inNamespace(ns).list().getItems().stream().anyMatch(matches);
  }

  /**
   * An Event of {@code type} ({@code Normal}, {@code Warning}) with {@code reason} about the object
   * named {@code object}; a null argument matches any value.
   */
  public static Predicate<Event> of(String type, String reason, String object) {
    return e ->
        (type == null || type.equals(e.getType()))
            && (reason == null || reason.equals(e.getReason()))
            && (object == null
                || (e.getInvolvedObject() != null
                    && object.equals(e.getInvolvedObject().getName())));
  }
}

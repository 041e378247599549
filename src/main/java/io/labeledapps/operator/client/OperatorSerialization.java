package io.labeledapps.operator.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.Cloner;
import io.labeledapps.operator.api.LabeledAppSet;
import java.util.function.Consumer;

/**
 * How the operator's client turns JSON into objects: with the parser limits of {@link ReadLimits}
 * and one object at a time ({@link TolerantReading}), so that nothing stored on the server can fail
 * an informer's list or watch.
 */
public final class OperatorSerialization extends KubernetesSerialization {
  private final SkipListener listener;

  private OperatorSerialization(ObjectMapper mapper, SkipListener listener) {
    super(mapper, true);
    this.listener = listener;
  }

  /**
   * A fresh serialization; objects it skips are only logged until {@link #onSkipped} names a
   * listener.
   */
  public static OperatorSerialization create() {
    SkipListener listener = new SkipListener();
    ObjectMapper mapper =
        new ObjectMapper(
            JsonFactory.builder().streamReadConstraints(ReadLimits.constraints()).build());
    mapper.registerModule(new TolerantReading(listener));
    return new OperatorSerialization(mapper, listener);
  }

  /** A client for {@code config} that reads with a fresh {@link OperatorSerialization}. */
  public static KubernetesClient client(Config config) {
    return new KubernetesClientBuilder()
        .withConfig(config)
        .withKubernetesSerialization(create())
        .build();
  }

  /** Whether {@code client} reads with an {@link OperatorSerialization}. */
  public static boolean readsTolerantly(KubernetesClient client) {
    return client.getKubernetesSerialization() instanceof OperatorSerialization;
  }

  /** Tells {@code consumer} of every object left out of a list or a watch from now on. */
  public void onSkipped(Consumer<TolerantReading.Skipped> consumer) {
    listener.delegate = consumer;
  }

  /**
   * JOSDK's cloner (a JSON round trip, as its default) that keeps a set's {@link
   * LabeledAppSet#getReadingProblem() reading problem}, which is not part of the JSON.
   */
  public Cloner cloner() {
    return new Cloner() {
      @Override
      public <R extends HasMetadata> R clone(R object) {
        R copy = OperatorSerialization.this.clone(object);
        if (object instanceof LabeledAppSet set && copy instanceof LabeledAppSet copied) {
          copied.setReadingProblem(set.getReadingProblem());
        }
        return copy;
      }
    };
  }

  private static final class SkipListener implements Consumer<TolerantReading.Skipped> {
    volatile Consumer<TolerantReading.Skipped> delegate = skipped -> {};

    @Override
    public void accept(TolerantReading.Skipped skipped) {
      delegate.accept(skipped);
    }
  }
}

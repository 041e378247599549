package io.labeledapps.operator.config;

import io.labeledapps.operator.conventions.ConventionsConfig;
import io.labeledapps.operator.util.DaemonThreads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the configuration file when its content changes (a ConfigMap update reaches the mounted
 * file after the kubelet's sync) and hands new conventions to the operator. Other keys take effect
 * at the next start; a file that no longer parses is reported and ignored.
 */
public final class ConfigWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("config-watcher"));
  private final Map<String, String> env;
  private final Path file;
  private final Consumer<ConventionsConfig> onConventions;
  private byte[] last;
  private OperatorConfig current;

  public ConfigWatcher(
      Map<String, String> env,
      OperatorConfig current,
      Duration every,
      Consumer<ConventionsConfig> onConventions) {
    this.env = env;
    this.file = Path.of(env.get("LAS_CONFIG"));
    this.current = current;
    this.onConventions = onConventions;
    this.last = read();
    timer.scheduleWithFixedDelay(
        this::check, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  private byte[] read() {
    try {
      return Files.readAllBytes(file);
    } catch (Exception e) {
      return null;
    }
  }

  /** Looks at the file once; public so tests need not wait for the timer. */
  public synchronized void check() {
    byte[] now = read();
    if (now == null || Arrays.equals(now, last)) {
      return;
    }
    last = now;
    try {
      OperatorConfig updated = OperatorConfig.load(env, java.util.List.of());
      if (!sameConventions(updated.conventions, current.conventions)) {
        log.info("Configuration {} changed: applying the new conventions to every set", file);
        current = updated;
        onConventions.accept(updated.conventions);
      } else {
        log.info(
            "Configuration {} changed; keys other than conventions take effect at the next start",
            file);
      }
    } catch (Exception e) {
      log.warn(
          "Configuration {} changed but cannot be used, keeping the previous one: {}",
          file,
          e.getMessage());
    }
  }

  private static boolean sameConventions(ConventionsConfig a, ConventionsConfig b) {
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    return Objects.equals(mapper.valueToTree(a), mapper.valueToTree(b));
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

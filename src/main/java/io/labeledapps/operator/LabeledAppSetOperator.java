package io.labeledapps.operator;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.labeledapps.operator.client.OperatorSerialization;
import io.labeledapps.operator.config.ConfigWatcher;
import io.labeledapps.operator.config.OperatorConfig;
import io.labeledapps.operator.conventions.ConventionsConfig;
import io.labeledapps.operator.crd.CrdInstaller;
import io.labeledapps.operator.observability.ForgettingMetrics;
import io.labeledapps.operator.observability.HttpEndpoints;
import io.labeledapps.operator.observability.OperatorMetrics;
import io.labeledapps.operator.reconciler.CacheStores;
import io.labeledapps.operator.reconciler.CreateRateLimiter;
import io.labeledapps.operator.reconciler.LabeledAppSetReconciler;
import io.labeledapps.operator.reconciler.PodWriters;
import io.labeledapps.operator.util.DaemonThreads;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import lombok.AccessLevel;
import lombok.RequiredArgsConstructor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point: builds the client, the Operator with its one controller, and the HTTP endpoints. */
@RequiredArgsConstructor(access = AccessLevel.PRIVATE)
public final class LabeledAppSetOperator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LabeledAppSetOperator.class);

  private final Operator operator;
  private final PodWriters podPool;
  private final HttpEndpoints http;
  private final PrometheusMeterRegistry registry;
  private final LabeledAppSetReconciler reconciler;
  private volatile ConfigWatcher configWatcher;
  private final AtomicBoolean closing;

  /**
   * The client the operator built for itself (closed with it), or null when it uses the one it was
   * given.
   */
  private final KubernetesClient ownClient;

  public static void main(String[] args) throws Exception {
    OperatorConfig config = OperatorConfig.load(System.getenv(), List.of(args));
    KubernetesClient client = newClient();
    if (config.installCrd) {
      CrdInstaller.install(client, Path.of("crds"));
    }
    LabeledAppSetOperator running = start(config, client);
    if (System.getenv("LAS_CONFIG") != null && !System.getenv("LAS_CONFIG").isBlank()) {
      running.watchConfig(
          new ConfigWatcher(
              System.getenv(),
              config,
              Duration.ofSeconds(10),
              running.reconciler::updateConventions));
    }
    Runtime.getRuntime().addShutdownHook(new Thread(running::close, "shutdown"));
    log.info(
        "LabeledAppSet operator started; watching {}",
        config.watchNamespaces.isEmpty() ? "all namespaces" : config.watchNamespaces);
  }

  /**
   * A client that leaves retries to JOSDK (fabric8's own 10 retries would turn one deterministic
   * server error into ~20 s of blocking) and reads whatever the API server stores ({@link
   * OperatorSerialization}).
   */
  public static KubernetesClient newClient() {
    Config config =
        new ConfigBuilder(Config.autoConfigure(null)).withRequestRetryBackoffLimit(1).build();
    return OperatorSerialization.client(config);
  }

  /**
   * Builds and starts the operator. Used by {@link #main} and by the tests, so both run the same
   * thing.
   */
  public static LabeledAppSetOperator start(OperatorConfig config, KubernetesClient client)
      throws IOException {
    return start(config, client, Clock.systemUTC());
  }

  /**
   * Builds and starts the operator on {@code clock}. A client that does not read with an {@link
   * OperatorSerialization} (a test's) is replaced by one with the same configuration that does, so
   * that one unreadable object cannot stop an informer whatever client the operator is given.
   */
  public static LabeledAppSetOperator start(
      OperatorConfig config, KubernetesClient given, Clock clock) throws IOException {
    KubernetesClient client = tolerant(given);
    OperatorSerialization serialization =
        (OperatorSerialization) client.getKubernetesSerialization();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OperatorMetrics metrics = new OperatorMetrics(registry);
    serialization.onSkipped(skipped -> metrics.unreadable(skipped.kind(), skipped.namespace()));
    PodWriters podPool = podPool(config.podCreateParallelism);
    var reconciler =
        new LabeledAppSetReconciler(
            client, podPool, metrics, config.conventions, clock, createLimiter(config));
    AtomicBoolean closing = new AtomicBoolean();
    LeaderElectionConfiguration election = leaderElection(config.leaderElection, registry, closing);
    Operator operator =
        new Operator(
            o ->
                o.withLeaderElectionConfiguration(election)
                    .withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    // JOSDK's clone is a JSON round trip, which would lose a set's reading problem
                    .withResourceCloner(serialization.cloner())
                    // one code path on every server: the status is written as a JSON patch of what
                    // changed
                    .withUseSSAToPatchPrimaryResource(false)
                    .withConcurrentReconciliationThreads(config.reconcileThreads)
                    .withMetrics(
                        ForgettingMetrics.operatorWide(registry, metrics, reconciler::forget)));
    register(operator, reconciler, config);
    operator.start();
    return new LabeledAppSetOperator(
        operator,
        podPool,
        http(config.metricsPort, registry, operator),
        registry,
        reconciler,
        closing,
        client == given ? null : client);
  }

  /**
   * {@code given}, or a client with its configuration that reads with an {@link
   * OperatorSerialization}.
   */
  private static KubernetesClient tolerant(KubernetesClient given) {
    return OperatorSerialization.readsTolerantly(given)
        ? given
        : OperatorSerialization.client(given.getConfiguration());
  }

  /** The token bucket every pod create of every set goes through, as configured. */
  private static CreateRateLimiter createLimiter(OperatorConfig config) {
    return new CreateRateLimiter(
        config.podCreateBurst,
        config.podCreateRate,
        config.podCreateMaxRate,
        Duration.ofNanos((long) (config.podCreateSlowAnswerSeconds * 1e9)),
        System::nanoTime);
  }

  /** Registers the one controller: what wakes it, how often it resyncs, where it watches. */
  private static void register(
      Operator operator, LabeledAppSetReconciler reconciler, OperatorConfig config) {
    operator.register(
        reconciler,
        o -> {
          // generation-aware filtering would hide the pause annotation; this filter keeps status
          // writes out
          o.withGenerationAware(false);
          o.withOnUpdateFilter(reconciler::needsReconcile);
          o.withReconciliationMaxInterval(Duration.ofSeconds(config.resyncSeconds));
          reconciler.resyncEvery(Duration.ofSeconds(config.resyncSeconds));
          if (!config.watchNamespaces.isEmpty()) {
            o.settingNamespaces(new HashSet<>(config.watchNamespaces));
          }
          o.withInformerListLimit(CacheStores.LIST_PAGE);
          o.withItemStore(
              CacheStores.withoutManagedFields(
                  config.watchNamespaces.isEmpty()
                      ? Set.of(Constants.WATCH_ALL_NAMESPACES)
                      : new HashSet<>(config.watchNamespaces)));
        });
  }

  /** The threads pod creates and deletes run on: their number bounds how many run at once. */
  private static PodWriters podPool(int threads) {
    return new PodWriters(threads, DaemonThreads.numbered("pod-writer"));
  }

  /**
   * The metrics and health endpoints, or null when {@code port} is 0. A standby (leader election
   * on, not leading) reports ready too: its informers are synced and it takes over without a cold
   * start. Ready therefore means "able to lead", which lets a rolling update of the operator's
   * Deployment proceed while only one replica leads.
   */
  private static HttpEndpoints http(int port, PrometheusMeterRegistry registry, Operator operator)
      throws IOException {
    return port > 0 || port == -1
        ? new HttpEndpoints(
            Math.max(port, 0),
            registry,
            () -> true,
            () ->
                operator.getRuntimeInfo().isStarted()
                    && operator.getRuntimeInfo().allEventSourcesAreHealthy())
        : null;
  }

  /**
   * JOSDK's Lease-based leader election as configured (null: off), and publishes {@code
   * labeledappset_operator_leader} (1 while this replica reconciles). JOSDK would call {@code
   * System.exit} itself on losing the lease, also from {@link #close()} inside a shutdown hook,
   * where exiting again blocks for ever; so the exit is ours, from its own thread, and skipped
   * while closing.
   */
  private static LeaderElectionConfiguration leaderElection(
      OperatorConfig.LeaderElection election,
      PrometheusMeterRegistry registry,
      AtomicBoolean closing) {
    AtomicInteger leading = new AtomicInteger(election.enabled ? 0 : 1);
    Gauge.builder("labeledappset.operator.leader", leading, AtomicInteger::get)
        .description("1 while this replica holds the leader lease and reconciles")
        .register(registry);
    if (!election.enabled) {
      return null;
    }
    return new LeaderElectionConfiguration(
        election.leaseName,
        election.leaseNamespace,
        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
        null,
        callbacks(election, leading, closing),
        false);
  }

  /**
   * Keeps {@code leading} up to date and exits when the lease is lost, unless the operator is
   * closing.
   */
  private static LeaderCallbacks callbacks(
      OperatorConfig.LeaderElection election, AtomicInteger leading, AtomicBoolean closing) {
    return new LeaderCallbacks(
        () -> {
          leading.set(1);
          log.info(
              "Leading: lease {}/{} acquired, reconciling",
              election.leaseNamespace,
              election.leaseName);
        },
        () -> {
          leading.set(0);
          if (!closing.get()) {
            // another replica may already be reconciling: stop at once; the restart is a
            // standby
            log.error("Lost the lease {}/{}; exiting", election.leaseNamespace, election.leaseName);
            new Thread(() -> System.exit(1), "lost-lease-exit").start();
          }
        },
        leader ->
            log.info(
                "Leader of {}/{} is now {}", election.leaseNamespace, election.leaseName, leader));
  }

  public Operator operator() {
    return operator;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The port of the HTTP endpoints, or -1 when they are off. */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  /**
   * Applies conventions changes that {@code watcher} finds in the configuration file; closed with
   * the operator.
   */
  public void watchConfig(ConfigWatcher watcher) {
    this.configWatcher = watcher;
  }

  /** New conventions, applied to every set (what a changed configuration file does). */
  public void updateConventions(ConventionsConfig conventions) {
    reconciler.updateConventions(conventions);
  }

  @Override
  public void close() {
    if (configWatcher != null) {
      configWatcher.close();
    }
    closing.set(true);
    // before the informers stop and their caches empty: a pass still running must not report what
    // half-stopped caches show (every namespace and pod gone)
    reconciler.stopping();
    if (http != null) {
      http.close();
    }
    operator.stop();
    reconciler.close();
    podPool.shutdown();
    try {
      podPool.awaitTermination(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownClient != null) {
      ownClient.close();
    }
  }
}

package io.labeledapps.operator.bench;

import static io.labeledapps.operator.bench.Figures.secondsSince;
import static io.labeledapps.operator.bench.Report.say;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.config.OperatorConfig;
import io.labeledapps.operator.conventions.Conventions;
import io.labeledapps.operator.model.TestDesired;
import io.labeledapps.operator.testkit.OperatorProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

/**
 * What every scenario shares: the benchmark's client and settings (the {@code BENCH_*} variables),
 * its namespaces, the operator it starts, the audit log and the report. The scenario classes only
 * say what they do and measure.
 */
final class Bench implements AutoCloseable {
  /**
   * The operator's JVM as the image runs it in the Deployment: the image's options file, in a
   * container limited to 512 MiB (MaxRAM stands in for the limit). OperatorProcess also sets the
   * image's MALLOC_ARENA_MAX.
   */
  static final String IMAGE_JVM = "-XX:MaxRAM=512m @src/main/docker/jvm.options";

  static final String OPERATOR_AGENT = "labeledappset-operator-bench";
  static final String CLIENT_AGENT = "las-bench-client";
  static final String RAW_AGENT = "las-bench-raw";
  static final String LEAN_AGENT = "las-bench-lean";
  static final String RS_AGENT = "kube-controller-manager";

  /** Same as the operator's default pod writer pool: the raw client gets the same concurrency. */
  static final int PARALLELISM = new OperatorConfig().podCreateParallelism;

  final KubernetesClient client;
  final String run = UUID.randomUUID().toString().substring(0, 6);
  final Path out = Path.of("target", "bench");
  final Path jar =
      Path.of(
          Optional.ofNullable(System.getenv("BENCH_OPERATOR_JAR"))
              .orElse("target/labeledappset-operator.jar"));
  final Requests requests = new Requests(System.getenv("BENCH_AUDIT_LOG"));
  final List<String> operatorJvm =
      Arrays.asList(
          Optional.ofNullable(System.getenv("BENCH_OPERATOR_JVM"))
              .orElse(IMAGE_JVM)
              .trim()
              .split("\\s+"));
  final List<String> scenarios =
      Arrays.asList(
          Optional.ofNullable(System.getenv("BENCH_SCENARIOS"))
              .orElse("burst,many,big,scale,fairness")
              .split(","));
  final Report report = new Report();

  final int burst = intEnv("BENCH_BURST", 500);

  /** Fresh starts of the operator and of the bare client for the burst. */
  final int burstRepeats = intEnv("BENCH_BURST_REPEATS", 3);

  final int sets = intEnv("BENCH_SETS", 300);
  final int deletions = intEnv("BENCH_DELETIONS", 100);
  final int big = intEnv("BENCH_BIG", 5000);
  final int quietSeconds = intEnv("BENCH_QUIET_SECONDS", 60);
  final int scaleSets = intEnv("BENCH_SCALE_SETS", 2000);
  final int scalePods = intEnv("BENCH_SCALE_PODS", 5);
  final int fairnessSets = intEnv("BENCH_FAIRNESS_SETS", 1999);
  final int fairnessBurst = intEnv("BENCH_FAIRNESS_BURST", 5000);

  private final List<String> namespaces = new ArrayList<>();

  Bench() {
    client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(Config.autoConfigure(null))
                    .withUserAgent(CLIENT_AGENT)
                    .withRequestRetryBackoffLimit(3)
                    // deleting thousands of pods in one request takes longer than the default 10 s
                    .withRequestTimeout((int) Duration.ofMinutes(3).toMillis())
                    .build())
            .build();
  }

  /** Whether {@code BENCH_SCENARIOS} names the scenario or one of {@code alsoBy}. */
  boolean wants(String scenario, String... alsoBy) {
    return scenarios.contains(scenario) || Arrays.stream(alsoBy).anyMatch(scenarios::contains);
  }

  // ---------------------------------------------------------------- the operator

  /** Starts the operator on {@code ns}, logging to {@code log} in target/bench/. */
  OperatorProcess startOperator(String ns, String log) throws IOException {
    return OperatorProcess.start(
        jar, operatorJvm, List.of(ns), null, OPERATOR_AGENT, out.resolve(log));
  }

  /** The same, once it answers /readyz (at most 60 s). */
  OperatorProcess readyOperator(String ns, String log) throws IOException {
    OperatorProcess op = startOperator(ns, log);
    try {
      op.awaitReady(Duration.ofSeconds(60));
      return op;
    } catch (RuntimeException | AssertionError e) {
      op.close();
      throw e;
    }
  }

  /** What an idle operator did over {@code BENCH_QUIET_SECONDS}. */
  record Idle(long reconciles, Map<String, Object> requests) {}

  /**
   * Lets the operator settle for 5 s, then watches its requests and reconciles for {@code
   * BENCH_QUIET_SECONDS} in which nothing changes.
   */
  Idle idle(OperatorProcess op) throws IOException {
    Waits.pause(5_000);
    long offset = requests.offset();
    Instant from = Instant.now();
    long reconcilesBefore = op.reconciliationsStarted().orElse(-1);
    say("quiet: watching the operator's requests for %d s", quietSeconds);
    Waits.pause(quietSeconds * 1000L);
    Instant to = Instant.now();
    long reconciles = op.reconciliationsStarted().orElse(-1) - reconcilesBefore;
    return new Idle(reconciles, requests.operator(offset, from, to));
  }

  /**
   * A restarted operator: when it was ready and had reconciled its first and all sets, and the
   * requests it sent from its start until 10 s after that (audit log from {@code offset}).
   */
  record Restart(
      OperatorProcess op,
      long offset,
      double readySeconds,
      OptionalLong firstReconcile,
      OptionalLong allReconciled,
      Map<String, Object> requests) {}

  /**
   * Starts a fresh operator on {@code ns} (the previous one closed by the caller): a forced resync
   * that lists everything and reconciles each of the {@code setCount} sets.
   */
  Restart restart(
      String ns, String log, int setCount, Duration readyTimeout, Duration reconcileTimeout)
      throws IOException {
    long offset = requests.offset();
    Instant from = Instant.now();
    OperatorProcess op = startOperator(ns, log);
    double readySeconds = op.awaitReady(readyTimeout);
    OptionalLong first =
        Waits.awaitTime(() -> op.reconciliationsStarted().orElse(0) > 0, reconcileTimeout);
    OptionalLong all =
        Waits.awaitTime(() -> op.reconciliationsStarted().orElse(0) >= setCount, reconcileTimeout);
    Waits.pause(10_000);
    return new Restart(
        op, offset, readySeconds, first, all, requests.operator(offset, from, Instant.now()));
  }

  // ---------------------------------------------------------------- objects

  LabeledAppSet apply(LabeledAppSet set) {
    return client.resource(set).create();
  }

  /**
   * Applies {@code count} sets of {@code replicas} pods ({@link BenchSets#setName}), {@link
   * #PARALLELISM} at a time, all at once as far as the client goes.
   */
  void applySets(String ns, int count, int replicas, boolean service) {
    ExecutorService pool = Executors.newFixedThreadPool(PARALLELISM);
    try {
      CompletableFuture.allOf(
              IntStream.range(0, count)
                  .mapToObj(
                      i ->
                          CompletableFuture.runAsync(
                              () ->
                                  apply(
                                      BenchSets.benchSet(
                                          ns, BenchSets.setName(i), replicas, service)),
                              pool))
                  .toArray(CompletableFuture[]::new))
          .join();
    } finally {
      pool.shutdown();
    }
  }

  LabeledAppSet scale(String ns, String name, int replicas) {
    return client
        .resources(LabeledAppSet.class)
        .inNamespace(ns)
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), replicasPatch(replicas));
  }

  static String replicasPatch(int replicas) {
    return "{\"spec\":{\"replicas\":" + replicas + "}}";
  }

  /** The pod the operator would create for the burst set, without the ownerReference to it. */
  Pod samePod(String ns) {
    LabeledAppSet set = BenchSets.benchSet(ns, "burst", burst, false);
    set.getMetadata().setUid(UUID.randomUUID().toString());
    // with what the operator's default conventions add in this namespace (resources, inherited
    // labels)
    var verdict =
        Conventions.evaluate(
            set, client.namespaces().withName(ns).get(), new OperatorConfig().conventions);
    Pod pod = TestDesired.pod(set, 0, verdict);
    pod.getMetadata().setOwnerReferences(null);
    pod.getMetadata().setLabels(new LinkedHashMap<>(pod.getMetadata().getLabels()));
    return pod;
  }

  // ---------------------------------------------------------------- namespaces

  /**
   * Creates {@code las-bench-<run>-<what>}, labeled so that the operator's conventions manage it,
   * once pods may be created in it.
   */
  String namespace(String what) {
    String ns = "las-bench-" + run + "-" + what;
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/part-of", "las-bench");
    labels.putAll(enablingLabels());
    Namespace namespace = new Namespace();
    namespace.setMetadata(new ObjectMetaBuilder().withName(ns).withLabels(labels).build());
    client.resource(namespace).create();
    namespaces.add(ns);
    // the ServiceAccount admission plugin refuses pods until the namespace's default account exists
    Waits.orFail(
        "default ServiceAccount in " + ns,
        () -> client.serviceAccounts().inNamespace(ns).withName("default").get() != null);
    return ns;
  }

  /**
   * The labels that make a namespace match the operator's default namespace selector (its
   * conventions manage sets only in namespaces that opt in), e.g. {@code
   * labeledapps.io/enabled=true}.
   */
  private static Map<String, String> enablingLabels() {
    Map<String, String> labels = new LinkedHashMap<>();
    String selector = new OperatorConfig().conventions.namespaceSelector;
    for (String term : selector == null ? new String[0] : selector.split(",")) {
      String[] kv = term.trim().split("==?", 2);
      if (kv.length == 2 && !kv[0].isBlank()) {
        labels.put(kv[0].trim(), kv[1].trim());
      }
    }
    return labels;
  }

  /**
   * Deletes the namespace, pods first and at once (no kubelet grace period), and waits until it is
   * gone.
   */
  void cleanup(String ns) {
    long t0 = System.nanoTime();
    try {
      client.pods().inNamespace(ns).withGracePeriod(0).delete();
    } catch (RuntimeException e) {
      say("cleanup of %s: %s", ns, e.getMessage());
    }
    client.namespaces().withName(ns).delete();
    boolean gone =
        Waits.awaitTime(
                () -> client.namespaces().withName(ns).get() == null, Duration.ofSeconds(240))
            .isPresent();
    namespaces.remove(ns);
    say(
        "deleted namespace %s in %.1f s%s",
        ns, secondsSince(t0), gone ? "" : " (still terminating)");
  }

  /** Deletes what a failed scenario left behind, without waiting, and closes the client. */
  @Override
  public void close() {
    for (String ns : List.copyOf(namespaces)) {
      client.namespaces().withName(ns).delete();
    }
    client.close();
  }

  static int intEnv(String name, int otherwise) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? otherwise : Integer.parseInt(v.trim());
  }
}

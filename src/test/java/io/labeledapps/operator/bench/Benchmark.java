package io.labeledapps.operator.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.labeledapps.operator.api.ContainerPortSpec;
import io.labeledapps.operator.api.ContainerSpec;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetSpec;
import io.labeledapps.operator.api.ServicePortSpec;
import io.labeledapps.operator.api.ServiceSpec;
import io.labeledapps.operator.api.Syntax;
import io.labeledapps.operator.config.OperatorConfig;
import io.labeledapps.operator.conventions.Conventions;
import io.labeledapps.operator.crd.CrdInstaller;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.model.TestDesired;
import io.labeledapps.operator.status.Conditions;
import io.labeledapps.operator.status.PodState;
import io.labeledapps.operator.testkit.OperatorProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code make bench}: the operator against kube-controller-manager's ReplicaSet controller and
 * against a bare client, on the cluster in KUBECONFIG. Prints a table and writes JSON to
 * target/bench/. A program that measures and reports, not a test: nothing here fails on a slow
 * figure. Works only in namespaces it creates ({@code las-bench-*}) and deletes them afterwards.
 *
 * <p>Environment: {@code BENCH_AUDIT_LOG} the API server's audit log (JSON lines), to count the
 * operator's requests and read the server's clock; without it those figures are left out. {@code
 * BENCH_SCENARIOS} (default {@code burst,many,big,scale,fairness}; {@code burst} is {@code
 * burst-operator}, {@code burst-replicaset}, {@code burst-raw} and {@code burst-lean}), {@code
 * BENCH_BURST} (500), {@code BENCH_SCALE_SETS} (2000), {@code BENCH_SCALE_PODS} (5), {@code
 * BENCH_FAIRNESS_SETS} (200), {@code BENCH_FAIRNESS_BURST} (5000), {@code BENCH_SETS} (300), {@code
 * BENCH_DELETIONS} (100), {@code BENCH_BIG} (5000), {@code BENCH_QUIET_SECONDS} (60), {@code
 * BENCH_SCALE_SETS} (2000) and {@code BENCH_SCALE_PODS} (5) for the {@code scale-memory} scenario
 * (not in the default list: 10,000 pods take minutes), {@code BENCH_OPERATOR_JVM} (JVM options of
 * the operator; default: the image's, see {@link #IMAGE_JVM}).
 */
public final class Benchmark {
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

  private static final Duration CONVERGE_TIMEOUT = Duration.ofSeconds(180);

  private final KubernetesClient client;
  private final String run = UUID.randomUUID().toString().substring(0, 6);
  private final Path out = Path.of("target", "bench");
  private final Path jar =
      Path.of(
          Optional.ofNullable(System.getenv("BENCH_OPERATOR_JAR"))
              .orElse("target/labeledappset-operator.jar"));
  private final AuditLog audit;
  private final List<String> operatorJvm;
  private final int burst = intEnv("BENCH_BURST", 500);
  private final int sets = intEnv("BENCH_SETS", 300);
  private final int deletions = intEnv("BENCH_DELETIONS", 100);
  private final int big = intEnv("BENCH_BIG", 5000);
  private final int quietSeconds = intEnv("BENCH_QUIET_SECONDS", 60);
  private final List<String> scenarios;
  private final Map<String, Object> results = new LinkedHashMap<>();
  private final List<String[]> rows = new ArrayList<>();
  private final List<String> namespaces = new ArrayList<>();

  /** Fresh starts of the operator and of the bare client for the burst (BENCH_BURST_REPEATS). */
  private final int burstRepeats;

  private Benchmark() {
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
    String auditPath = System.getenv("BENCH_AUDIT_LOG");
    audit = auditPath == null || auditPath.isBlank() ? null : new AuditLog(Path.of(auditPath));
    operatorJvm =
        Arrays.asList(
            Optional.ofNullable(System.getenv("BENCH_OPERATOR_JVM"))
                .orElse(IMAGE_JVM)
                .trim()
                .split("\\s+"));
    burstRepeats =
        Integer.parseInt(Optional.ofNullable(System.getenv("BENCH_BURST_REPEATS")).orElse("3"));
    scenarios =
        Arrays.asList(
            Optional.ofNullable(System.getenv("BENCH_SCENARIOS"))
                .orElse("burst,many,big,scale,fairness")
                .split(","));
  }

  public static void main(String[] args) throws Exception {
    Benchmark bench = new Benchmark();
    try {
      bench.run();
    } finally {
      bench.cleanupAll();
      bench.client.close();
    }
  }

  private void run() throws Exception {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build it first (make build)");
    }
    Files.createDirectories(out);
    CrdInstaller.install(client, Path.of("crds"));
    long started = System.nanoTime();
    results.put("machine", machine());
    results.put("loadBefore", loadAverage());
    OperatorConfig defaults = new OperatorConfig();
    results.put(
        "settings",
        Map.of(
            "podCreateParallelism",
            defaults.podCreateParallelism,
            "podCreateBurst",
            defaults.podCreateBurst,
            "podCreateRate",
            defaults.podCreateRate,
            "podCreateMaxRate",
            defaults.podCreateMaxRate,
            "operatorJvm",
            String.join(" ", operatorJvm),
            "auditLog",
            audit != null));
    say(
        "run %s on %s; load %s; operator JVM %s; pod creates: parallelism %d, burst %d, rate %.0f/s",
        run,
        client.getConfiguration().getMasterUrl(),
        loadAverage(),
        String.join(" ", operatorJvm),
        defaults.podCreateParallelism,
        defaults.podCreateBurst,
        defaults.podCreateRate);
    try {
      if (scenarios.stream().anyMatch(x -> x.startsWith("burst"))) {
        warmUpTheStopwatch();
      }
      // a first burst depends on a cold JVM and on whatever else the two cores do at that moment:
      // each contender starts afresh several times, taking turns, and the medians are compared
      for (int repeat = 1; repeat <= burstRepeats; repeat++) {
        if (scenarios.contains("burst") || scenarios.contains("burst-operator")) {
          burstOperator(repeat);
        }
        if (repeat == 1
            && (scenarios.contains("burst") || scenarios.contains("burst-replicaset"))) {
          // kube-controller-manager is not restarted, and is held to 20 requests a second anyway
          burstReplicaSet();
        }
        if (scenarios.contains("burst") || scenarios.contains("burst-raw")) {
          burstRaw(repeat, false);
        }
        if (scenarios.contains("burst") || scenarios.contains("burst-lean")) {
          burstRaw(repeat, true);
        }
      }
      compareBursts();
      if (scenarios.contains("many")) {
        manySets();
      }
      if (scenarios.contains("big")) {
        bigSet();
      }
      if (scenarios.contains("scale")) {
        scale();
      }
      if (scenarios.contains("fairness")) {
        fairness();
      }
      if (scenarios.contains("scale-memory")) {
        scaleMemory();
      }
    } finally {
      // what was measured is reported even when a later scenario failed
      results.put("loadAfter", loadAverage());
      results.put("totalSeconds", round(secondsSince(started)));
      report();
    }
  }

  // ---------------------------------------------------------------- 1. burst

  /**
   * Seconds until the burst was done (pods exist and status says so), per contender, per fresh
   * start of the contender, per round.
   */
  private final Map<String, List<List<Double>>> burstSeconds = new LinkedHashMap<>();

  private static final int ROUNDS = 2;

  /**
   * CPU seconds the contender's process used until the burst was done, per fresh start, per round.
   */
  private final Map<String, List<List<Double>>> burstCpu = new LinkedHashMap<>();

  /**
   * Waits until the machine's CPUs were at least {@link #QUIET_IDLE} idle over one second (the last
   * scale-down's pods deleted, the nodes' and controllers' work done), at most 30 s; returns how
   * long it waited. Without /proc it does not wait.
   */
  static double awaitQuietMachine() throws InterruptedException {
    long t0 = System.nanoTime();
    long[] before = cpuTicks();
    while (before != null && System.nanoTime() - t0 < Duration.ofSeconds(30).toNanos()) {
      Thread.sleep(1000);
      long[] now = cpuTicks();
      double idle = (double) (now[1] - before[1]) / Math.max(1, now[0] - before[0]);
      if (idle >= QUIET_IDLE) {
        break;
      }
      before = now;
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static final double QUIET_IDLE = 0.8;

  /** Total and idle (+ iowait) ticks of all CPUs, from /proc/stat; null when unknown. */
  private static long[] cpuTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** User + system CPU time of a process, from /proc (Linux); null when unknown. */
  static Double cpuSeconds(OptionalLong pid) {
    if (pid.isEmpty()) {
      return null;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid.getAsLong()), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // utime and stime (fields 14 and 15), in clock ticks: 100 a second on Linux
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** One contender's scale-up and scale-down, and how its status tells that all pods exist. */
  private interface Contender {
    /** Starts the scale-up; returns the generation its status must have observed (0: no status). */
    long scaleUp();

    void scaleDown();

    boolean statusSaysAll(long generation);

    boolean statusSaysReady(long generation);

    /** The contender's process, when it is one the benchmark started (its CPU time is read). */
    default OptionalLong pid() {
      return OptionalLong.empty();
    }
  }

  /**
   * Runs {@link #ROUNDS} bursts 0 -> {@link #burst} with {@code c}: the first in a JVM that has
   * only created 16 pods, the next ones warm, as a long-running operator is.
   */
  private void burstRounds(
      String key,
      String agent,
      String ns,
      Watches w,
      Contender c,
      Map<String, Object> r,
      Runnable betweenScaleUpAndDown)
      throws IOException, InterruptedException {
    List<Map<String, Object>> rounds = new ArrayList<>();
    List<Double> times = new ArrayList<>();
    List<Double> cpus = new ArrayList<>();
    burstSeconds.computeIfAbsent(key, k -> new ArrayList<>()).add(times);
    burstCpu.computeIfAbsent(key, k -> new ArrayList<>()).add(cpus);
    for (int round = 1; round <= ROUNDS; round++) {
      Map<String, Object> m = new LinkedHashMap<>();
      // every contender starts its burst on a machine that has settled (the cluster shares its
      // cores)
      m.put("idleBeforeSeconds", round(awaitQuietMachine()));
      long offset = auditOffset();
      Double cpu0 = cpuSeconds(c.pid());
      long t0 = System.nanoTime();
      long generation = c.scaleUp();
      long scaled = System.nanoTime();
      OptionalLong podsAt = podsSeenAt(w, "burst", burst, t0);
      OptionalLong statusAt = awaitTime(() -> c.statusSaysAll(generation), CONVERGE_TIMEOUT);
      Double cpu1 = cpuSeconds(c.pid());
      if (cpu0 != null && cpu1 != null) {
        // on a machine the contender shares with the API server, its CPU is the server's loss
        m.put("cpuSeconds", round(cpu1 - cpu0));
        cpus.add(round(cpu1 - cpu0));
      }
      OptionalLong readyAt = awaitTime(() -> c.statusSaysReady(generation), CONVERGE_TIMEOUT);
      m.put("scaleRequestSeconds", round((scaled - t0) / 1e9));
      m.put("podsExistSeconds", seconds(t0, podsAt));
      m.put("statusReplicasSeconds", seconds(t0, statusAt));
      m.put("statusReadySeconds", seconds(t0, readyAt));
      serverSide(m, offset, ns, agent);
      double done =
          Math.max(
              seconds(t0, podsAt) == null ? Double.NaN : seconds(t0, podsAt),
              seconds(t0, statusAt) == null ? Double.NaN : seconds(t0, statusAt));
      times.add(Double.isNaN(done) ? null : round(done));
      say(
          "burst %s, round %d: %d pods exist after %s s, status says so after %s s, all ready after %s s (server: %s s first to last create; CPU %s s)",
          key,
          round,
          burst,
          seconds(t0, podsAt),
          seconds(t0, statusAt),
          seconds(t0, readyAt),
          m.get("serverFirstToLastCreateSeconds"),
          m.get("cpuSeconds"));
      if (round == 1 && betweenScaleUpAndDown != null) {
        betweenScaleUpAndDown.run();
      }
      rounds.add(m);
      if (round < ROUNDS) {
        c.scaleDown();
        awaitOrFail(
            "pods of the burst gone",
            () ->
                w.pods().stream()
                    .noneMatch(
                        p -> "burst".equals(p.getMetadata().getLabels().get(Labels.INSTANCE))));
      }
    }
    r.put("rounds", rounds);
  }

  private void burstOperator(int repeat) throws Exception {
    String ns = namespace("burst" + (repeat == 1 ? "" : "-" + repeat));
    Map<String, Object> r = section("burstOperator" + (repeat == 1 ? "" : repeat));
    try (Watches w = new Watches(client, ns);
        OperatorProcess op =
            OperatorProcess.start(
                jar,
                operatorJvm,
                List.of(ns),
                null,
                OPERATOR_AGENT,
                out.resolve("operator-burst" + (repeat == 1 ? "" : "-" + repeat) + ".log"))) {
      op.awaitReady(Duration.ofSeconds(60));
      apply(benchSet(ns, "warmup", 16, false));
      awaitOrFail("warm-up set ready", () -> ready(w, "warmup", 16));
      apply(benchSet(ns, "burst", 0, false));
      awaitOrFail(
          "set burst observed",
          () ->
              w.set("burst")
                  .map(
                      s ->
                          s.getStatus() != null
                              && Objects.equals(
                                  s.getStatus().getObservedGeneration(),
                                  s.getMetadata().getGeneration()))
                  .orElse(false));
      double heapBefore = op.heapAfterGcMiB();
      burstRounds(
          "operator",
          OPERATOR_AGENT,
          ns,
          w,
          new Contender() {
            @Override
            public long scaleUp() {
              return scale(ns, "burst", burst).getMetadata().getGeneration();
            }

            @Override
            public void scaleDown() {
              scale(ns, "burst", 0);
            }

            @Override
            public boolean statusSaysAll(long generation) {
              return w.set("burst")
                  .map(
                      s ->
                          s.getStatus() != null
                              && s.getStatus().getObservedGeneration() != null
                              && s.getStatus().getObservedGeneration() >= generation
                              && Objects.equals(s.getStatus().getReplicas(), burst))
                  .orElse(false);
            }

            @Override
            public boolean statusSaysReady(long generation) {
              return statusSaysAll(generation) && ready(w, "burst", burst);
            }

            @Override
            public OptionalLong pid() {
              return OptionalLong.of(op.pid());
            }
          },
          r,
          repeat > 1
              ? null
              : () -> {
                try {
                  double heapAfter = op.heapAfterGcMiB();
                  r.put("heapAfterGcMiBBefore", round(heapBefore));
                  r.put("heapAfterGcMiBWithTheBurst", round(heapAfter));
                  r.put("heapKiBPerCachedPod", round((heapAfter - heapBefore) * 1024 / burst));
                  r.put("rssMiB", round(op.rssMiB()));
                } catch (IOException | InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
    }
    cleanup(ns);
  }

  private void burstReplicaSet() throws Exception {
    String ns = namespace("rs");
    Map<String, Object> r = section("burstReplicaSet");
    try (Watches w = new Watches(client, ns)) {
      Pod pod = samePod(ns);
      client
          .apps()
          .replicaSets()
          .inNamespace(ns)
          .resource(
              new ReplicaSetBuilder()
                  .withNewMetadata()
                  .withName("burst")
                  .withNamespace(ns)
                  .endMetadata()
                  .withNewSpec()
                  .withReplicas(16)
                  .withNewSelector()
                  .withMatchLabels(Map.of("app", "burst"))
                  .endSelector()
                  .withNewTemplate()
                  .withNewMetadata()
                  .withLabels(pod.getMetadata().getLabels())
                  .withAnnotations(pod.getMetadata().getAnnotations())
                  .endMetadata()
                  .withSpec(pod.getSpec())
                  .endTemplate()
                  .endSpec()
                  .build())
          .create();
      // the same 16-pod warm-up the other contenders get
      awaitOrFail(
          "ReplicaSet warm-up",
          () ->
              w.replicaSet("burst")
                  .map(
                      x ->
                          x.getStatus() != null
                              && Objects.equals(x.getStatus().getReadyReplicas(), 16))
                  .orElse(false));
      scaleReplicaSet(ns, 0);
      awaitOrFail(
          "ReplicaSet at 0",
          () ->
              w.replicaSet("burst")
                      .map(
                          x ->
                              x.getStatus() != null
                                  && Objects.equals(
                                      x.getStatus().getObservedGeneration(),
                                      x.getMetadata().getGeneration())
                                  && Objects.equals(x.getStatus().getReplicas(), 0))
                      .orElse(false)
                  && w.pods().isEmpty());
      burstRounds(
          "replicaset",
          RS_AGENT,
          ns,
          w,
          new Contender() {
            @Override
            public long scaleUp() {
              return scaleReplicaSet(ns, burst);
            }

            @Override
            public void scaleDown() {
              scaleReplicaSet(ns, 0);
            }

            @Override
            public boolean statusSaysAll(long generation) {
              return w.replicaSet("burst")
                  .map(
                      x ->
                          x.getStatus() != null
                              && x.getStatus().getObservedGeneration() != null
                              && x.getStatus().getObservedGeneration() >= generation
                              && Objects.equals(x.getStatus().getReplicas(), burst))
                  .orElse(false);
            }

            @Override
            public boolean statusSaysReady(long generation) {
              return statusSaysAll(generation)
                  && w.replicaSet("burst")
                      .map(x -> Objects.equals(x.getStatus().getReadyReplicas(), burst))
                      .orElse(false);
            }
          },
          r,
          null);
      client
          .apps()
          .replicaSets()
          .inNamespace(ns)
          .withName("burst")
          .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.ORPHAN)
          .delete();
    }
    cleanup(ns);
  }

  private long scaleReplicaSet(String ns, int replicas) {
    return client
        .apps()
        .replicaSets()
        .inNamespace(ns)
        .withName("burst")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + replicas + "}}")
        .getMetadata()
        .getGeneration();
  }

  /**
   * Not measured: the benchmark's own JVM creates and watches {@link #burst} pods once, so that
   * whichever contender goes first does not share the two cores with a cold stopwatch (decoding the
   * watch events of its pods) while the later ones do not.
   */
  private void warmUpTheStopwatch() throws Exception {
    String ns = namespace("warmup");
    ExecutorService pool = Executors.newFixedThreadPool(PARALLELISM);
    try (Watches w = new Watches(client, ns)) {
      Pod template = samePod(ns);
      RawCreator.createAll(
          client,
          pool,
          IntStream.range(0, burst)
              .mapToObj(i -> RawCreator.pod(template, ns, "warmup-" + i, "warmup"))
              .toList());
      podsSeenAt(w, "warmup", burst);
      awaitTime(
          () -> w.pods().stream().filter(PodState::isReady).count() >= burst, CONVERGE_TIMEOUT);
    } finally {
      pool.shutdown();
    }
    cleanup(ns);
    say("warmed up the benchmark's JVM with %d pods (not measured)", burst);
  }

  /**
   * The floors: the same pods sent with the same concurrency and no operator logic, by a bare
   * fabric8 client in a fresh JVM of its own with the operator's JVM options (so that its first
   * round is as cold as the operator's, and its second as warm), or ({@code lean}) by {@link
   * LeanCreator}, a Python client with nothing but the standard library: the API server's limit.
   */
  private void burstRaw(int repeat, boolean lean) throws Exception {
    String kind = lean ? "lean" : "raw";
    String agent = lean ? LEAN_AGENT : RAW_AGENT;
    String ns = namespace(kind + (repeat == 1 ? "" : "-" + repeat));
    Map<String, Object> r =
        section((lean ? "burstLean" : "burstRaw") + (repeat == 1 ? "" : repeat));
    Path log =
        out.resolve(
            (lean ? "lean-client" : "raw-client") + (repeat == 1 ? "" : "-" + repeat) + ".log");
    try (Watches w = new Watches(client, ns);
        RawCreator.Creator raw =
            lean
                ? LeanCreator.start(
                    client.getConfiguration(), ns, samePod(ns), PARALLELISM, agent, log)
                : RawCreator.Remote.start(operatorJvm, ns, samePod(ns), PARALLELISM, agent, log)) {
      raw.create("warmup", 16);
      List<Double> answered = new ArrayList<>();
      burstRounds(
          kind,
          agent,
          ns,
          w,
          new Contender() {
            @Override
            public long scaleUp() {
              try {
                answered.add(round(raw.create("burst", burst)));
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              return 0;
            }

            @Override
            public void scaleDown() {
              client
                  .pods()
                  .inNamespace(ns)
                  .withLabel(Labels.INSTANCE, "burst")
                  .withGracePeriod(0)
                  .delete();
            }

            @Override
            public boolean statusSaysAll(long generation) {
              return true;
            }

            @Override
            public boolean statusSaysReady(long generation) {
              return w.pods().stream()
                      .filter(p -> "burst".equals(p.getMetadata().getLabels().get(Labels.INSTANCE)))
                      .filter(PodState::isReady)
                      .count()
                  >= burst;
            }

            @Override
            public OptionalLong pid() {
              return OptionalLong.of(raw.pid());
            }
          },
          r,
          null);
      r.put("allCreatesAnsweredSeconds", answered);
    }
    cleanup(ns);
  }

  /** The pod the operator would create for the burst set, without the ownerReference to it. */
  private Pod samePod(String ns) {
    LabeledAppSet set = benchSet(ns, "burst", burst, false);
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

  private void compareBursts() {
    if (burstSeconds.isEmpty()) {
      return;
    }
    String name = "Burst 0 -> " + burst + " (1st / 2nd round)";
    row(name, "operator: pods exist and status.replicas says so", rounds("operator"), "", "");
    row("", "ReplicaSet controller, same pod template", rounds("replicaset"), "", "");
    row(
        "",
        "bare fabric8 client, "
            + PARALLELISM
            + " threads, no operator logic (own JVM, same options)",
        rounds("raw"),
        "",
        "");
    row(
        "",
        "lean raw client: python3 http.client, "
            + PARALLELISM
            + " HTTPS connections (the API server's limit)",
        rounds("lean"),
        "",
        "");
    for (int round = 0; round < ROUNDS; round++) {
      Double op = at("operator", round);
      Double rs = at("replicaset", round);
      Double raw = at("raw", round);
      Double lean = at("lean", round);
      String which =
          (round == 0 ? "1st round" : "2nd round") + (burstRepeats > 1 ? ", medians" : "");
      if (op != null && rs != null) {
        row(
            "",
            "speed-up over the ReplicaSet controller, " + which,
            String.format(Locale.ROOT, "%.1fx", rs / op),
            ">= 5x",
            verdict(rs / op >= 5));
      }
      if (op != null && raw != null) {
        row(
            "",
            "operator / bare client, " + which,
            String.format(Locale.ROOT, "%.2fx", op / raw),
            "<= 1.5x",
            verdict(op / raw <= 1.5));
      }
      if (op != null && lean != null) {
        row(
            "",
            "operator / lean raw client, " + which,
            String.format(Locale.ROOT, "%.2fx", op / lean),
            "<= 1.5x",
            verdict(op / lean <= 1.5));
      }
    }
    String first = burstRepeats > 1 ? " (first start)" : "";
    server("burstOperator", "operator" + first);
    server("burstReplicaSet", "ReplicaSet controller");
    server("burstRaw", "bare client" + first);
    server("burstLean", "lean raw client" + first);
    if (burstCpu.containsKey("operator")) {
      row("", "operator: CPU seconds until done", cpuRounds("operator"), "", "");
    }
    if (burstCpu.containsKey("raw")) {
      row("", "bare client: CPU seconds until done", cpuRounds("raw"), "", "");
    }
    if (burstCpu.containsKey("lean")) {
      row("", "lean raw client: CPU seconds until done", cpuRounds("lean"), "", "");
    }
    for (String key : List.of("operator", "raw", "lean")) {
      if (burstCpu.containsKey(key)) {
        List<String> perPod = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
          Double cpu = median(burstCpu.get(key), round);
          perPod.add(cpu == null ? "n/a" : String.format(Locale.ROOT, "%.2f", cpu * 1000 / burst));
        }
        row(
            "",
            (key.equals("raw") ? "bare client" : key.equals("lean") ? "lean raw client" : key)
                + ": CPU milliseconds per pod create (median)",
            String.join(" / ", perPod) + " ms",
            "",
            "");
      }
    }
    Map<?, ?> o = (Map<?, ?>) results.get("burstOperator");
    if (o != null && o.get("heapKiBPerCachedPod") != null) {
      row(
          "Footprint",
          "heap per additional cached pod (after GC, " + burst + " pods)",
          o.get("heapKiBPerCachedPod") + " KiB",
          "reported",
          "");
    }
  }

  private String cpuRounds(String key) {
    return perRound(burstCpu.get(key));
  }

  /** The median over the contender's fresh starts of one round (0: the first). */
  private Double at(String key, int round) {
    return median(burstSeconds.get(key), round);
  }

  static Double median(List<List<Double>> starts, int round) {
    if (starts == null) {
      return null;
    }
    List<Double> v =
        starts.stream()
            .filter(l -> l.size() > round && l.get(round) != null)
            .map(l -> l.get(round))
            .sorted()
            .toList();
    if (v.isEmpty()) {
      return null;
    }
    return v.size() % 2 == 1
        ? v.get(v.size() / 2)
        : round((v.get(v.size() / 2 - 1) + v.get(v.size() / 2)) / 2);
  }

  /** {@code 4.75 / 2.13 s}, or with several starts the medians and each round's range. */
  private static String perRound(List<List<Double>> starts) {
    if (starts == null || starts.isEmpty()) {
      return "not run";
    }
    List<String> medians = new ArrayList<>();
    List<String> ranges = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      Double m = median(starts, round);
      medians.add(m == null ? "n/a" : fmt(m));
      int r = round;
      DoubleSummaryStatistics st =
          starts.stream()
              .filter(l -> l.size() > r && l.get(r) != null)
              .mapToDouble(l -> l.get(r))
              .summaryStatistics();
      ranges.add(st.getCount() == 0 ? "n/a" : fmt(st.getMin()) + "-" + fmt(st.getMax()));
    }
    String v = String.join(" / ", medians) + " s";
    return starts.size() == 1
        ? v
        : v + " (median of " + starts.size() + "; range " + String.join(" / ", ranges) + ")";
  }

  private String rounds(String key) {
    return perRound(burstSeconds.get(key));
  }

  private void server(String section, String who) {
    Map<?, ?> sec = (Map<?, ?>) results.get(section);
    if (sec == null || !(sec.get("rounds") instanceof List<?> rounds)) {
      return;
    }
    String v =
        rounds.stream()
            .map(x -> str(((Map<?, ?>) x).get("serverFirstToLastCreateSeconds")))
            .collect(Collectors.joining(" / "));
    if (!v.contains("n/a")) {
      row("", who + ": first to last create, API server's clock", v + " s", "", "");
    }
  }

  // ---------------------------------------------------------------- 2-5. many sets, quiet,
  // reaction, footprint

  private void manySets() throws Exception {
    String ns = namespace("many");
    Map<String, Object> r = section("manySets");
    ExecutorService pool = Executors.newFixedThreadPool(PARALLELISM);
    OperatorProcess op =
        OperatorProcess.start(
            jar, operatorJvm, List.of(ns), null, OPERATOR_AGENT, out.resolve("operator-many.log"));
    try (Watches w = new Watches(client, ns)) {
      op.awaitReady(Duration.ofSeconds(60));
      double emptyHeap = op.heapAfterGcMiB();
      double emptyRss = op.rssMiB();
      r.put("emptyHeapAfterGcMiB", round(emptyHeap));
      r.put("emptyRssMiB", round(emptyRss));

      // 2. many sets at once
      long t0 = System.nanoTime();
      CompletableFuture.allOf(
              IntStream.range(0, sets)
                  .mapToObj(
                      i ->
                          CompletableFuture.runAsync(
                              () -> apply(benchSet(ns, setName(i), 3, true)), pool))
                  .toArray(CompletableFuture[]::new))
          .join();
      long applied = System.nanoTime();
      OptionalLong podsAt = podsSeenAt(w, null, sets * 3);
      OptionalLong readyAt = awaitTime(() -> readySets(w) >= sets, CONVERGE_TIMEOUT);
      r.put("setsAppliedSeconds", round((applied - t0) / 1e9));
      r.put("podsExistSeconds", seconds(t0, podsAt));
      r.put("allReadyInStatusSeconds", seconds(t0, readyAt));
      r.put("readySetsAtEnd", readySets(w));
      say(
          "%d sets x 3 pods + Service: applied in %.2f s, %d pods exist after %.2f s, all Ready in status after %.2f s",
          sets, (applied - t0) / 1e9, sets * 3, seconds(t0, podsAt), seconds(t0, readyAt));
      row(
          sets + " sets x 3 pods + Service",
          "all sets Ready in status (from the first apply)",
          fmt(seconds(t0, readyAt)),
          "reported",
          readyAt.isPresent() ? "" : "TIMED OUT (" + readySets(w) + " ready)");

      // 3. quiet: no writes and no GETs while nothing changes
      pause(5_000);
      long quietOffset = auditOffset();
      Instant quietFrom = Instant.now();
      long reconcilesBefore = op.reconciliationsStarted().orElse(-1);
      say("quiet: watching the operator's requests for %d s", quietSeconds);
      pause(quietSeconds * 1000L);
      Instant quietTo = Instant.now();
      long reconcilesQuiet = op.reconciliationsStarted().orElse(-1) - reconcilesBefore;
      r.put("quietReconciles", reconcilesQuiet);
      Map<String, Object> quiet = operatorRequests(quietOffset, quietFrom, quietTo);
      r.put("quiet", quiet);
      row(
          "Quiet, " + sets + " sets converged",
          "operator writes in " + quietSeconds + " idle seconds",
          str(quiet.get("writes")),
          "0",
          verdictCount(quiet.get("writes"), 0));
      row(
          "",
          "operator GETs in " + quietSeconds + " idle seconds",
          str(quiet.get("gets")),
          "0",
          verdictCount(quiet.get("gets"), 0));

      // 5. footprint of the operator that did all this
      r.put("footprintAfterConverge", footprint(op, emptyHeap));

      // forced resync: a fresh start lists everything and reconciles every set
      op.close();
      long resyncOffset = auditOffset();
      Instant resyncFrom = Instant.now();
      op =
          OperatorProcess.start(
              jar,
              operatorJvm,
              List.of(ns),
              null,
              OPERATOR_AGENT,
              out.resolve("operator-resync.log"));
      OperatorProcess restarted = op;
      double readySeconds = op.awaitReady(Duration.ofSeconds(120));
      OptionalLong firstReconcile =
          awaitTime(() -> restarted.reconciliationsStarted().orElse(0) > 0, Duration.ofSeconds(60));
      OptionalLong allReconciled =
          awaitTime(
              () -> restarted.reconciliationsStarted().orElse(0) >= sets, Duration.ofSeconds(60));
      pause(10_000);
      Instant resyncTo = Instant.now();
      Map<String, Object> resync = operatorRequests(resyncOffset, resyncFrom, resyncTo);
      if (audit != null) {
        // which sets a resync wrote to, and their conditions now: a lead for whoever looks into it
        Map<String, Object> written = new LinkedHashMap<>();
        audit.since(resyncOffset).stream()
            .filter(AuditLog.byAgent(OPERATOR_AGENT))
            .filter(AuditLog.Entry::isWrite)
            .map(AuditLog.Entry::name)
            .distinct()
            .limit(10)
            .forEach(
                n ->
                    written.put(
                        n,
                        w.set(n)
                            .map(x -> x.getStatus() == null ? null : x.getStatus().getConditions())
                            .orElse(null)));
        resync.put("writtenSets", written);
      }
      resync.put("reconciles", op.reconciliationsStarted().orElse(-1));
      resync.put("startToReadyzSeconds", round(readySeconds));
      resync.put("startToFirstReconcileSeconds", seconds(op.startNanos, firstReconcile));
      resync.put("startToAllSetsReconciledSeconds", seconds(op.startNanos, allReconciled));
      r.put("resync", resync);
      row(
          "",
          "operator writes in a forced resync (restart: "
              + resync.get("reconciles")
              + " reconciles)",
          str(resync.get("writes")),
          "0",
          verdictCount(resync.get("writes"), 0));
      row(
          "",
          "operator GETs in a forced resync",
          str(resync.get("gets")),
          "0",
          verdictCount(resync.get("gets"), 0));
      say(
          "quiet: %s writes, %s GETs in %d s (%d reconciles); resync: %s writes, %s GETs, first reconcile %.2f s after start",
          quiet.get("writes"),
          quiet.get("gets"),
          quietSeconds,
          reconcilesQuiet,
          resync.get("writes"),
          resync.get("gets"),
          seconds(op.startNanos, firstReconcile));

      Map<String, Object> fp = footprint(op, emptyHeap);
      r.put("footprintAfterRestart", fp);
      Map<?, ?> fpConverged = (Map<?, ?>) r.get("footprintAfterConverge");
      row(
          "Footprint, " + sets + " sets / " + sets * 3 + " pods cached",
          "RSS, operator that created them all",
          fpConverged.get("rssMiB") + " MiB",
          "< 256 MiB",
          verdict((Double) fpConverged.get("rssMiB") < 256));
      row(
          "",
          "RSS, freshly restarted operator",
          fp.get("rssMiB") + " MiB",
          "< 256 MiB",
          verdict((Double) fp.get("rssMiB") < 256));
      row(
          "",
          "heap after GC (empty: " + round(emptyHeap) + " MiB)",
          fpConverged.get("heapAfterGcMiB") + " MiB",
          "",
          "");
      row(
          "",
          "start-up: process start to /readyz, to first reconcile",
          fmt(round(readySeconds)) + " / " + fmt(seconds(op.startNanos, firstReconcile)),
          "reported",
          "");

      // 4. reaction: delete a pod, time until its replacement exists
      reaction(w, ns, r);
    } finally {
      op.close();
      pool.shutdown();
    }
    cleanup(ns);
  }

  private Map<String, Object> footprint(OperatorProcess op, double emptyHeap)
      throws IOException, InterruptedException {
    Map<String, Object> fp = new LinkedHashMap<>();
    fp.put("rssMiB", round(op.rssMiB()));
    double heap = op.heapAfterGcMiB();
    fp.put("heapAfterGcMiB", round(heap));
    fp.put("rssAfterGcMiB", round(op.rssMiB()));
    fp.put(
        "heapKiBPerPodWithItsShareOfSetAndService", round((heap - emptyHeap) * 1024 / (sets * 3)));
    return fp;
  }

  private void reaction(Watches w, String ns, Map<String, Object> r) throws InterruptedException {
    Map<String, Object> rr =
        reactions(w, ns, sets, 3, deletions, () -> false, Duration.ofSeconds(10));
    r.put("reaction", rr);
    reactionRows("Reaction", rr);
  }

  private void reactionRows(String scenario, Map<String, Object> rr) {
    row(
        scenario,
        "pod deleted -> replacement exists, p50 over " + rr.get("deletions"),
        str(rr.get("p50Seconds")),
        "",
        "");
    row(
        "",
        "p99",
        str(rr.get("p99Seconds")),
        "< 1 s",
        rr.get("p99Seconds") == null
            ? "n/a"
            : verdict((Double) rr.get("p99Seconds") < 1.0 && (Integer) rr.get("timeouts") == 0));
  }

  /**
   * Up to {@code count} times (fewer once {@code stop} holds): delete a ready pod of one of the
   * {@code setCount} sets of {@code replicas} pods, time until its replacement exists (a watch sees
   * it), then let the set settle (at most {@code settle}: the replacement ready, the old pod gone).
   */
  private Map<String, Object> reactions(
      Watches w,
      String ns,
      int setCount,
      int replicas,
      int count,
      BooleanSupplier stop,
      Duration settle)
      throws InterruptedException {
    List<Double> times = new ArrayList<>();
    int timeouts = 0;
    for (int i = 0; i < count && !stop.getAsBoolean(); i++) {
      String set = setName((i * 7) % setCount);
      Optional<Pod> victim =
          w.pods().stream()
              .filter(p -> set.equals(p.getMetadata().getLabels().get(Labels.INSTANCE)))
              .filter(p -> !PodState.isTerminating(p) && PodState.isReady(p))
              .findFirst();
      if (victim.isEmpty()) {
        continue;
      }
      w.added.clear();
      long t0 = System.nanoTime();
      client.pods().inNamespace(ns).withName(victim.get().getMetadata().getName()).delete();
      Watches.Added replacement = null;
      long deadline = t0 + Duration.ofSeconds(10).toNanos();
      while (replacement == null && System.nanoTime() < deadline) {
        Watches.Added a = w.added.poll(100, TimeUnit.MILLISECONDS);
        if (a != null && a.group().equals(set)) {
          replacement = a;
        }
      }
      if (replacement == null) {
        timeouts++;
      } else {
        times.add((replacement.nanos() - t0) / 1e9);
      }
      awaitTime(
          () ->
              ready(w, set, replicas)
                  && w.pods().stream()
                          .filter(p -> set.equals(p.getMetadata().getLabels().get(Labels.INSTANCE)))
                          .count()
                      == replicas,
          settle);
    }
    times.sort(Comparator.naturalOrder());
    Map<String, Object> rr = new LinkedHashMap<>();
    rr.put("deletions", times.size() + timeouts);
    rr.put("timeouts", timeouts);
    if (!times.isEmpty()) {
      rr.put("p50Seconds", round(percentile(times, 50)));
      rr.put("p99Seconds", round(percentile(times, 99)));
      rr.put("maxSeconds", round(times.get(times.size() - 1)));
    }
    say(
        "reaction over %d deletions: p50 %s s, p99 %s s, %d timeouts",
        times.size() + timeouts, rr.get("p50Seconds"), rr.get("p99Seconds"), timeouts);
    return rr;
  }

  // ---------------------------------------------------------------- 7. ten times the scale: 2,000
  // sets x 5

  private final int scaleSets = intEnv("BENCH_SCALE_SETS", 2000);
  private final int scalePods = intEnv("BENCH_SCALE_PODS", 5);

  /**
   * {@code scale}: the lean raw client creates sets x pods pods (the time until all are Running and
   * Ready is the cluster's pace), then the operator gets as many sets with a Service each, applied
   * at once: the time until every set is Ready, against the raw client's; then 0 writes while idle,
   * reaction p50/p99, and what a restart writes (0 pod writes, at most one status write a set).
   * Memory at this scale is the {@code scale-memory} scenario's.
   */
  private void scale() throws Exception {
    int total = scaleSets * scalePods;
    Map<String, Object> r = section("scale");
    String name = "Scale: " + scaleSets + " sets x " + scalePods + " pods + Service";
    // the reference: the same number of pods from the lean client, Running and Ready
    String rawNs = namespace("scale-raw");
    Double rawCreated;
    OptionalLong rawReady;
    long r0;
    try (Watches w = new Watches(client, rawNs);
        LeanCreator lean =
            LeanCreator.start(
                client.getConfiguration(),
                rawNs,
                samePod(rawNs),
                PARALLELISM,
                LEAN_AGENT,
                out.resolve("lean-client-scale.log"))) {
      awaitQuietMachine();
      r0 = System.nanoTime();
      rawCreated = round(lean.create("scale", total));
      rawReady =
          awaitTime(
              () -> w.pods().stream().filter(PodState::isReady).count() >= total,
              Duration.ofMinutes(10));
      r.put("rawCreatedSeconds", rawCreated);
      r.put("rawCodes", lean.lastCodes().toString());
      r.put("rawAllReadySeconds", seconds(r0, rawReady));
    }
    say(
        "scale: lean raw client created %d pods in %s s, all Running and Ready after %s s",
        total, rawCreated, seconds(r0, rawReady));
    cleanup(rawNs);

    String ns = namespace("scale");
    ExecutorService pool = Executors.newFixedThreadPool(PARALLELISM);
    OperatorProcess op =
        OperatorProcess.start(
            jar, operatorJvm, List.of(ns), null, OPERATOR_AGENT, out.resolve("operator-scale.log"));
    try (Watches w = new Watches(client, ns)) {
      op.awaitReady(Duration.ofSeconds(60));
      awaitQuietMachine();
      long offset = auditOffset();
      long t0 = System.nanoTime();
      CompletableFuture.allOf(
              IntStream.range(0, scaleSets)
                  .mapToObj(
                      i ->
                          CompletableFuture.runAsync(
                              () -> apply(benchSet(ns, setName(i), scalePods, true)), pool))
                  .toArray(CompletableFuture[]::new))
          .join();
      long applied = System.nanoTime();
      OptionalLong podsAt = awaitTime(() -> w.podsSeen() >= total, Duration.ofMinutes(10));
      OptionalLong readyAt = awaitTime(() -> readySets(w) >= scaleSets, Duration.ofMinutes(15));
      r.put("setsAppliedSeconds", round((applied - t0) / 1e9));
      r.put("podsExistSeconds", seconds(t0, podsAt));
      r.put("allReadySeconds", seconds(t0, readyAt));
      r.put("readySetsAtEnd", readySets(w));
      if (audit != null) {
        pause(1000);
        List<AuditLog.Entry> creates =
            audit.since(offset).stream()
                .filter(AuditLog.byAgent(OPERATOR_AGENT))
                .filter(e -> e.verb().equals("create") && e.resource().equals("pods"))
                .toList();
        r.put(
            "operatorPodCreateCodes",
            creates.stream()
                .collect(
                    Collectors.groupingBy(
                        e -> Integer.toString(e.code()),
                        LinkedHashMap::new,
                        Collectors.counting())));
      }
      say(
          "scale: %d sets applied in %.1f s; %d pods exist after %s s; all sets Ready after %s s",
          scaleSets, (applied - t0) / 1e9, total, seconds(t0, podsAt), seconds(t0, readyAt));
      Double opReady = seconds(t0, readyAt);
      Double rawAll = seconds(r0, rawReady);
      row(
          name,
          "lean raw client: " + total + " pods created / all Running and Ready",
          fmt(rawCreated) + " / " + fmt(rawAll) + " s",
          "",
          "");
      row(
          "",
          "operator: all pods exist / all sets Ready (from the first apply)",
          fmt(seconds(t0, podsAt)) + " / " + fmt(opReady) + " s",
          "",
          readyAt.isPresent() ? "" : "TIMED OUT (" + readySets(w) + " ready)");
      if (opReady != null && rawAll != null) {
        row(
            "",
            "operator all Ready / raw client all Ready",
            String.format(Locale.ROOT, "%.2fx", opReady / rawAll),
            "<= 1.5x",
            verdict(opReady / rawAll <= 1.5));
      }

      pause(5_000);
      long quietOffset = auditOffset();
      Instant quietFrom = Instant.now();
      pause(quietSeconds * 1000L);
      Map<String, Object> quiet = operatorRequests(quietOffset, quietFrom, Instant.now());
      r.put("quiet", quiet);
      row(
          "",
          "operator writes in " + quietSeconds + " idle seconds",
          str(quiet.get("writes")),
          "0",
          verdictCount(quiet.get("writes"), 0));

      Map<String, Object> rr =
          reactions(w, ns, scaleSets, scalePods, deletions, () -> false, Duration.ofSeconds(10));
      r.put("reaction", rr);
      row(
          "",
          "reaction: pod deleted -> replacement exists, p50 / p99 over " + rr.get("deletions"),
          str(rr.get("p50Seconds")) + " / " + str(rr.get("p99Seconds")) + " s",
          "p99 < 1 s",
          rr.get("p99Seconds") == null
              ? "n/a"
              : verdict((Double) rr.get("p99Seconds") < 1.0 && (Integer) rr.get("timeouts") == 0));

      op.close();
      pause(2_000);
      long restartOffset = auditOffset();
      Instant restartFrom = Instant.now();
      op =
          OperatorProcess.start(
              jar,
              operatorJvm,
              List.of(ns),
              null,
              OPERATOR_AGENT,
              out.resolve("operator-scale-restart.log"));
      OperatorProcess restarted = op;
      op.awaitReady(Duration.ofSeconds(180));
      awaitTime(
          () -> restarted.reconciliationsStarted().orElse(0) >= scaleSets, Duration.ofMinutes(3));
      pause(10_000);
      Map<String, Object> restart = operatorRequests(restartOffset, restartFrom, Instant.now());
      long podWrites = 0;
      long statusWrites = 0;
      if (audit != null) {
        List<AuditLog.Entry> writes =
            audit.since(restartOffset).stream()
                .filter(AuditLog.byAgent(OPERATOR_AGENT))
                .filter(AuditLog.Entry::isWrite)
                .toList();
        podWrites = writes.stream().filter(e -> e.resource().equals("pods")).count();
        statusWrites = writes.stream().filter(e -> e.subresource().equals("status")).count();
      }
      restart.put("podWrites", audit == null ? "n/a" : podWrites);
      restart.put("statusWrites", audit == null ? "n/a" : statusWrites);
      r.put("restart", restart);
      row(
          "",
          "restart: pod writes / status writes",
          audit == null ? "n/a" : podWrites + " / " + statusWrites,
          "0 / <= " + scaleSets,
          audit == null ? "n/a" : verdict(podWrites == 0 && statusWrites <= scaleSets));
    } finally {
      op.close();
      pool.shutdown();
    }
    cleanup(ns);
  }

  // ---------------------------------------------------------------- 8. fairness: one set bursts,
  // the others react

  private final int fairnessSets = intEnv("BENCH_FAIRNESS_SETS", 200);
  private final int fairnessBurst = intEnv("BENCH_FAIRNESS_BURST", 5000);

  /**
   * {@code fairness}: {@link #fairnessSets} sets of 3 pods converge, their reaction to a deleted
   * pod is measured, then one more set scales 0 -> {@link #fairnessBurst} and, while its pods are
   * being created, pods of the other sets are deleted one after another: their replacements must
   * come as fast as before (p99 under 1 s), not queue behind the burst.
   */
  private void fairness() throws Exception {
    String ns = namespace("fair");
    Map<String, Object> r = section("fairness");
    ExecutorService pool = Executors.newFixedThreadPool(PARALLELISM);
    try (Watches w = new Watches(client, ns);
        OperatorProcess op =
            OperatorProcess.start(
                jar,
                operatorJvm,
                List.of(ns),
                null,
                OPERATOR_AGENT,
                out.resolve("operator-fairness.log"))) {
      op.awaitReady(Duration.ofSeconds(60));
      LabeledAppSet bigSet = benchSet(ns, "big", 0, false);
      apply(bigSet);
      CompletableFuture.allOf(
              IntStream.range(0, fairnessSets)
                  .mapToObj(
                      i ->
                          CompletableFuture.runAsync(
                              () -> apply(benchSet(ns, setName(i), 3, false)), pool))
                  .toArray(CompletableFuture[]::new))
          .join();
      awaitOrFail("the other sets Ready", () -> readySets(w) >= fairnessSets);
      Map<String, Object> before =
          reactions(
              w, ns, fairnessSets, 3, Math.min(deletions, 50), () -> false, Duration.ofSeconds(10));
      r.put("reactionBefore", before);
      awaitQuietMachine();
      long t0 = System.nanoTime();
      scale(ns, "big", fairnessBurst);
      // deletions while the big set's pods are being created; a short settle, the nodes are busy
      Map<String, Object> during =
          reactions(
              w,
              ns,
              fairnessSets,
              3,
              1_000,
              () -> w.podsSeen("big") >= fairnessBurst,
              Duration.ofSeconds(1));
      OptionalLong bigAt =
          awaitTime(() -> w.podsSeen("big") >= fairnessBurst, Duration.ofMinutes(5));
      r.put("reactionDuringBurst", during);
      r.put("burstPodsExistSeconds", seconds(t0, bigAt));
      say(
          "fairness: %d pods of the big set after %s s; reaction before p99 %s s, during p99 %s s (%s deletions)",
          fairnessBurst,
          seconds(t0, bigAt),
          before.get("p99Seconds"),
          during.get("p99Seconds"),
          during.get("deletions"));
      String name =
          "Fairness: 1 set 0 -> " + fairnessBurst + " while " + fairnessSets + " sets x 3 react";
      row(name, "big set: all pods exist", fmt(seconds(t0, bigAt)) + " s", "", "");
      row(
          "",
          "others, before the burst: reaction p50 / p99 over " + before.get("deletions"),
          str(before.get("p50Seconds")) + " / " + str(before.get("p99Seconds")) + " s",
          "",
          "");
      Object p99 = during.get("p99Seconds");
      row(
          "",
          "others, during the burst: reaction p50 / p99 over " + during.get("deletions"),
          str(during.get("p50Seconds")) + " / " + str(p99) + " s",
          "p99 < 1 s",
          p99 == null
              ? "n/a"
              : verdict((Double) p99 < 1.0 && (Integer) during.get("timeouts") == 0));
    } finally {
      pool.shutdown();
    }
    cleanup(ns);
  }

  // ---------------------------------------------------------------- 6. a big scale-up under the
  // token bucket

  private void bigSet() throws Exception {
    String ns = namespace("big");
    Map<String, Object> r = section("bigSet");
    OperatorConfig defaults = new OperatorConfig();
    int others = 20;
    // the slowest the pacer may go without an overload is the starting rate
    Duration bound = Duration.ofSeconds(Math.max(120, (long) (big / defaults.podCreateRate * 2.5)));
    // one set when the CRD allows it, else sets of the CRD's maximum, all labeled app=big and
    // scaled up together: the bucket is shared, so it sees the same 5,000 creates either way
    int perSet = Math.min(big, Syntax.MAX_REPLICAS);
    List<String> bigSets =
        IntStream.range(0, (big + perSet - 1) / perSet)
            .mapToObj(i -> big <= perSet ? "big" : "big-" + i)
            .toList();
    try (Watches w = new Watches(client, ns, "app");
        OperatorProcess op =
            OperatorProcess.start(
                jar,
                operatorJvm,
                List.of(ns),
                null,
                OPERATOR_AGENT,
                out.resolve("operator-big.log"))) {
      op.awaitReady(Duration.ofSeconds(60));
      for (String name : bigSets) {
        LabeledAppSet set = benchSet(ns, name, 0, false);
        set.getSpec().setLabels(Map.of("app", "big"));
        apply(set);
      }
      awaitOrFail(
          "big sets observed",
          () ->
              bigSets.stream()
                  .allMatch(n -> w.set(n).map(s -> s.getStatus() != null).orElse(false)));
      r.put("sets", bigSets.size());
      long offset = auditOffset();
      long t0 = System.nanoTime();
      try {
        for (int i = 0; i < bigSets.size(); i++) {
          scale(ns, bigSets.get(i), Math.min(perSet, big - i * perSet));
        }
      } catch (KubernetesClientException e) {
        // e.g. a CRD installed on the cluster with a lower replicas maximum than crds/ has
        r.put("refused", e.getMessage());
        say("big set: the API server refused %d replicas: %s", big, e.getMessage());
        row("Big set 0 -> " + big, "refused by the API server", "n/a", "", "NOT RUN");
        op.close();
        cleanup(ns);
        return;
      }
      // once the burst is spent, other sets arrive: they must converge while the big one is
      // throttled
      awaitTime(
          () -> w.podsSeen("big") >= Math.min(big, defaults.podCreateBurst),
          Duration.ofSeconds(60));
      long othersAt = System.nanoTime();
      for (int i = 0; i < others; i++) {
        apply(benchSet(ns, "other-" + i, 3, false));
      }
      // the operator's part: their pods exist and their status counts them; Ready also needs the
      // nodes to start pods that queue behind the big set's
      OptionalLong othersCreated =
          awaitTime(
              () ->
                  IntStream.range(0, others)
                      .allMatch(
                          i ->
                              w.podsSeen("other-" + i) >= 3
                                  && w.set("other-" + i)
                                      .map(
                                          x ->
                                              x.getStatus() != null
                                                  && Objects.equals(x.getStatus().getReplicas(), 3))
                                      .orElse(false)),
              Duration.ofSeconds(120));
      OptionalLong othersReady =
          awaitTime(
              () -> IntStream.range(0, others).allMatch(i -> ready(w, "other-" + i, 3)),
              Duration.ofSeconds(120));
      int bigWhenOthersReady = w.podsSeen("big");
      OptionalLong bigAt = awaitTime(() -> w.podsSeen("big") >= big, bound);
      int reached = w.podsSeen("big");
      long end = bigAt.isPresent() ? w.nthPodSeen("big", big).orElseThrow() : System.nanoTime();
      double total = (end - t0) / 1e9;
      Optional<Long> burstDone = w.nthPodSeen("big", Math.min(big, defaults.podCreateBurst));
      double afterBurstRate =
          burstDone.isPresent() && reached > defaults.podCreateBurst
              ? (reached - defaults.podCreateBurst) / ((end - burstDone.get()) / 1e9)
              : Double.NaN;
      r.put("replicas", big);
      r.put("podsReached", reached);
      r.put("secondsToAllOrBound", round(total));
      r.put("firstBurstSeconds", burstDone.map(b -> round((b - t0) / 1e9)).orElse(null));
      r.put("podsPerSecondAfterBurst", round(afterBurstRate));
      r.put("otherSets", others);
      r.put("otherSetsPodsExistInStatusSeconds", seconds(othersAt, othersCreated));
      r.put("otherSetsReadySeconds", seconds(othersAt, othersReady));
      r.put("bigPodsWhenOthersReady", bigWhenOthersReady);
      if (audit != null) {
        pause(1000);
        List<AuditLog.Entry> creates =
            audit.since(offset).stream()
                .filter(AuditLog.byAgent(OPERATOR_AGENT))
                .filter(
                    e ->
                        e.namespace().equals(ns)
                            && e.verb().equals("create")
                            && e.resource().equals("pods"))
                .toList();
        r.put("operatorPodCreatesSent", creates.size());
        r.put(
            "operatorPodCreateCodes",
            creates.stream()
                .collect(
                    Collectors.groupingBy(
                        e -> Integer.toString(e.code()),
                        LinkedHashMap::new,
                        Collectors.counting())));
        r.put(
            "maxCreatesInAnySecond",
            creates.stream()
                .collect(
                    Collectors.groupingBy(
                        e -> e.received().getEpochSecond(), Collectors.counting()))
                .values()
                .stream()
                .mapToLong(Long::longValue)
                .max()
                .orElse(0));
      }
      say(
          "big set 0 -> %d: %d pods after %.1f s (first %d in %s s), %.0f pods/s after the burst; %d other sets: pods in status %s s, Ready %s s after they were applied",
          big,
          reached,
          total,
          defaults.podCreateBurst,
          r.get("firstBurstSeconds"),
          afterBurstRate,
          others,
          seconds(othersAt, othersCreated),
          seconds(othersAt, othersReady));
      row(
          (bigSets.size() == 1
                  ? "Big set 0 -> " + big
                  : "Big scale-up 0 -> "
                      + big
                      + " ("
                      + bigSets.size()
                      + " sets of "
                      + perSet
                      + ", the CRD's maximum)")
              + ", paced: bucket "
              + defaults.podCreateBurst
              + ", from "
              + fmt(defaults.podCreateRate)
              + "/s up to "
              + fmt(defaults.podCreateMaxRate)
              + "/s by the answers",
          "pods created (bounded to " + bound.toSeconds() + " s)",
          reached + " in " + fmt(round(total)) + " s",
          "",
          bigAt.isPresent() ? "" : "bound reached");
      // the pacer's promise: at most burst + maxRate x t creates in the first t seconds
      double beyondBurst = Math.max(0, reached - defaults.podCreateBurst) / total;
      r.put("podsBeyondTheBurstPerSecond", round(beyondBurst));
      row(
          "",
          "pods beyond the first " + defaults.podCreateBurst + ", per second since the scale-up",
          fmt(round(beyondBurst)) + " pods/s",
          "<= " + fmt(defaults.podCreateMaxRate) + "/s",
          verdict(beyondBurst <= defaults.podCreateMaxRate * 1.05));
      if (r.get("operatorPodCreateCodes") != null) {
        row(
            "",
            "the operator's pod creates by answer (audit log)",
            str(r.get("operatorPodCreateCodes")),
            "",
            "");
      }
      row(
          "",
          others + " other sets x 3 applied meanwhile: pods exist and status counts them",
          fmt(seconds(othersAt, othersCreated)),
          "converge",
          verdict(othersCreated.isPresent()));
      row(
          "",
          "... and all Ready (pods started behind the big set's)",
          fmt(seconds(othersAt, othersReady)),
          "",
          "");
    }
    cleanup(ns);
  }

  // ---------------------------------------------------------------- requests from the audit log

  private long auditOffset() throws IOException {
    return audit == null ? 0 : audit.offset();
  }

  private void serverSide(Map<String, Object> r, long offset, String ns, String agent)
      throws IOException {
    if (audit == null) {
      return;
    }
    pause(1000);
    List<AuditLog.Entry> creates =
        audit.since(offset).stream()
            .filter(AuditLog.byAgent(agent))
            .filter(
                e ->
                    e.namespace().equals(ns)
                        && e.verb().equals("create")
                        && e.resource().equals("pods")
                        && e.subresource().isEmpty())
            .toList();
    if (creates.isEmpty()) {
      return;
    }
    Instant first =
        creates.stream().map(AuditLog.Entry::received).min(Comparator.naturalOrder()).orElseThrow();
    Instant last =
        creates.stream()
            .map(AuditLog.Entry::completed)
            .max(Comparator.naturalOrder())
            .orElseThrow();
    r.put("serverPodCreates", creates.size());
    r.put(
        "serverCreateCodes",
        creates.stream()
            .collect(
                Collectors.groupingBy(
                    e -> Integer.toString(e.code()), LinkedHashMap::new, Collectors.counting())));
    r.put("serverFirstToLastCreateSeconds", round(Duration.between(first, last).toNanos() / 1e9));
    // the scale-up request, where there is one: how long the controller took to start creating
    audit.since(offset).stream()
        .filter(AuditLog.byAgent(CLIENT_AGENT))
        .filter(e -> e.namespace().equals(ns) && e.verb().equals("patch"))
        .findFirst()
        .ifPresent(
            p -> {
              r.put(
                  "serverScaleToFirstCreateSeconds",
                  round(Duration.between(p.received(), first).toNanos() / 1e9));
              r.put(
                  "serverScaleToLastCreateSeconds",
                  round(Duration.between(p.received(), last).toNanos() / 1e9));
            });
  }

  private Map<String, Object> operatorRequests(long offset, Instant from, Instant to)
      throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    if (audit == null) {
      m.put("writes", "n/a");
      m.put("gets", "n/a");
      return m;
    }
    pause(1000);
    List<AuditLog.Entry> mine =
        audit.since(offset).stream()
            .filter(AuditLog.byAgent(OPERATOR_AGENT))
            .filter(e -> !e.received().isBefore(from) && e.received().isBefore(to))
            .toList();
    m.put("writes", mine.stream().filter(AuditLog.Entry::isWrite).count());
    m.put("gets", mine.stream().filter(e -> e.verb().equals("get")).count());
    m.put("byVerb", AuditLog.countByVerb(mine));
    return m;
  }

  // ---------------------------------------------------------------- scale-memory: footprint at
  // 10,000 pods
  // (BENCH_SCALE_SETS x BENCH_SCALE_PODS: the same figures as the scale scenario's)

  /**
   * {@code BENCH_SCALE_SETS} sets x {@code BENCH_SCALE_PODS} pods, each set with its Service,
   * applied at once: once all are Ready, the operator's RSS, its heap after a full GC (per cached
   * pod, with its share of sets, Services and Endpoints) and the size of its /metrics.
   */
  private void scaleMemory() throws Exception {
    String ns = namespace("scale");
    Map<String, Object> r = section("scaleMemory");
    int pods = scaleSets * scalePods;
    ExecutorService pool = Executors.newFixedThreadPool(PARALLELISM);
    try (Watches w = new Watches(client, ns);
        OperatorProcess op =
            OperatorProcess.start(
                jar,
                operatorJvm,
                List.of(ns),
                null,
                OPERATOR_AGENT,
                out.resolve("operator-scale.log"))) {
      op.awaitReady(Duration.ofSeconds(60));
      double emptyHeap = op.heapAfterGcMiB();
      r.put("sets", scaleSets);
      r.put("podsPerSet", scalePods);
      r.put("emptyHeapAfterGcMiB", round(emptyHeap));
      r.put("emptyRssMiB", round(op.rssMiB()));
      long t0 = System.nanoTime();
      CompletableFuture.allOf(
              IntStream.range(0, scaleSets)
                  .mapToObj(
                      i ->
                          CompletableFuture.runAsync(
                              () -> apply(benchSet(ns, setName(i), scalePods, true)), pool))
                  .toArray(CompletableFuture[]::new))
          .join();
      r.put("setsAppliedSeconds", round(secondsSince(t0)));
      // the nodes and the API server set the pace here: allow about 0.1 s a pod
      Duration bound = Duration.ofSeconds(Math.max(300, pods / 10));
      OptionalLong podsAt =
          awaitTime(() -> w.nthPodSeen(null, pods, Long.MIN_VALUE).isPresent(), bound);
      OptionalLong readyAt = awaitTime(() -> readySets(w) >= scaleSets, bound);
      r.put("podsExistSeconds", seconds(t0, podsAt));
      r.put("allReadyInStatusSeconds", seconds(t0, readyAt));
      r.put("readySetsAtEnd", readySets(w));
      double peakRss = op.rssMiB();
      double heap = op.heapAfterGcMiB();
      double rss = op.rssMiB();
      String metrics = op.metrics(Duration.ofSeconds(60));
      // where the heap goes, for whoever looks into the figure
      Files.writeString(out.resolve("scale-memory-histogram.txt"), op.classHistogram(60));
      r.put("rssMiB", round(peakRss));
      r.put("rssAfterGcMiB", round(rss));
      r.put("heapAfterGcMiB", round(heap));
      r.put("heapKiBPerCachedPod", round((heap - emptyHeap) * 1024 / pods));
      r.put("metricsBytes", metrics.length());
      r.put("metricsLines", metrics.lines().count());
      say(
          "scale-memory: %d sets x %d pods: all pods after %s s, all Ready after %s s; RSS %.0f MiB (%.0f after GC), "
              + "heap after GC %.1f MiB (empty %.1f), %.2f KiB a cached pod; /metrics %d bytes, %d lines",
          scaleSets,
          scalePods,
          seconds(t0, podsAt),
          seconds(t0, readyAt),
          peakRss,
          rss,
          heap,
          emptyHeap,
          (heap - emptyHeap) * 1024 / pods,
          metrics.length(),
          metrics.lines().count());
      String scenario = scaleSets + " sets x " + scalePods + " pods + Services";
      row(
          scenario,
          "all sets Ready in status (from the first apply)",
          fmt(seconds(t0, readyAt)),
          "reported",
          readyAt.isPresent() ? "" : "TIMED OUT (" + readySets(w) + " ready)");
      row(
          "",
          "RSS with everything cached",
          round(peakRss) + " MiB",
          "< 256 MiB",
          verdict(peakRss < 256));
      row(
          "",
          "heap after GC per cached pod (with its share of sets, Services, Endpoints)",
          round((heap - emptyHeap) * 1024 / pods) + " KiB",
          "a few KiB",
          "");
      row(
          "",
          "/metrics size",
          round(metrics.length() / 1024.0 / 1024.0) + " MiB, " + metrics.lines().count() + " lines",
          "< 1 MiB",
          verdict(metrics.length() < 1024 * 1024));
    } finally {
      pool.shutdown();
    }
    cleanup(ns);
  }

  // ---------------------------------------------------------------- objects, waiting, cleanup

  static LabeledAppSet benchSet(String ns, String name, int replicas, boolean service) {
    LabeledAppSet set = new LabeledAppSet();
    set.getMetadata().setName(name);
    set.getMetadata().setNamespace(ns);
    LabeledAppSetSpec spec = new LabeledAppSetSpec();
    spec.setReplicas(replicas);
    spec.setLabels(Map.of("app", name));
    ContainerSpec c = new ContainerSpec();
    c.setName("web");
    c.setImage("nginx:1.27");
    c.setPorts(List.of(new ContainerPortSpec("http", 8080)));
    spec.setContainers(List.of(c));
    if (service) {
      ServiceSpec s = new ServiceSpec();
      s.setPorts(List.of(new ServicePortSpec("http", 80, new IntOrString("http"))));
      spec.setService(s);
    }
    set.setSpec(spec);
    return set;
  }

  public static LabeledAppSet benchSetForProbe(String ns, String name, int replicas) {
    return benchSet(ns, name, replicas, false);
  }

  private static String setName(int i) {
    return String.format(Locale.ROOT, i < 1000 ? "s-%03d" : "s-%d", i);
  }

  private LabeledAppSet apply(LabeledAppSet set) {
    return client.resource(set).create();
  }

  private LabeledAppSet scale(String ns, String name, int replicas) {
    return client
        .resources(LabeledAppSet.class)
        .inNamespace(ns)
        .withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + replicas + "}}");
  }

  private static boolean ready(Watches w, String name, int replicas) {
    return w.set(name)
        .map(
            s -> {
              if (s.getStatus() == null
                  || !Objects.equals(s.getStatus().getReadyReplicas(), replicas)) {
                return false;
              }
              var c = Conditions.find(s.getStatus(), Conditions.READY);
              return c != null
                  && "True".equals(c.getStatus())
                  && Objects.equals(
                      s.getStatus().getObservedGeneration(), s.getMetadata().getGeneration());
            })
        .orElse(false);
  }

  private static long readySets(Watches w) {
    return w.sets().stream()
        .filter(
            s -> {
              var c =
                  s.getStatus() == null ? null : Conditions.find(s.getStatus(), Conditions.READY);
              return c != null && "True".equals(c.getStatus());
            })
        .count();
  }

  private String namespace(String what) {
    String ns = "las-bench-" + run + "-" + what;
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(ns)
                .addToLabels("app.kubernetes.io/part-of", "las-bench")
                .addToLabels(enablingLabels())
                .endMetadata()
                .build())
        .create();
    namespaces.add(ns);
    // the ServiceAccount admission plugin refuses pods until the namespace's default account exists
    awaitOrFail(
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
  private void cleanup(String ns) {
    long t0 = System.nanoTime();
    try {
      client.pods().inNamespace(ns).withGracePeriod(0).delete();
    } catch (RuntimeException e) {
      say("cleanup of %s: %s", ns, e.getMessage());
    }
    client.namespaces().withName(ns).delete();
    boolean gone =
        awaitTime(() -> client.namespaces().withName(ns).get() == null, Duration.ofSeconds(240))
            .isPresent();
    namespaces.remove(ns);
    say(
        "deleted namespace %s in %.1f s%s",
        ns, secondsSince(t0), gone ? "" : " (still terminating)");
  }

  private void cleanupAll() {
    for (String ns : List.copyOf(namespaces)) {
      client.namespaces().withName(ns).delete();
    }
  }

  /**
   * When the {@code n}-th pod of {@code group} (null: any) was first seen; empty if not within the
   * timeout.
   */
  private static OptionalLong podsSeenAt(Watches w, String group, int n) {
    return podsSeenAt(w, group, n, Long.MIN_VALUE);
  }

  /** The same, counting only pods first seen after {@code sinceNanos}. */
  private static OptionalLong podsSeenAt(Watches w, String group, int n, long sinceNanos) {
    OptionalLong reached =
        awaitTime(() -> w.nthPodSeen(group, n, sinceNanos).isPresent(), CONVERGE_TIMEOUT);
    return reached.isEmpty()
        ? reached
        : OptionalLong.of(w.nthPodSeen(group, n, sinceNanos).orElseThrow());
  }

  /**
   * Polls every 10 ms; the time the condition first held ({@link System#nanoTime}), or empty at the
   * deadline.
   */
  static OptionalLong awaitTime(BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return OptionalLong.of(System.nanoTime());
      }
      if (System.nanoTime() > deadline) {
        return OptionalLong.empty();
      }
      pause(10);
    }
  }

  private static void awaitOrFail(String what, BooleanSupplier condition) {
    if (awaitTime(condition, Duration.ofSeconds(120)).isEmpty()) {
      throw new IllegalStateException("timed out waiting for " + what);
    }
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- figures and the report

  static double secondsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static Double seconds(long t0, OptionalLong at) {
    return at.isPresent() ? round((at.getAsLong() - t0) / 1e9) : null;
  }

  static Double round(double v) {
    return Double.isNaN(v) ? null : Math.round(v * 100) / 100.0;
  }

  private static double percentile(List<Double> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static String fmt(Double v) {
    if (v == null) {
      return "timed out";
    }
    return v == Math.rint(v) && Math.abs(v) >= 10
        ? String.format(Locale.ROOT, "%.0f", v)
        : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String str(Object o) {
    return o == null ? "n/a" : o.toString();
  }

  private static String verdict(boolean met) {
    return met ? "met" : "MISSED";
  }

  private static String verdictCount(Object count, long target) {
    return count instanceof Number n ? verdict(n.longValue() <= target) : "n/a (no audit log)";
  }

  private Map<String, Object> section(String name) {
    Map<String, Object> m = new LinkedHashMap<>();
    results.put(name, m);
    return m;
  }

  private void row(String scenario, String measure, String value, String target, String verdict) {
    rows.add(new String[] {scenario, measure, value, target, verdict});
  }

  private Map<String, Object> machine() {
    Map<String, Object> m = new LinkedHashMap<>();
    try {
      m.put(
          "cpu",
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .map(l -> l.substring(l.indexOf(':') + 1).trim())
              .findFirst()
              .orElse("?"));
      m.put("memory", Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " "));
    } catch (IOException e) {
      m.put("cpu", "?");
    }
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("java", System.getProperty("java.version"));
    m.put("kubernetes", client.getKubernetesVersion().getGitVersion());
    return m;
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private void report() throws IOException {
    Map<?, ?> machine = (Map<?, ?>) results.get("machine");
    StringBuilder t = new StringBuilder();
    t.append(
        String.format(
            Locale.ROOT,
            "%nMachine: %s, %s cores, %s; Java %s; Kubernetes %s%n",
            machine.get("cpu"),
            machine.get("cores"),
            machine.get("memory"),
            machine.get("java"),
            machine.get("kubernetes")));
    t.append(
        String.format(
            Locale.ROOT,
            "Load average (1/5/15 min): %s before, %s after; operator JVM: %s%n%n",
            results.get("loadBefore"),
            results.get("loadAfter"),
            String.join(" ", operatorJvm)));
    t.append("| Scenario | Measure | Result | Target | |\n|---|---|---|---|---|\n");
    for (String[] r : rows) {
      t.append("| ").append(String.join(" | ", r)).append(" |\n");
    }
    System.out.println(t);
    Path json =
        out.resolve(
            "bench-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                + ".json");
    results.put("table", rows.stream().map(Arrays::asList).toList());
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(json.toFile(), results);
    Files.writeString(out.resolve("bench-latest.md"), t.toString());
    System.out.println("Written: " + json);
  }

  private static void say(String format, Object... args) {
    System.out.printf(
        Locale.ROOT,
        "[bench %s] %s%n",
        LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")),
        String.format(Locale.ROOT, format, args));
  }

  private static int intEnv(String name, int otherwise) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? otherwise : Integer.parseInt(v.trim());
  }
}

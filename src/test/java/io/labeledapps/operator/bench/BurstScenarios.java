package io.labeledapps.operator.bench;

import static io.labeledapps.operator.bench.Figures.median;
import static io.labeledapps.operator.bench.Figures.perRound;
import static io.labeledapps.operator.bench.Figures.ratio;
import static io.labeledapps.operator.bench.Figures.round;
import static io.labeledapps.operator.bench.Figures.seconds;
import static io.labeledapps.operator.bench.Figures.str;
import static io.labeledapps.operator.bench.Figures.verdict;
import static io.labeledapps.operator.bench.Report.say;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.status.PodState;
import io.labeledapps.operator.testkit.OperatorProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code burst} (README, Performance, 1): 0 -> {@code BENCH_BURST} pods by the operator, the
 * ReplicaSet controller, the bare fabric8 client and the lean raw client, each started afresh
 * {@code BENCH_BURST_REPEATS} times (taking turns) and each doing {@link #ROUNDS} rounds; then the
 * comparison of their medians.
 */
final class BurstScenarios {
  private static final int ROUNDS = 2;

  /** A contender of the comparison: its key, its section of the JSON, its name in the table. */
  private record Kind(String key, String section, String who) {}

  private static final Kind OPERATOR = new Kind("operator", "burstOperator", "operator");
  private static final Kind REPLICASET =
      new Kind("replicaset", "burstReplicaSet", "ReplicaSet controller");
  private static final Kind RAW = new Kind("raw", "burstRaw", "bare client");
  private static final Kind LEAN = new Kind("lean", "burstLean", "lean raw client");

  private final Bench b;

  /**
   * Seconds until the burst was done (pods exist and status says so), per contender, per fresh
   * start of the contender, per round.
   */
  private final Map<String, List<List<Double>>> burstSeconds = new LinkedHashMap<>();

  /**
   * CPU seconds the contender's process used until the burst was done, per fresh start, per round.
   */
  private final Map<String, List<List<Double>>> burstCpu = new LinkedHashMap<>();

  BurstScenarios(Bench b) {
    this.b = b;
  }

  /** The burst scenarios {@code BENCH_SCENARIOS} names, in turns, then the comparison. */
  void run() throws Exception {
    if (b.scenarios.stream().anyMatch(x -> x.startsWith("burst"))) {
      warmUpTheStopwatch();
    }
    // a first burst depends on a cold JVM and on whatever else the two cores do at that moment:
    // each contender starts afresh several times, taking turns, and the medians are compared
    for (int repeat = 1; repeat <= b.burstRepeats; repeat++) {
      if (b.wants("burst", "burst-operator")) {
        operator(repeat);
      }
      if (repeat == 1 && b.wants("burst", "burst-replicaset")) {
        // kube-controller-manager is not restarted, and is held to 20 requests a second anyway
        replicaSet();
      }
      if (b.wants("burst", "burst-raw")) {
        raw(repeat, false);
      }
      if (b.wants("burst", "burst-lean")) {
        raw(repeat, true);
      }
    }
    compare();
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

  /** {@code ""} for the first fresh start, {@code <separator><repeat>} for the next ones. */
  private static String nth(int repeat, String separator) {
    return repeat == 1 ? "" : separator + repeat;
  }

  /**
   * One fresh start of a contender: what it is called, in the audit log and in {@link
   * #burstSeconds}, where it works, and the figures of its rounds.
   */
  private record Start(
      String key,
      String agent,
      String ns,
      Watches w,
      Contender c,
      List<Double> times,
      List<Double> cpus) {}

  /**
   * Runs {@link #ROUNDS} bursts 0 -> {@code BENCH_BURST} with {@code c}: the first in a JVM that
   * has only created 16 pods, the next ones warm, as a long-running operator is.
   */
  private void rounds(
      String key,
      String agent,
      String ns,
      Watches w,
      Contender c,
      Map<String, Object> r,
      Runnable betweenScaleUpAndDown)
      throws IOException, InterruptedException {
    Start start = new Start(key, agent, ns, w, c, new ArrayList<>(), new ArrayList<>());
    burstSeconds.computeIfAbsent(key, k -> new ArrayList<>()).add(start.times());
    burstCpu.computeIfAbsent(key, k -> new ArrayList<>()).add(start.cpus());
    List<Map<String, Object>> rounds = new ArrayList<>();
    for (int round = 1; round <= ROUNDS; round++) {
      Map<String, Object> m = burst(start, round);
      if (round == 1 && betweenScaleUpAndDown != null) {
        betweenScaleUpAndDown.run();
      }
      rounds.add(m);
      if (round < ROUNDS) {
        c.scaleDown();
        Waits.orFail(
            "pods of the burst gone",
            () -> w.pods().stream().noneMatch(p -> BenchSets.of("burst", p)));
      }
    }
    r.put("rounds", rounds);
  }

  /** One burst: until the pods exist, the status says so and all are ready. */
  private Map<String, Object> burst(Start s, int round) throws IOException, InterruptedException {
    Contender c = s.c();
    Map<String, Object> m = new LinkedHashMap<>();
    // every contender starts its burst on a machine that has settled (the cluster shares its
    // cores)
    m.put("idleBeforeSeconds", round(Machine.awaitQuiet()));
    long offset = b.requests.offset();
    Double cpu0 = Machine.cpuSeconds(c.pid());
    long t0 = System.nanoTime();
    long generation = c.scaleUp();
    long scaled = System.nanoTime();
    OptionalLong podsAt = Waits.podsSeenAt(s.w(), "burst", b.burst, t0);
    OptionalLong statusAt =
        Waits.awaitTime(() -> c.statusSaysAll(generation), Waits.CONVERGE_TIMEOUT);
    Double cpu1 = Machine.cpuSeconds(c.pid());
    if (cpu0 != null && cpu1 != null) {
      // on a machine the contender shares with the API server, its CPU is the server's loss
      m.put("cpuSeconds", round(cpu1 - cpu0));
      s.cpus().add(round(cpu1 - cpu0));
    }
    OptionalLong readyAt =
        Waits.awaitTime(() -> c.statusSaysReady(generation), Waits.CONVERGE_TIMEOUT);
    m.put("scaleRequestSeconds", round((scaled - t0) / 1e9));
    m.put("podsExistSeconds", seconds(t0, podsAt));
    m.put("statusReplicasSeconds", seconds(t0, statusAt));
    m.put("statusReadySeconds", seconds(t0, readyAt));
    b.requests.serverSide(m, offset, s.ns(), s.agent());
    double done =
        Math.max(
            seconds(t0, podsAt) == null ? Double.NaN : seconds(t0, podsAt),
            seconds(t0, statusAt) == null ? Double.NaN : seconds(t0, statusAt));
    s.times().add(Double.isNaN(done) ? null : round(done));
    say(
        "burst %s, round %d: %d pods exist after %s s, status says so after %s s, all ready after %s s (server: %s s first to last create; CPU %s s)",
        s.key(),
        round,
        b.burst,
        seconds(t0, podsAt),
        seconds(t0, statusAt),
        seconds(t0, readyAt),
        m.get("serverFirstToLastCreateSeconds"),
        m.get("cpuSeconds"));
    return m;
  }

  private void operator(int repeat) throws Exception {
    String ns = b.namespace("burst" + nth(repeat, "-"));
    Map<String, Object> r = b.report.section(OPERATOR.section() + nth(repeat, ""));
    try (Watches w = new Watches(b.client, ns);
        OperatorProcess op = b.readyOperator(ns, "operator-burst" + nth(repeat, "-") + ".log")) {
      b.apply(BenchSets.benchSet(ns, "warmup", 16, false));
      Waits.orFail("warm-up set ready", () -> BenchSets.ready(w, "warmup", 16));
      b.apply(BenchSets.benchSet(ns, "burst", 0, false));
      Waits.orFail("set burst observed", () -> BenchSets.observed(w, "burst"));
      double heapBefore = op.heapAfterGcMiB();
      rounds(
          OPERATOR.key(),
          Bench.OPERATOR_AGENT,
          ns,
          w,
          new Contender() {
            @Override
            public long scaleUp() {
              return b.scale(ns, "burst", b.burst).getMetadata().getGeneration();
            }

            @Override
            public void scaleDown() {
              b.scale(ns, "burst", 0);
            }

            @Override
            public boolean statusSaysAll(long generation) {
              return w.set("burst")
                  .filter(s -> s.getStatus() != null)
                  .map(s -> s.getStatus())
                  .map(
                      s ->
                          BenchSets.counted(
                              s.getObservedGeneration(), s.getReplicas(), generation, b.burst))
                  .orElse(false);
            }

            @Override
            public boolean statusSaysReady(long generation) {
              return statusSaysAll(generation) && BenchSets.ready(w, "burst", b.burst);
            }

            @Override
            public OptionalLong pid() {
              return OptionalLong.of(op.pid());
            }
          },
          r,
          repeat > 1 ? null : () -> heapPerPod(op, heapBefore, r));
    }
    b.cleanup(ns);
  }

  /** The heap a cached pod costs: the operator's heap after GC with the burst's pods cached. */
  private void heapPerPod(OperatorProcess op, double heapBefore, Map<String, Object> r) {
    try {
      double heapAfter = op.heapAfterGcMiB();
      r.put("heapAfterGcMiBBefore", round(heapBefore));
      r.put("heapAfterGcMiBWithTheBurst", round(heapAfter));
      r.put("heapKiBPerCachedPod", round((heapAfter - heapBefore) * 1024 / b.burst));
      r.put("rssMiB", round(op.rssMiB()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private RollableScalableResource<ReplicaSet> replicaSetBurst(String ns) {
    return b.client.apps().replicaSets().inNamespace(ns).withName("burst");
  }

  private long scaleReplicaSet(String ns, int replicas) {
    return replicaSetBurst(ns)
        .patch(PatchContext.of(PatchType.JSON_MERGE), Bench.replicasPatch(replicas))
        .getMetadata()
        .getGeneration();
  }

  /** The ReplicaSet {@code burst}: 16 replicas of the pod the operator would create. */
  private void createReplicaSet(String ns) {
    Pod pod = b.samePod(ns);
    b.client
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
  }

  private void replicaSet() throws Exception {
    String ns = b.namespace("rs");
    Map<String, Object> r = b.report.section(REPLICASET.section());
    try (Watches w = new Watches(b.client, ns)) {
      createReplicaSet(ns);
      // the same 16-pod warm-up the other contenders get
      Waits.orFail(
          "ReplicaSet warm-up",
          () ->
              w.replicaSet("burst")
                  .map(
                      x ->
                          x.getStatus() != null
                              && Objects.equals(x.getStatus().getReadyReplicas(), 16))
                  .orElse(false));
      long atZero = scaleReplicaSet(ns, 0);
      Waits.orFail("ReplicaSet at 0", () -> replicaSetCounts(w, atZero, 0) && w.pods().isEmpty());
      rounds(
          REPLICASET.key(),
          Bench.RS_AGENT,
          ns,
          w,
          new Contender() {
            @Override
            public long scaleUp() {
              return scaleReplicaSet(ns, b.burst);
            }

            @Override
            public void scaleDown() {
              scaleReplicaSet(ns, 0);
            }

            @Override
            public boolean statusSaysAll(long generation) {
              return replicaSetCounts(w, generation, b.burst);
            }

            @Override
            public boolean statusSaysReady(long generation) {
              return statusSaysAll(generation)
                  && w.replicaSet("burst")
                      .map(x -> Objects.equals(x.getStatus().getReadyReplicas(), b.burst))
                      .orElse(false);
            }
          },
          r,
          null);
      replicaSetBurst(ns).withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
    }
    b.cleanup(ns);
  }

  /** The ReplicaSet's status has observed {@code generation} and counts {@code replicas} pods. */
  private static boolean replicaSetCounts(Watches w, long generation, int replicas) {
    return w.replicaSet("burst")
        .filter(x -> x.getStatus() != null)
        .map(x -> x.getStatus())
        .map(
            s ->
                BenchSets.counted(s.getObservedGeneration(), s.getReplicas(), generation, replicas))
        .orElse(false);
  }

  /**
   * Not measured: the benchmark's own JVM creates and watches {@code BENCH_BURST} pods once, so
   * that whichever contender goes first does not share the two cores with a cold stopwatch
   * (decoding the watch events of its pods) while the later ones do not.
   */
  private void warmUpTheStopwatch() throws Exception {
    String ns = b.namespace("warmup");
    ExecutorService pool = Executors.newFixedThreadPool(Bench.PARALLELISM);
    try (Watches w = new Watches(b.client, ns)) {
      Pod template = b.samePod(ns);
      RawCreator.createAll(
          b.client,
          pool,
          IntStream.range(0, b.burst)
              .mapToObj(i -> RawCreator.pod(template, ns, "warmup-" + i, "warmup"))
              .toList());
      Waits.podsSeenAt(w, "warmup", b.burst);
      Waits.awaitTime(
          () -> w.pods().stream().filter(PodState::isReady).count() >= b.burst,
          Waits.CONVERGE_TIMEOUT);
    } finally {
      pool.shutdown();
    }
    b.cleanup(ns);
    say("warmed up the benchmark's JVM with %d pods (not measured)", b.burst);
  }

  /**
   * The floors: the same pods sent with the same concurrency and no operator logic, by a bare
   * fabric8 client in a fresh JVM of its own with the operator's JVM options (so that its first
   * round is as cold as the operator's, and its second as warm), or ({@code lean}) by {@link
   * LeanCreator}, a Python client with nothing but the standard library: the API server's limit.
   */
  private void raw(int repeat, boolean lean) throws Exception {
    Kind kind = lean ? LEAN : RAW;
    String agent = lean ? Bench.LEAN_AGENT : Bench.RAW_AGENT;
    String ns = b.namespace(kind.key() + nth(repeat, "-"));
    Map<String, Object> r = b.report.section(kind.section() + nth(repeat, ""));
    Path log = b.out.resolve((lean ? "lean-client" : "raw-client") + nth(repeat, "-") + ".log");
    try (Watches w = new Watches(b.client, ns);
        RawCreator.Creator raw =
            lean
                ? LeanCreator.start(
                    b.client.getConfiguration(), ns, b.samePod(ns), Bench.PARALLELISM, agent, log)
                : RawCreator.Remote.start(
                    b.operatorJvm, ns, b.samePod(ns), Bench.PARALLELISM, agent, log)) {
      raw.create("warmup", 16);
      List<Double> answered = new ArrayList<>();
      rounds(
          kind.key(),
          agent,
          ns,
          w,
          new Contender() {
            @Override
            public long scaleUp() {
              try {
                answered.add(round(raw.create("burst", b.burst)));
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              return 0;
            }

            @Override
            public void scaleDown() {
              b.client
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
              return BenchSets.readyPods(w, "burst") >= b.burst;
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
    b.cleanup(ns);
  }

  // ---------------------------------------------------------------- the comparison

  private void compare() {
    if (burstSeconds.isEmpty()) {
      return;
    }
    String name = "Burst 0 -> " + b.burst + " (1st / 2nd round)";
    row(name, "operator: pods exist and status.replicas says so", rounds(OPERATOR));
    row("", "ReplicaSet controller, same pod template", rounds(REPLICASET));
    row(
        "",
        "bare fabric8 client, "
            + Bench.PARALLELISM
            + " threads, no operator logic (own JVM, same options)",
        rounds(RAW));
    row(
        "",
        "lean raw client: python3 http.client, "
            + Bench.PARALLELISM
            + " HTTPS connections (the API server's limit)",
        rounds(LEAN));
    for (int round = 0; round < ROUNDS; round++) {
      compareRound(round);
    }
    String first = b.burstRepeats > 1 ? " (first start)" : "";
    server(OPERATOR, first);
    server(REPLICASET, "");
    server(RAW, first);
    server(LEAN, first);
    List<Kind> timed = List.of(OPERATOR, RAW, LEAN);
    for (Kind kind : timed) {
      if (burstCpu.containsKey(kind.key())) {
        row(
            "",
            kind.who() + ": CPU seconds until done",
            perRound(burstCpu.get(kind.key()), ROUNDS));
      }
    }
    for (Kind kind : timed) {
      if (burstCpu.containsKey(kind.key())) {
        List<String> perPod = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
          Double cpu = median(burstCpu.get(kind.key()), round);
          perPod.add(
              cpu == null ? "n/a" : String.format(Locale.ROOT, "%.2f", cpu * 1000 / b.burst));
        }
        row(
            "",
            kind.who() + ": CPU milliseconds per pod create (median)",
            String.join(" / ", perPod) + " ms");
      }
    }
    Map<?, ?> o = (Map<?, ?>) b.report.get(OPERATOR.section());
    if (o != null && o.get("heapKiBPerCachedPod") != null) {
      b.report.row(
          "Footprint",
          "heap per additional cached pod (after GC, " + b.burst + " pods)",
          o.get("heapKiBPerCachedPod") + " KiB",
          "reported",
          "");
    }
  }

  /** The operator against each reference, in one round (0: the first). */
  private void compareRound(int round) {
    Double op = at(OPERATOR, round);
    String which =
        (round == 0 ? "1st round" : "2nd round") + (b.burstRepeats > 1 ? ", medians" : "");
    for (Kind reference : List.of(REPLICASET, RAW, LEAN)) {
      Double other = at(reference, round);
      if (op == null || other == null) {
        continue;
      }
      // the ReplicaSet controller is to be beaten by 5x, the clients matched within 1.5x
      if (reference.equals(REPLICASET)) {
        b.report.row(
            "",
            "speed-up over the ReplicaSet controller, " + which,
            ratio(other / op, 1),
            ">= 5x",
            verdict(other / op >= 5));
      } else {
        b.report.row(
            "",
            "operator / " + reference.who() + ", " + which,
            ratio(op / other, 2),
            "<= 1.5x",
            verdict(op / other <= 1.5));
      }
    }
  }

  /** A row with no target. */
  private void row(String scenario, String measure, String value) {
    b.report.row(scenario, measure, value, "", "");
  }

  private String rounds(Kind kind) {
    return perRound(burstSeconds.get(kind.key()), ROUNDS);
  }

  /** The median over the contender's fresh starts of one round (0: the first). */
  private Double at(Kind kind, int round) {
    return median(burstSeconds.get(kind.key()), round);
  }

  /** First to last create on the API server's clock, per round, of the contender's first start. */
  private void server(Kind kind, String note) {
    Map<?, ?> sec = (Map<?, ?>) b.report.get(kind.section());
    if (sec == null || !(sec.get("rounds") instanceof List<?> rounds)) {
      return;
    }
    String v =
        rounds.stream()
            .map(x -> str(((Map<?, ?>) x).get("serverFirstToLastCreateSeconds")))
            .collect(Collectors.joining(" / "));
    if (!v.contains("n/a")) {
      row("", kind.who() + note + ": first to last create, API server's clock", v + " s");
    }
  }
}

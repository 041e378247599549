package io.labeledapps.operator.bench;

import static io.labeledapps.operator.bench.Figures.pair;
import static io.labeledapps.operator.bench.Figures.ratio;
import static io.labeledapps.operator.bench.Figures.round;
import static io.labeledapps.operator.bench.Figures.seconds;
import static io.labeledapps.operator.bench.Figures.str;
import static io.labeledapps.operator.bench.Figures.verdict;
import static io.labeledapps.operator.bench.Figures.verdictCount;
import static io.labeledapps.operator.bench.Report.say;

import io.labeledapps.operator.status.PodState;
import io.labeledapps.operator.testkit.OperatorProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code scale} (README, Performance, 7): the lean raw client creates sets x pods pods (the time
 * until all are Running and Ready is the cluster's pace), then the operator gets {@code
 * BENCH_SCALE_SETS} sets of {@code BENCH_SCALE_PODS} pods with a Service each, applied at once: the
 * time until every set is Ready, against the raw client's; then 0 writes while idle (from when
 * every set's Service routes to all its ready pods: until then the endpoints controller is still
 * working and the sets' ServiceRouted follows it), reaction p50/p99, and what a restart writes (0
 * pod writes, at most one status write a set). Memory at this scale is {@link
 * ScaleMemoryScenario}'s.
 */
final class ScaleScenario {
  private final Bench b;
  private final int total;

  ScaleScenario(Bench b) {
    this.b = b;
    this.total = b.scaleSets * b.scalePods;
  }

  /**
   * What the lean raw client took: created, and all Running and Ready; and the CPU seconds the
   * cluster's processes on this machine spent meanwhile.
   */
  private record Reference(Double created, Double allReady, Map<String, Double> cpu) {}

  void run() throws Exception {
    Map<String, Object> r = b.report.section("scale");
    Reference raw = reference(r, "raw", false);
    Reference rawWithServices = reference(r, "rawWithServices", true);
    String ns = b.namespace("scale");
    OperatorProcess op = b.readyOperator(ns, "operator-scale.log");
    try (Watches w = new Watches(b.client, ns)) {
      converge(w, ns, r, raw, op);
      likeForLike(r, rawWithServices);
      cpuRow(raw.cpu(), rawWithServices.cpu(), r);

      Map<String, Object> quiet = b.idle(op).requests();
      r.put("quiet", quiet);
      b.report.row(
          "",
          "operator writes in "
              + b.quietSeconds
              + " idle seconds (from when every Service routes to all ready pods)",
          str(quiet.get("writes")),
          "0",
          verdictCount(quiet.get("writes"), 0));

      Map<String, Object> rr =
          Reactions.measure(
              b.client,
              w,
              ns,
              b.scaleSets,
              b.scalePods,
              b.deletions,
              () -> false,
              Duration.ofSeconds(10));
      r.put("reaction", rr);
      Reactions.row(b.report, "reaction: pod deleted -> replacement exists, p50 / p99", rr, true);

      op.close();
      Waits.pause(2_000);
      Bench.Restart restart =
          b.restart(
              ns,
              "operator-scale-restart.log",
              b.scaleSets,
              Duration.ofSeconds(180),
              Duration.ofMinutes(3));
      op = restart.op();
      r.put("restart", restartWrites(restart));
    } finally {
      op.close();
    }
    b.cleanup(ns);
  }

  /**
   * The same number of pods from the lean client, Running and Ready: the reference; with {@code
   * services}, in groups of a set's size each with its Service, the objects the operator's sets
   * make (so the endpoints controller has the same Services to keep up).
   */
  private Reference reference(Map<String, Object> r, String key, boolean services)
      throws Exception {
    String rawNs = b.namespace(services ? "scale-raw-svc" : "scale-raw");
    Double rawCreated;
    OptionalLong rawReady;
    Map<String, Double> rawCpu;
    long r0;
    try (Watches w = new Watches(b.client, rawNs);
        LeanCreator lean =
            LeanCreator.start(
                b.client.getConfiguration(),
                rawNs,
                b.samePod(rawNs),
                Bench.PARALLELISM,
                Bench.LEAN_AGENT,
                b.out.resolve("lean-client-" + rawNs + ".log"))) {
      Machine.awaitQuiet();
      Map<String, Double> cpu0 = Machine.clusterCpuSeconds();
      r0 = System.nanoTime();
      rawCreated =
          round(
              services
                  ? lean.createGroups("scale", b.scaleSets, b.scalePods)
                  : lean.create("scale", total));
      rawReady =
          Waits.awaitTime(
              () -> w.pods().stream().filter(PodState::isReady).count() >= total,
              Duration.ofMinutes(10));
      rawCpu = Machine.cpuSpent(cpu0, Machine.clusterCpuSeconds());
      r.put(key + "CpuSeconds", rawCpu);
      r.put(key + "CreatedSeconds", rawCreated);
      r.put(key + "Codes", lean.lastCodes().toString());
      r.put(key + "AllReadySeconds", seconds(r0, rawReady));
    }
    say(
        "scale: lean raw client created %d pods%s in %s s, all Running and Ready after %s s",
        total,
        services ? " and " + b.scaleSets + " Services" : "",
        rawCreated,
        seconds(r0, rawReady));
    b.cleanup(rawNs);
    return new Reference(rawCreated, seconds(r0, rawReady), rawCpu);
  }

  /**
   * The operator against the lean client making the same objects, pods and Services: what the
   * operator adds, apart from what its Services cost the cluster (the endpoints controllers
   * following every pod of the namespace's Services).
   */
  private void likeForLike(Map<String, Object> r, Reference rawWithServices) {
    b.report.row(
        "",
        "lean raw client, the same pods in groups of "
            + b.scalePods
            + " with a Service each: created / all Running and Ready",
        pair(rawWithServices.created(), rawWithServices.allReady()),
        "",
        "");
    Object opReady = r.get("allReadySeconds");
    if (opReady instanceof Double op && rawWithServices.allReady() != null) {
      b.report.row(
          "",
          "operator all Ready / that raw client all Ready (like for like)",
          ratio(op / rawWithServices.allReady(), 2),
          "",
          "");
    }
  }

  /** The operator's sets at once, against the reference. */
  private void converge(
      Watches w, String ns, Map<String, Object> r, Reference raw, OperatorProcess op)
      throws Exception {
    Machine.awaitQuiet();
    long offset = b.requests.offset();
    Map<String, Double> cpu0 = cpuWithOperator(op);
    long t0 = System.nanoTime();
    b.applySets(ns, b.scaleSets, b.scalePods, true);
    long applied = System.nanoTime();
    OptionalLong podsAt = Waits.awaitTime(() -> w.podsSeen() >= total, Duration.ofMinutes(10));
    OptionalLong readyAt =
        Waits.awaitTime(() -> BenchSets.readySets(w) >= b.scaleSets, Duration.ofMinutes(15));
    Map<String, Double> cpu = Machine.cpuSpent(cpu0, cpuWithOperator(op));
    r.put("cpuSeconds", cpu);
    r.put("setsAppliedSeconds", round((applied - t0) / 1e9));
    r.put("podsExistSeconds", seconds(t0, podsAt));
    r.put("allReadySeconds", seconds(t0, readyAt));
    r.put("readySetsAtEnd", BenchSets.readySets(w));
    // the endpoints controller may still be catching up with the Services: each set's ServiceRouted
    // follows it (real status changes); the idle window starts once nothing is left to follow
    OptionalLong routedAt =
        Waits.awaitTime(() -> BenchSets.routedSets(w) >= b.scaleSets, Duration.ofMinutes(10));
    r.put("allRoutedSeconds", seconds(t0, routedAt));
    b.requests
        .operatorPodCreates(offset, null)
        .ifPresent(creates -> r.put("operatorPodCreateCodes", Requests.byCode(creates)));
    say(
        "scale: %d sets applied in %.1f s; %d pods exist after %s s; all sets Ready after %s s,"
            + " every Service routing to all ready pods after %s s",
        b.scaleSets,
        (applied - t0) / 1e9,
        total,
        seconds(t0, podsAt),
        seconds(t0, readyAt),
        seconds(t0, routedAt));
    Double opReady = seconds(t0, readyAt);
    b.report.row(
        "Scale: " + b.scaleSets + " sets x " + b.scalePods + " pods + Service",
        "lean raw client: " + total + " pods created / all Running and Ready",
        pair(raw.created(), raw.allReady()),
        "",
        "");
    b.report.row(
        "",
        "operator: all pods exist / all sets Ready (from the first apply)",
        pair(seconds(t0, podsAt), opReady),
        "",
        BenchSets.timedOut(w, readyAt));
    if (opReady != null && raw.allReady() != null) {
      b.report.row(
          "",
          "operator all Ready / raw client all Ready",
          ratio(opReady / raw.allReady(), 2),
          "<= 1.5x",
          verdict(opReady / raw.allReady() <= 1.5));
    }
  }

  /** The cluster's processes' CPU seconds so far, and the operator's. */
  private static Map<String, Double> cpuWithOperator(OperatorProcess op) {
    Map<String, Double> cpu = new java.util.TreeMap<>(Machine.clusterCpuSeconds());
    Double operator = Machine.cpuSeconds(OptionalLong.of(op.pid()));
    if (operator != null) {
      cpu.put("operator", operator);
    }
    return cpu;
  }

  /**
   * Where the machine's CPU went until all was Ready, in the raw client's runs and in the
   * operator's: on a machine the cluster shares with the operator, every CPU second the operator or
   * the endpoints controller spends is one the API server, etcd and the nodes do not get.
   */
  private void cpuRow(
      Map<String, Double> rawCpu, Map<String, Double> withServices, Map<String, Object> r) {
    @SuppressWarnings("unchecked")
    Map<String, Double> cpu = (Map<String, Double>) r.get("cpuSeconds");
    if (cpu == null || cpu.isEmpty()) {
      return;
    }
    java.util.Set<String> names = new java.util.TreeSet<>(cpu.keySet());
    names.addAll(rawCpu.keySet());
    String all =
        names.stream()
            .map(
                n ->
                    n
                        + " "
                        + str(rawCpu.get(n))
                        + " / "
                        + str(withServices.get(n))
                        + " / "
                        + str(cpu.get(n)))
            .collect(java.util.stream.Collectors.joining(", "));
    b.report.row(
        "",
        "CPU seconds until all Ready: raw client / raw client with Services / operator",
        all,
        "",
        "");
  }

  /** What a restart wrote: pod writes (target 0) and status writes (at most one a set). */
  private Map<String, Object> restartWrites(Bench.Restart restart) throws Exception {
    Map<String, Object> m = restart.requests();
    var writes = b.requests.operatorWrites(restart.offset());
    List<AuditLog.Entry> all = writes.orElse(List.of());
    long podWrites = all.stream().filter(e -> e.resource().equals("pods")).count();
    long statusWrites = all.stream().filter(e -> e.subresource().equals("status")).count();
    m.put("podWrites", writes.isPresent() ? podWrites : "n/a");
    m.put("statusWrites", writes.isPresent() ? statusWrites : "n/a");
    b.report.row(
        "",
        "restart: pod writes / status writes",
        writes.isPresent() ? podWrites + " / " + statusWrites : "n/a",
        "0 / <= " + b.scaleSets,
        writes.isPresent() ? verdict(podWrites == 0 && statusWrites <= b.scaleSets) : "n/a");
    return m;
  }
}

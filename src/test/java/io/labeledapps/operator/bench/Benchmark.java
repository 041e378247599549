package io.labeledapps.operator.bench;

import static io.labeledapps.operator.bench.Figures.round;
import static io.labeledapps.operator.bench.Figures.secondsSince;
import static io.labeledapps.operator.bench.Report.say;

import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.config.OperatorConfig;
import io.labeledapps.operator.crd.CrdInstaller;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code make bench}: the operator against kube-controller-manager's ReplicaSet controller and
 * against a bare client, on the cluster in KUBECONFIG. Prints a table and writes JSON to
 * target/bench/. A program that measures and reports, not a test: nothing here fails on a slow
 * figure. Works only in namespaces it creates ({@code las-bench-*}) and deletes them afterwards.
 *
 * <p>One class a scenario family ({@link BurstScenarios}, {@link ManySetsScenario}, {@link
 * BigSetScenario}, {@link ScaleScenario}, {@link FairnessScenario}, {@link ScaleMemoryScenario}),
 * sharing {@link Bench} (settings, namespaces, the operator, the audit log) and {@link Report}.
 *
 * <p>Environment: {@code BENCH_AUDIT_LOG} the API server's audit log (JSON lines), to count the
 * operator's requests and read the server's clock; without it those figures are left out. {@code
 * BENCH_SCENARIOS} (default {@code burst,many,big,scale,fairness}; {@code burst} is {@code
 * burst-operator}, {@code burst-replicaset}, {@code burst-raw} and {@code burst-lean}), {@code
 * BENCH_BURST} (500), {@code BENCH_BURST_REPEATS} (3), {@code BENCH_SCALE_SETS} (2000), {@code
 * BENCH_SCALE_PODS} (5), {@code BENCH_FAIRNESS_SETS} (200), {@code BENCH_FAIRNESS_BURST} (5000),
 * {@code BENCH_SETS} (300), {@code BENCH_DELETIONS} (100), {@code BENCH_BIG} (5000), {@code
 * BENCH_QUIET_SECONDS} (60), {@code BENCH_SCALE_SETS} (2000) and {@code BENCH_SCALE_PODS} (5) for
 * the {@code scale-memory} scenario (not in the default list: 10,000 pods take minutes), {@code
 * BENCH_OPERATOR_JVM} (JVM options of the operator; default: the image's, see {@link
 * Bench#IMAGE_JVM}), {@code BENCH_OPERATOR_JAR} (the operator to measure).
 */
public final class Benchmark {
  private final Bench b;

  private Benchmark(Bench b) {
    this.b = b;
  }

  public static void main(String[] args) throws Exception {
    try (Bench b = new Bench()) {
      new Benchmark(b).run();
    }
  }

  /** A set as the benchmark applies it, for probes outside the benchmark. */
  public static LabeledAppSet benchSetForProbe(String ns, String name, int replicas) {
    return BenchSets.benchSet(ns, name, replicas, false);
  }

  private void run() throws Exception {
    if (!Files.isRegularFile(b.jar)) {
      throw new IllegalStateException(b.jar + " is missing: build it first (make build)");
    }
    Files.createDirectories(b.out);
    CrdInstaller.install(b.client, Path.of("crds"));
    long started = System.nanoTime();
    b.report.put("machine", Machine.describe(b.client));
    b.report.put("loadBefore", Machine.loadAverage());
    OperatorConfig defaults = new OperatorConfig();
    b.report.put(
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
            String.join(" ", b.operatorJvm),
            "auditLog",
            b.requests.known()));
    say(
        "run %s on %s; load %s; operator JVM %s; pod creates: parallelism %d, burst %d, rate %.0f/s",
        b.run,
        b.client.getConfiguration().getMasterUrl(),
        Machine.loadAverage(),
        String.join(" ", b.operatorJvm),
        defaults.podCreateParallelism,
        defaults.podCreateBurst,
        defaults.podCreateRate);
    try {
      new BurstScenarios(b).run();
      // each in a namespace las-bench-<run>-<suffix>, its figures under its key in the JSON
      if (b.wants("many")) {
        new ManySetsScenario(b).run("many", "manySets");
      }
      if (b.wants("big")) {
        new BigSetScenario(b).run("big", "bigSet");
      }
      if (b.wants("scale")) {
        new ScaleScenario(b).run();
      }
      if (b.wants("fairness")) {
        new FairnessScenario(b).run("fair", "fairness");
      }
      if (b.wants("scale-memory")) {
        new ScaleMemoryScenario(b).run("scale", "scaleMemory");
      }
    } finally {
      // what was measured is reported even when a later scenario failed
      b.report.put("loadAfter", Machine.loadAverage());
      b.report.put("totalSeconds", round(secondsSince(started)));
      b.report.write(b.out, b.operatorJvm);
    }
  }
}

package io.labeledapps.operator.bench;

import static io.labeledapps.operator.bench.Figures.fmt;
import static io.labeledapps.operator.bench.Figures.seconds;
import static io.labeledapps.operator.bench.Report.say;

import io.labeledapps.operator.testkit.OperatorProcess;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code fairness} (README, Performance, 8): {@code BENCH_FAIRNESS_SETS} sets of 3 pods converge,
 * their reaction to a deleted pod is measured, then one more set scales 0 -> {@code
 * BENCH_FAIRNESS_BURST} and, while its pods are being created, pods of the other sets are deleted
 * one after another: their replacements must come as fast as before (p99 under 1 s), not queue
 * behind the burst.
 */
final class FairnessScenario extends Scenario {
  /** The sets that must keep reacting. */
  private final int sets;

  /** The replicas of the set that bursts meanwhile. */
  private final int burst;

  FairnessScenario(Bench b) {
    super(b);
    sets = b.fairnessSets;
    burst = b.fairnessBurst;
  }

  @Override
  void measure(String ns, Map<String, Object> r) throws Exception {
    try (Watches w = new Watches(b.client, ns);
        OperatorProcess op = b.readyOperator(ns, "operator-fairness.log")) {
      b.apply(BenchSets.benchSet(ns, "big", 0, false));
      b.applySets(ns, sets, 3, false);
      // the nodes and the API server set the pace: allow about 0.1 s a pod, at least 2 minutes
      Duration converge = Duration.ofSeconds(Math.max(120, sets * 3L / 10));
      if (Waits.awaitTime(() -> BenchSets.readySets(w) >= sets, converge).isEmpty()) {
        throw new IllegalStateException(
            "timed out waiting for the other sets Ready (" + converge.toSeconds() + " s)");
      }
      Map<String, Object> before =
          Reactions.measure(
              b.client,
              w,
              ns,
              sets,
              3,
              Math.min(b.deletions, 50),
              () -> false,
              Duration.ofSeconds(10));
      r.put("reactionBefore", before);
      Machine.awaitQuiet();
      long t0 = System.nanoTime();
      b.scale(ns, "big", burst);
      // deletions while the big set's pods are being created; a short settle, the nodes are busy
      Map<String, Object> during =
          Reactions.measure(
              b.client,
              w,
              ns,
              sets,
              3,
              1_000,
              () -> w.podsSeen("big") >= burst,
              Duration.ofSeconds(1));
      OptionalLong bigAt = Waits.awaitTime(() -> w.podsSeen("big") >= burst, Duration.ofMinutes(5));
      r.put("reactionDuringBurst", during);
      r.put("burstPodsExistSeconds", seconds(t0, bigAt));
      say(
          "fairness: %d pods of the big set after %s s; reaction before p99 %s s, during p99 %s s (%s deletions)",
          burst,
          seconds(t0, bigAt),
          before.get("p99Seconds"),
          during.get("p99Seconds"),
          during.get("deletions"));
      String name = "Fairness: 1 set 0 -> " + burst + " while " + sets + " sets x 3 react";
      b.report.row(name, "big set: all pods exist", fmt(seconds(t0, bigAt)) + " s", "", "");
      Reactions.row(b.report, "others, before the burst: reaction p50 / p99", before, false);
      Reactions.row(b.report, "others, during the burst: reaction p50 / p99", during, true);
    }
  }
}

package io.labeledapps.operator.bench;

import static io.labeledapps.operator.bench.Figures.fmt;
import static io.labeledapps.operator.bench.Figures.round;
import static io.labeledapps.operator.bench.Figures.seconds;
import static io.labeledapps.operator.bench.Figures.str;
import static io.labeledapps.operator.bench.Figures.verdict;
import static io.labeledapps.operator.bench.Figures.verdictCount;
import static io.labeledapps.operator.bench.Report.say;

import io.labeledapps.operator.testkit.OperatorProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code many} (README, Performance, 2-5): {@code BENCH_SETS} sets of 3 pods and a Service at once,
 * then the operator's requests while idle and in a forced resync, its footprint, and its reaction
 * to deleted pods.
 */
final class ManySetsScenario extends Scenario {
  ManySetsScenario(Bench b) {
    super(b);
  }

  @Override
  void measure(String ns, Map<String, Object> r) throws Exception {
    OperatorProcess op = b.readyOperator(ns, "operator-many.log");
    try (Watches w = new Watches(b.client, ns)) {
      double emptyHeap = op.heapAfterGcMiB();
      double emptyRss = op.rssMiB();
      r.put("emptyHeapAfterGcMiB", round(emptyHeap));
      r.put("emptyRssMiB", round(emptyRss));
      converge(w, ns, r);

      // 3. quiet: no writes and no GETs while nothing changes
      Bench.Idle idle = b.idle(op);
      r.put("quietReconciles", idle.reconciles());
      Map<String, Object> quiet = idle.requests();
      r.put("quiet", quiet);
      String scenario = "Quiet, " + b.sets + " sets converged";
      requestRows(scenario, "in " + b.quietSeconds + " idle seconds", "", quiet);

      // 5. footprint of the operator that did all this
      r.put("footprintAfterConverge", footprint(op, emptyHeap));

      // forced resync: a fresh start lists everything and reconciles every set
      op.close();
      Bench.Restart restart =
          b.restart(
              ns, "operator-resync.log", b.sets, Duration.ofSeconds(120), Duration.ofSeconds(60));
      op = restart.op();
      Map<String, Object> resync = restart.requests();
      resync(w, restart, resync);
      r.put("resync", resync);
      requestRows(
          "",
          "in a forced resync",
          " (restart: " + resync.get("reconciles") + " reconciles)",
          resync);
      say(
          "quiet: %s writes, %s GETs in %d s (%d reconciles); resync: %s writes, %s GETs, first reconcile %.2f s after start",
          quiet.get("writes"),
          quiet.get("gets"),
          b.quietSeconds,
          idle.reconciles(),
          resync.get("writes"),
          resync.get("gets"),
          seconds(op.startNanos, restart.firstReconcile()));

      Map<String, Object> fp = footprint(op, emptyHeap);
      r.put("footprintAfterRestart", fp);
      footprintRows(emptyHeap, (Map<?, ?>) r.get("footprintAfterConverge"), fp, restart);

      // 4. reaction: delete a pod, time until its replacement exists
      reaction(w, ns, r);
    } finally {
      op.close();
    }
  }

  /** 2. Many sets at once: the time until all are Ready in status. */
  private void converge(Watches w, String ns, Map<String, Object> r) {
    long t0 = System.nanoTime();
    b.applySets(ns, b.sets, 3, true);
    long applied = System.nanoTime();
    OptionalLong podsAt = Waits.podsSeenAt(w, null, b.sets * 3);
    OptionalLong readyAt =
        Waits.awaitTime(() -> BenchSets.readySets(w) >= b.sets, Waits.CONVERGE_TIMEOUT);
    r.put("setsAppliedSeconds", round((applied - t0) / 1e9));
    r.put("podsExistSeconds", seconds(t0, podsAt));
    r.put("allReadyInStatusSeconds", seconds(t0, readyAt));
    r.put("readySetsAtEnd", BenchSets.readySets(w));
    say(
        "%d sets x 3 pods + Service: applied in %.2f s, %d pods exist after %.2f s, all Ready in status after %.2f s",
        b.sets, (applied - t0) / 1e9, b.sets * 3, seconds(t0, podsAt), seconds(t0, readyAt));
    b.report.row(
        b.sets + " sets x 3 pods + Service",
        "all sets Ready in status (from the first apply)",
        fmt(seconds(t0, readyAt)),
        "reported",
        BenchSets.timedOut(w, readyAt));
  }

  /**
   * The operator's writes and GETs over a window, each against a target of 0; {@code note} follows
   * the writes' window.
   */
  private void requestRows(
      String scenario, String window, String note, Map<String, Object> requests) {
    b.report.row(
        scenario,
        "operator writes " + window + note,
        str(requests.get("writes")),
        "0",
        verdictCount(requests.get("writes"), 0));
    b.report.row(
        "",
        "operator GETs " + window,
        str(requests.get("gets")),
        "0",
        verdictCount(requests.get("gets"), 0));
  }

  /** What the restarted operator did, and which sets it wrote to. */
  private void resync(Watches w, Bench.Restart restart, Map<String, Object> resync)
      throws IOException {
    var writes = b.requests.operatorWrites(restart.offset());
    if (writes.isPresent()) {
      // which sets a resync wrote to, and their conditions now: a lead for whoever looks into it
      Map<String, Object> written = new LinkedHashMap<>();
      writes.get().stream()
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
    OperatorProcess op = restart.op();
    resync.put("reconciles", op.reconciliationsStarted().orElse(-1));
    resync.put("startToReadyzSeconds", round(restart.readySeconds()));
    resync.put("startToFirstReconcileSeconds", seconds(op.startNanos, restart.firstReconcile()));
    resync.put("startToAllSetsReconciledSeconds", seconds(op.startNanos, restart.allReconciled()));
  }

  private void footprintRows(
      double emptyHeap, Map<?, ?> converged, Map<String, Object> fp, Bench.Restart restart) {
    String scenario = "Footprint, " + b.sets + " sets / " + b.sets * 3 + " pods cached";
    rssRow(scenario, "RSS, operator that created them all", converged);
    rssRow("", "RSS, freshly restarted operator", fp);
    b.report.row(
        "",
        "heap after GC (empty: " + round(emptyHeap) + " MiB)",
        converged.get("heapAfterGcMiB") + " MiB",
        "",
        "");
    b.report.row(
        "",
        "start-up: process start to /readyz, to first reconcile",
        fmt(round(restart.readySeconds()))
            + " / "
            + fmt(seconds(restart.op().startNanos, restart.firstReconcile())),
        "reported",
        "");
  }

  /** The operator's RSS in {@code footprint}, against the target of 256 MiB. */
  private void rssRow(String scenario, String measure, Map<?, ?> footprint) {
    double rss = (Double) footprint.get("rssMiB");
    b.report.row(scenario, measure, rss + " MiB", "< 256 MiB", verdict(rss < 256));
  }

  private Map<String, Object> footprint(OperatorProcess op, double emptyHeap)
      throws IOException, InterruptedException {
    Map<String, Object> fp = new LinkedHashMap<>();
    fp.put("rssMiB", round(op.rssMiB()));
    double heap = op.heapAfterGcMiB();
    fp.put("heapAfterGcMiB", round(heap));
    fp.put("rssAfterGcMiB", round(op.rssMiB()));
    fp.put(
        "heapKiBPerPodWithItsShareOfSetAndService",
        round((heap - emptyHeap) * 1024 / (b.sets * 3)));
    return fp;
  }

  private void reaction(Watches w, String ns, Map<String, Object> r) throws InterruptedException {
    Map<String, Object> rr =
        Reactions.measure(
            b.client, w, ns, b.sets, 3, b.deletions, () -> false, Duration.ofSeconds(10));
    r.put("reaction", rr);
    b.report.row(
        "Reaction",
        "pod deleted -> replacement exists, p50 over " + rr.get("deletions"),
        str(rr.get("p50Seconds")),
        "",
        "");
    b.report.row("", "p99", str(rr.get("p99Seconds")), "< 1 s", Figures.reactionVerdict(rr));
  }
}

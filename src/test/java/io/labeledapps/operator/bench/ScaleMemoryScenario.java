package io.labeledapps.operator.bench;

import static io.labeledapps.operator.bench.Figures.fmt;
import static io.labeledapps.operator.bench.Figures.round;
import static io.labeledapps.operator.bench.Figures.seconds;
import static io.labeledapps.operator.bench.Figures.secondsSince;
import static io.labeledapps.operator.bench.Figures.verdict;
import static io.labeledapps.operator.bench.Report.say;

import io.labeledapps.operator.testkit.OperatorProcess;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code scale-memory} (README, Performance): {@code BENCH_SCALE_SETS} sets x {@code
 * BENCH_SCALE_PODS} pods, each set with its Service, applied at once: once all are Ready, the
 * operator's RSS, its heap after a full GC (per cached pod, with its share of sets, Services and
 * Endpoints) and the size of its /metrics. Not in the default list: 10,000 pods take minutes.
 */
final class ScaleMemoryScenario extends Scenario {
  ScaleMemoryScenario(Bench b) {
    super(b);
  }

  @Override
  void measure(String ns, Map<String, Object> r) throws Exception {
    int pods = b.scaleSets * b.scalePods;
    try (Watches w = new Watches(b.client, ns);
        OperatorProcess op = b.readyOperator(ns, "operator-scale.log")) {
      double emptyHeap = op.heapAfterGcMiB();
      r.put("sets", b.scaleSets);
      r.put("podsPerSet", b.scalePods);
      r.put("emptyHeapAfterGcMiB", round(emptyHeap));
      r.put("emptyRssMiB", round(op.rssMiB()));
      long t0 = System.nanoTime();
      b.applySets(ns, b.scaleSets, b.scalePods, true);
      r.put("setsAppliedSeconds", round(secondsSince(t0)));
      // the nodes and the API server set the pace here: allow about 0.1 s a pod
      Duration bound = Duration.ofSeconds(Math.max(300, pods / 10));
      OptionalLong podsAt =
          Waits.awaitTime(() -> w.nthPodSeen(null, pods, Long.MIN_VALUE).isPresent(), bound);
      OptionalLong readyAt = Waits.awaitTime(() -> BenchSets.readySets(w) >= b.scaleSets, bound);
      r.put("podsExistSeconds", seconds(t0, podsAt));
      r.put("allReadyInStatusSeconds", seconds(t0, readyAt));
      r.put("readySetsAtEnd", BenchSets.readySets(w));
      double peakRss = op.rssMiB();
      double heap = op.heapAfterGcMiB();
      double rss = op.rssMiB();
      String metrics = op.metrics(Duration.ofSeconds(60));
      // where the heap goes, for whoever looks into the figure
      Files.writeString(b.out.resolve("scale-memory-histogram.txt"), op.classHistogram(60));
      double perPod = (heap - emptyHeap) * 1024 / pods;
      r.put("rssMiB", round(peakRss));
      r.put("rssAfterGcMiB", round(rss));
      r.put("heapAfterGcMiB", round(heap));
      r.put("heapKiBPerCachedPod", round(perPod));
      r.put("metricsBytes", metrics.length());
      r.put("metricsLines", metrics.lines().count());
      say(
          "scale-memory: %d sets x %d pods: all pods after %s s, all Ready after %s s; RSS %.0f MiB (%.0f after GC), "
              + "heap after GC %.1f MiB (empty %.1f), %.2f KiB a cached pod; /metrics %d bytes, %d lines",
          b.scaleSets,
          b.scalePods,
          seconds(t0, podsAt),
          seconds(t0, readyAt),
          peakRss,
          rss,
          heap,
          emptyHeap,
          perPod,
          metrics.length(),
          metrics.lines().count());
      b.report.row(
          b.scaleSets + " sets x " + b.scalePods + " pods + Services",
          "all sets Ready in status (from the first apply)",
          fmt(seconds(t0, readyAt)),
          "reported",
          BenchSets.timedOut(w, readyAt));
      footprintRows(peakRss, perPod, metrics);
    }
  }

  /** The operator's RSS, heap a cached pod and /metrics, each against its target. */
  private void footprintRows(double peakRss, double perPod, String metrics) {
    b.report.row(
        "",
        "RSS with everything cached",
        round(peakRss) + " MiB",
        "< 256 MiB",
        verdict(peakRss < 256));
    b.report.row(
        "",
        "heap after GC per cached pod (with its share of sets, Services, Endpoints)",
        round(perPod) + " KiB",
        "a few KiB",
        "");
    b.report.row(
        "",
        "/metrics size",
        round(metrics.length() / 1024.0 / 1024.0) + " MiB, " + metrics.lines().count() + " lines",
        "< 1 MiB",
        verdict(metrics.length() < 1024 * 1024));
  }
}

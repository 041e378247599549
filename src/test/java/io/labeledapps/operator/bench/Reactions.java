package io.labeledapps.operator.bench;

import static io.labeledapps.operator.bench.Figures.percentile;
import static io.labeledapps.operator.bench.Figures.round;
import static io.labeledapps.operator.bench.Report.say;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.labeledapps.operator.status.PodState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The reaction time: delete a ready pod of one of many sets, time until its replacement exists (a
 * watch sees it). Shared by the scenarios that measure it (many sets, scale, fairness).
 */
final class Reactions {
  private Reactions() {}

  /**
   * Up to {@code count} times (fewer once {@code stop} holds): delete a ready pod of one of the
   * {@code setCount} sets of {@code replicas} pods, time until its replacement exists, then let the
   * set settle (at most {@code settle}: the replacement ready, the old pod gone). Returns the
   * deletions, timeouts, p50, p99 and max in seconds.
   */
  static Map<String, Object> measure(
      KubernetesClient client,
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
      String set = BenchSets.setName((i * 7) % setCount);
      Optional<Pod> victim =
          w.pods().stream()
              .filter(p -> BenchSets.of(set, p))
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
      Waits.awaitTime(
          () ->
              BenchSets.ready(w, set, replicas)
                  && w.pods().stream().filter(p -> BenchSets.of(set, p)).count() == replicas,
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

  /**
   * A row {@code <measure> over <deletions>: <p50> / <p99> s}; when {@code judged}, against the
   * target p99 < 1 s.
   */
  static void row(Report report, String measure, Map<String, Object> rr, boolean judged) {
    report.row(
        "",
        measure + " over " + rr.get("deletions"),
        Figures.str(rr.get("p50Seconds")) + " / " + Figures.str(rr.get("p99Seconds")) + " s",
        judged ? "p99 < 1 s" : "",
        judged ? Figures.reactionVerdict(rr) : "");
  }
}

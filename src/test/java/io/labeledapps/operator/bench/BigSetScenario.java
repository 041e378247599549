package io.labeledapps.operator.bench;

import static io.labeledapps.operator.bench.Figures.fmt;
import static io.labeledapps.operator.bench.Figures.round;
import static io.labeledapps.operator.bench.Figures.seconds;
import static io.labeledapps.operator.bench.Figures.str;
import static io.labeledapps.operator.bench.Figures.verdict;
import static io.labeledapps.operator.bench.Report.say;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.Syntax;
import io.labeledapps.operator.config.OperatorConfig;
import io.labeledapps.operator.testkit.OperatorProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * {@code big} (README, Performance, 6): 0 -> {@code BENCH_BIG} pods under the operator's pacing
 * (token bucket), and 20 more sets of 3 that must converge meanwhile.
 */
final class BigSetScenario extends Scenario {
  private static final int OTHERS = 20;

  private final OperatorConfig defaults = new OperatorConfig();

  /** One set when the CRD allows it, else sets of the CRD's maximum. */
  private final int perSet;

  private final List<String> bigSets;

  /** The slowest the pacer may go without an overload is the starting rate. */
  private final Duration bound;

  BigSetScenario(Bench b) {
    super(b);
    int big = b.big;
    bound = Duration.ofSeconds(Math.max(120, (long) (big / defaults.podCreateRate * 2.5)));
    // all labeled app=big and scaled up together: the bucket is shared, so it sees the same 5,000
    // creates either way
    perSet = Math.min(big, Syntax.MAX_REPLICAS);
    bigSets =
        IntStream.range(0, (big + perSet - 1) / perSet)
            .mapToObj(i -> big <= perSet ? "big" : "big-" + i)
            .toList();
  }

  /** When the other sets' pods existed and their status counted them, and when they were Ready. */
  private record Others(long appliedAt, OptionalLong created, OptionalLong ready) {}

  @Override
  void measure(String ns, Map<String, Object> r) throws Exception {
    int big = b.big;
    try (Watches w = new Watches(b.client, ns, "app");
        OperatorProcess op = b.readyOperator(ns, "operator-big.log")) {
      for (String name : bigSets) {
        LabeledAppSet set = BenchSets.benchSet(ns, name, 0, false);
        set.getSpec().setLabels(Map.of("app", "big"));
        b.apply(set);
      }
      Waits.orFail(
          "big sets observed",
          () ->
              bigSets.stream()
                  .allMatch(n -> w.set(n).map(s -> s.getStatus() != null).orElse(false)));
      r.put("sets", bigSets.size());
      long offset = b.requests.offset();
      long t0 = System.nanoTime();
      try {
        for (int i = 0; i < bigSets.size(); i++) {
          b.scale(ns, bigSets.get(i), Math.min(perSet, big - i * perSet));
        }
      } catch (KubernetesClientException e) {
        // e.g. a CRD installed on the cluster with a lower replicas maximum than crds/ has
        r.put("refused", e.getMessage());
        say("big set: the API server refused %d replicas: %s", big, e.getMessage());
        b.report.row("Big set 0 -> " + big, "refused by the API server", "n/a", "", "NOT RUN");
        return;
      }
      Others others = others(w, ns);
      int bigWhenOthersReady = w.podsSeen("big");
      OptionalLong bigAt = Waits.awaitTime(() -> w.podsSeen("big") >= big, bound);
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
      r.put("firstBurstSeconds", burstDone.map(x -> round((x - t0) / 1e9)).orElse(null));
      r.put("podsPerSecondAfterBurst", round(afterBurstRate));
      r.put("otherSets", OTHERS);
      r.put("otherSetsPodsExistInStatusSeconds", seconds(others.appliedAt(), others.created()));
      r.put("otherSetsReadySeconds", seconds(others.appliedAt(), others.ready()));
      r.put("bigPodsWhenOthersReady", bigWhenOthersReady);
      creates(r, offset, ns);
      say(
          "big set 0 -> %d: %d pods after %.1f s (first %d in %s s), %.0f pods/s after the burst; %d other sets: pods in status %s s, Ready %s s after they were applied",
          big,
          reached,
          total,
          defaults.podCreateBurst,
          r.get("firstBurstSeconds"),
          afterBurstRate,
          OTHERS,
          seconds(others.appliedAt(), others.created()),
          seconds(others.appliedAt(), others.ready()));
      rows(r, reached, total, bigAt.isPresent(), others);
    }
  }

  /**
   * Once the burst is spent, other sets arrive: they must converge while the big one is throttled.
   */
  private Others others(Watches w, String ns) {
    Waits.awaitTime(
        () -> w.podsSeen("big") >= Math.min(b.big, defaults.podCreateBurst),
        Duration.ofSeconds(60));
    long othersAt = System.nanoTime();
    for (int i = 0; i < OTHERS; i++) {
      b.apply(BenchSets.benchSet(ns, "other-" + i, 3, false));
    }
    // the operator's part: their pods exist and their status counts them; Ready also needs the
    // nodes to start pods that queue behind the big set's
    OptionalLong created =
        Waits.awaitTime(
            () ->
                IntStream.range(0, OTHERS)
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
    OptionalLong ready =
        Waits.awaitTime(
            () -> IntStream.range(0, OTHERS).allMatch(i -> BenchSets.ready(w, "other-" + i, 3)),
            Duration.ofSeconds(120));
    return new Others(othersAt, created, ready);
  }

  /** The operator's pod creates by answer, and the most it sent in any second (audit log). */
  private void creates(Map<String, Object> r, long offset, String ns) throws Exception {
    var found = b.requests.operatorPodCreates(offset, ns);
    if (found.isEmpty()) {
      return;
    }
    var creates = found.get();
    r.put("operatorPodCreatesSent", creates.size());
    r.put("operatorPodCreateCodes", Requests.byCode(creates));
    r.put(
        "maxCreatesInAnySecond",
        creates.stream()
            .collect(
                Collectors.groupingBy(e -> e.received().getEpochSecond(), Collectors.counting()))
            .values()
            .stream()
            .mapToLong(Long::longValue)
            .max()
            .orElse(0));
  }

  private void rows(Map<String, Object> r, int reached, double total, boolean all, Others others) {
    int big = b.big;
    b.report.row(
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
        all ? "" : "bound reached");
    // the pacer's promise: at most burst + maxRate x t creates in the first t seconds
    double beyondBurst = Math.max(0, reached - defaults.podCreateBurst) / total;
    r.put("podsBeyondTheBurstPerSecond", round(beyondBurst));
    b.report.row(
        "",
        "pods beyond the first " + defaults.podCreateBurst + ", per second since the scale-up",
        fmt(round(beyondBurst)) + " pods/s",
        "<= " + fmt(defaults.podCreateMaxRate) + "/s",
        verdict(beyondBurst <= defaults.podCreateMaxRate * 1.05));
    if (r.get("operatorPodCreateCodes") != null) {
      b.report.row(
          "",
          "the operator's pod creates by answer (audit log)",
          str(r.get("operatorPodCreateCodes")),
          "",
          "");
    }
    b.report.row(
        "",
        OTHERS + " other sets x 3 applied meanwhile: pods exist and status counts them",
        fmt(seconds(others.appliedAt(), others.created())),
        "converge",
        verdict(others.created().isPresent()));
    b.report.row(
        "",
        "... and all Ready (pods started behind the big set's)",
        fmt(seconds(others.appliedAt(), others.ready())),
        "",
        "");
  }
}

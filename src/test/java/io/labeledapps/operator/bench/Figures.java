package io.labeledapps.operator.bench;

import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/** How the benchmark rounds, summarises and prints its figures. */
final class Figures {
  private Figures() {}

  static double secondsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** Seconds from {@code t0} to {@code at} ({@link System#nanoTime}), null when it never came. */
  static Double seconds(long t0, OptionalLong at) {
    return at.isPresent() ? round((at.getAsLong() - t0) / 1e9) : null;
  }

  static Double round(double v) {
    return Double.isNaN(v) ? null : Math.round(v * 100) / 100.0;
  }

  static double percentile(List<Double> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  /** The median over a contender's fresh starts of one round (0: the first). */
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

  /**
   * {@code 4.75 / 2.13 s} for {@code rounds} rounds, or with several starts the medians and each
   * round's range.
   */
  static String perRound(List<List<Double>> starts, int rounds) {
    if (starts == null || starts.isEmpty()) {
      return "not run";
    }
    List<String> medians = new ArrayList<>();
    List<String> ranges = new ArrayList<>();
    for (int round = 0; round < rounds; round++) {
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

  static String fmt(Double v) {
    if (v == null) {
      return "timed out";
    }
    return v == Math.rint(v) && Math.abs(v) >= 10
        ? String.format(Locale.ROOT, "%.0f", v)
        : String.format(Locale.ROOT, "%.2f", v);
  }

  /** {@code a / b s}, each formatted by {@link #fmt}. */
  static String pair(Double a, Double b) {
    return fmt(a) + " / " + fmt(b) + " s";
  }

  static String str(Object o) {
    return o == null ? "n/a" : o.toString();
  }

  static String verdict(boolean met) {
    return met ? "met" : "MISSED";
  }

  static String verdictCount(Object count, long target) {
    return count instanceof Number n ? verdict(n.longValue() <= target) : "n/a (no audit log)";
  }

  /**
   * The verdict on a reaction's p99 (under 1 s, no timeouts), "n/a" when nothing was measured.
   *
   * @param reaction what {@link Reactions#measure} returned
   */
  static String reactionVerdict(Map<String, Object> reaction) {
    Object p99 = reaction.get("p99Seconds");
    return p99 == null
        ? "n/a"
        : verdict((Double) p99 < 1.0 && (Integer) reaction.get("timeouts") == 0);
  }

  /** {@code 2.50x} (or with {@code digits} decimals). */
  static String ratio(double v, int digits) {
    return String.format(Locale.ROOT, "%." + digits + "fx", v);
  }
}

package io.labeledapps.operator.bench;

import static io.labeledapps.operator.bench.Figures.round;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The figures the API server's audit log gives: the operator's requests, and creates on the
 * server's clock. Without a log (no {@code BENCH_AUDIT_LOG}) they are left out or read "n/a".
 */
final class Requests {
  private final AuditLog audit;

  /**
   * @param auditPath the audit log, null or blank when there is none
   */
  Requests(String auditPath) {
    audit = auditPath == null || auditPath.isBlank() ? null : new AuditLog(Path.of(auditPath));
  }

  boolean known() {
    return audit != null;
  }

  /** Where the requests of the phase that starts now begin. */
  long offset() throws IOException {
    return audit == null ? 0 : audit.offset();
  }

  /**
   * The operator's requests since {@code offset} received between {@code from} and {@code to}:
   * writes (any verb but get, list and watch), GETs, and the count by verb.
   */
  Map<String, Object> operator(long offset, Instant from, Instant to) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    if (audit == null) {
      m.put("writes", "n/a");
      m.put("gets", "n/a");
      return m;
    }
    Waits.pause(1000);
    List<AuditLog.Entry> mine =
        audit.since(offset).stream()
            .filter(AuditLog.byAgent(Bench.OPERATOR_AGENT))
            .filter(e -> !e.received().isBefore(from) && e.received().isBefore(to))
            .toList();
    m.put("writes", mine.stream().filter(AuditLog.Entry::isWrite).count());
    m.put("gets", mine.stream().filter(e -> e.verb().equals("get")).count());
    m.put("byVerb", AuditLog.countByVerb(mine));
    return m;
  }

  /** The operator's writes since {@code offset}; empty without a log. */
  Optional<List<AuditLog.Entry>> operatorWrites(long offset) throws IOException {
    if (audit == null) {
      return Optional.empty();
    }
    return Optional.of(
        audit.since(offset).stream()
            .filter(AuditLog.byAgent(Bench.OPERATOR_AGENT))
            .filter(AuditLog.Entry::isWrite)
            .toList());
  }

  /**
   * The operator's pod creates since {@code offset}, in namespace {@code ns} (null: any), once the
   * log has caught up; empty without a log.
   */
  Optional<List<AuditLog.Entry>> operatorPodCreates(long offset, String ns) throws IOException {
    if (audit == null) {
      return Optional.empty();
    }
    Waits.pause(1000);
    return Optional.of(
        audit.since(offset).stream()
            .filter(AuditLog.byAgent(Bench.OPERATOR_AGENT))
            .filter(
                e ->
                    (ns == null || e.namespace().equals(ns))
                        && e.verb().equals("create")
                        && e.resource().equals("pods"))
            .toList());
  }

  /** Requests by answer code, e.g. {@code {201=500, 429=3}}. */
  static Map<String, Long> byCode(List<AuditLog.Entry> entries) {
    return entries.stream()
        .collect(
            Collectors.groupingBy(
                e -> Integer.toString(e.code()), LinkedHashMap::new, Collectors.counting()));
  }

  /**
   * Adds to {@code r} the pod creates {@code agent} sent in {@code ns} since {@code offset}, on the
   * server's clock: how many, their answers, first to last, and from the scale-up request (where
   * there is one) to the first and the last.
   */
  void serverSide(Map<String, Object> r, long offset, String ns, String agent) throws IOException {
    if (audit == null) {
      return;
    }
    Waits.pause(1000);
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
    r.put("serverCreateCodes", byCode(creates));
    r.put("serverFirstToLastCreateSeconds", round(Duration.between(first, last).toNanos() / 1e9));
    // the scale-up request, where there is one: how long the controller took to start creating
    audit.since(offset).stream()
        .filter(AuditLog.byAgent(Bench.CLIENT_AGENT))
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
}

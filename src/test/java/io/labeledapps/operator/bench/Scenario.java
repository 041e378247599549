package io.labeledapps.operator.bench;

import java.util.Map;

/**
 * A scenario that runs in a namespace of its own and reports into one section of the JSON: the
 * runner creates the namespace and the section, the scenario measures, the runner deletes the
 * namespace (a scenario that fails leaves it to {@link Bench#close}).
 */
abstract class Scenario {
  final Bench b;

  Scenario(Bench b) {
    this.b = b;
  }

  /**
   * @param namespace the namespace's suffix ({@code las-bench-<run>-<namespace>})
   * @param section the scenario's key in the JSON
   */
  final void run(String namespace, String section) throws Exception {
    String ns = b.namespace(namespace);
    measure(ns, b.report.section(section));
    b.cleanup(ns);
  }

  /** Measures in {@code ns}, writing its figures to {@code r} and its rows to the report. */
  abstract void measure(String ns, Map<String, Object> r) throws Exception;
}

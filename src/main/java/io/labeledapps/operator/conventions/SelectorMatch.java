package io.labeledapps.operator.conventions;

import java.util.Map;

/**
 * Equality-based label selectors ({@code k=v}, {@code k==v}, {@code k!=v}, {@code k}, {@code !k}),
 * comma-separated.
 */
final class SelectorMatch {
  private SelectorMatch() {}

  static boolean matches(String selector, Map<String, String> labels) {
    for (String term : selector.split(",")) {
      String t = term.trim();
      if (t.isEmpty()) {
        continue;
      }
      boolean ok;
      if (t.contains("!=")) {
        String[] kv = t.split("!=", 2);
        ok = !kv[1].trim().equals(labels.get(kv[0].trim()));
      } else if (t.contains("=")) {
        String[] kv = t.split("==?", 2);
        ok = kv[1].trim().equals(labels.get(kv[0].trim()));
      } else if (t.startsWith("!")) {
        ok = !labels.containsKey(t.substring(1).trim());
      } else {
        ok = labels.containsKey(t);
      }
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}

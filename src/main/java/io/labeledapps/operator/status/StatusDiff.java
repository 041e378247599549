package io.labeledapps.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.labeledapps.operator.api.LabeledAppSetStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** Whether two statuses differ, and how: a status is written only when it changed. */
public final class StatusDiff {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private StatusDiff() {}

  /**
   * Field by field ({@code equals} of the status and of what it holds, fabric8's conditions and
   * load balancer status included): the same answer as comparing their JSON (null fields are left
   * out of it, so an absent list and an empty one differ either way), without serializing two
   * statuses on every pass. fabric8's objects compare their map of unknown fields too: those the
   * status calculator builds (no-argument builders) carry an empty one, as those read back do;
   * StatusCalculatorTest (a status read back, computed again) and StatusDiffPropertiesTest check
   * it.
   */
  public static boolean same(LabeledAppSetStatus a, LabeledAppSetStatus b) {
    return Objects.equals(a, b);
  }

  /**
   * Whether going from {@code before} to {@code after} says something new that must not wait: a
   * first status, another observedGeneration (a spec change acknowledged), or a condition that
   * appears, goes or changes its status (Ready turning True, a rollout stopping). Counts, phases,
   * messages and reasons within an unchanged condition status move with every pod event during a
   * burst; a short wait lets one write carry several of them.
   */
  public static boolean turning(LabeledAppSetStatus before, LabeledAppSetStatus after) {
    if (before == null || after == null) {
      return before != after;
    }
    return !Objects.equals(before.getObservedGeneration(), after.getObservedGeneration())
        || !conditionStatuses(before).equals(conditionStatuses(after));
  }

  private static Map<String, String> conditionStatuses(LabeledAppSetStatus status) {
    // a status written by someone else may hold a condition without a type: no TreeMap
    Map<String, String> statuses = new HashMap<>();
    if (status.getConditions() != null) {
      status.getConditions().stream()
          .filter(Objects::nonNull)
          .forEach(c -> statuses.put(c.getType(), c.getStatus()));
    }
    return statuses;
  }

  /**
   * What differs between two statuses, field by field ({@code readyReplicas: 2 -> 3}, {@code
   * conditions[Ready].status: False -> True}): why a status write happened, for the log.
   */
  public static List<String> differences(LabeledAppSetStatus before, LabeledAppSetStatus after) {
    Map<String, JsonNode> b = flatten(before);
    Map<String, JsonNode> a = flatten(after);
    SortedSet<String> keys = new TreeSet<>(b.keySet());
    keys.addAll(a.keySet());
    List<String> out = new ArrayList<>();
    for (String key : keys) {
      if (!Objects.equals(b.get(key), a.get(key))) {
        out.add(key + ": " + orNone(b.get(key)) + " -> " + orNone(a.get(key)));
      }
    }
    return out;
  }

  private static Object orNone(JsonNode value) {
    return value == null ? "(none)" : value;
  }

  private static Map<String, JsonNode> flatten(LabeledAppSetStatus status) {
    Map<String, JsonNode> fields = new TreeMap<>();
    if (status == null) {
      return fields;
    }
    JsonNode tree = MAPPER.valueToTree(status);
    tree.fields()
        .forEachRemaining(
            e -> {
              if (e.getKey().equals("conditions") && e.getValue().isArray()) {
                // conditions by type, not by position
                e.getValue()
                    .forEach(
                        c ->
                            c.fields()
                                .forEachRemaining(
                                    cf -> {
                                      if (!cf.getKey().equals("type")) {
                                        fields.put(
                                            "conditions["
                                                + c.path("type").asText()
                                                + "]."
                                                + cf.getKey(),
                                            cf.getValue());
                                      }
                                    }));
              } else {
                fields.put(e.getKey(), e.getValue());
              }
            });
    return fields;
  }
}

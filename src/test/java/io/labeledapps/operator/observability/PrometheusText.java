package io.labeledapps.operator.observability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Parses the Prometheus text exposition format (version 0.0.4) into samples, for assertions. */
public final class PrometheusText {
  /** One line of the exposition: a series and its value. */
  public record Sample(String name, Map<String, String> labels, double value) {
    /** True when every label in {@code wanted} has that value on this sample. */
    public boolean has(Map<String, String> wanted) {
      return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    @Override
    public String toString() {
      return name + labels + " " + value;
    }
  }

  private final List<Sample> samples;

  private PrometheusText(List<Sample> samples) {
    this.samples = samples;
  }

  public static PrometheusText parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      samples.add(parseLine(line));
    }
    return new PrometheusText(samples);
  }

  private static Sample parseLine(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    Map<String, String> labels = new LinkedHashMap<>();
    String name;
    String rest;
    if (brace >= 0 && brace < space) {
      name = line.substring(0, brace);
      int i = brace + 1;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String key = line.substring(i, eq).trim();
        StringBuilder value = new StringBuilder();
        int j = eq + 2; // past ="
        while (line.charAt(j) != '"') {
          char c = line.charAt(j);
          if (c == '\\') {
            char next = line.charAt(++j);
            value.append(next == 'n' ? '\n' : next);
          } else {
            value.append(c);
          }
          j++;
        }
        labels.put(key, value.toString());
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      rest = line.substring(i + 1).trim();
    } else {
      name = line.substring(0, space);
      rest = line.substring(space + 1).trim();
    }
    String value = rest.split(" ")[0];
    return new Sample(
        name,
        labels,
        switch (value) {
          case "+Inf" -> Double.POSITIVE_INFINITY;
          case "-Inf" -> Double.NEGATIVE_INFINITY;
          default -> Double.parseDouble(value);
        });
  }

  public List<Sample> samples() {
    return samples;
  }

  /** The samples of series {@code name} carrying every label of {@code labels}. */
  public List<Sample> find(String name, Map<String, String> labels) {
    return samples.stream().filter(s -> s.name().equals(name) && s.has(labels)).toList();
  }

  /**
   * The value of the one series {@code name} with {@code labels}; fails when there is not exactly
   * one.
   */
  public double value(String name, Map<String, String> labels) {
    List<Sample> found = find(name, labels);
    if (found.size() != 1) {
      throw new AssertionError(
          "expected one series "
              + name
              + labels
              + ", found "
              + found.size()
              + ": "
              + found
              + "\nseries named like it: "
              + names().stream().filter(n -> n.startsWith(name.split("_")[0])).toList());
    }
    return found.get(0).value();
  }

  /** The sum over the series {@code name} with {@code labels}; fails when there is none. */
  public double sum(String name, Map<String, String> labels) {
    List<Sample> found = find(name, labels);
    if (found.isEmpty()) {
      throw new AssertionError("no series " + name + labels + "; series present: " + names());
    }
    return found.stream().mapToDouble(Sample::value).sum();
  }

  public List<String> names() {
    return samples.stream().map(Sample::name).distinct().sorted().collect(Collectors.toList());
  }
}

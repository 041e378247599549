package io.labeledapps.operator.validation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.api.LabeledAppSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The sets under {@code src/test/resources/corpus/}: {@code malformed/} holds sets that must be
 * refused, each naming in its comment header how, {@code admission/} more of them that only the API
 * server refuses so far (see {@link #admission()}), {@code hostile/} the regressions the
 * hostile-input tests found (refused by the Validate stage's pod rules), and {@code valid/} holds
 * edge cases that must be accepted.
 *
 * <pre>
 * # expect: schema spec.replicas            the API server (any version) rejects it at apply
 * # expect: operator spec.service.ports[0].targetPort
 *                                           the API server accepts it (1.20); the operator reports
 *                                           InvalidSpec naming that field (one line per field)
 * # cel: targetPort names a port            a CRD CEL rule whose message holds this rejects it (one line per rule)
 * # cel: none, why                          no CEL rule can: the operator is the only guard
 * </pre>
 */
public final class Corpus {
  public static final Path ROOT = Path.of("src/test/resources/corpus");

  /**
   * Reads {@code ""} as the empty string, as the API server does (Jackson's YAML reader makes it
   * null).
   */
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder().disable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build());

  /** How a case must be refused; {@code VALID} for the sets that must be accepted. */
  public enum Expect {
    SCHEMA,
    OPERATOR,
    VALID
  }

  /**
   * One set of the corpus.
   *
   * @param paths the fields that must be named (by the operator, and for SCHEMA by the API server)
   * @param cel substrings of the messages of the CEL rules that must reject it; empty: none may
   */
  public record Case(
      Path file, String name, String yaml, Expect expect, List<String> paths, List<String> cel) {
    /** The set as parsed YAML, the way CEL and the API server see it. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> object() {
      try {
        return YAML.readValue(yaml, Map.class);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * The set as the operator reads it; empty when it cannot be read (a wrong type or enum value).
     */
    public Optional<LabeledAppSet> set() {
      try {
        return Optional.of(Serialization.unmarshal(yaml, LabeledAppSet.class));
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    }

    /** The same set under another name. */
    @SuppressWarnings("unchecked")
    public Case withName(String newName) {
      Map<String, Object> object = object();
      ((Map<String, Object>) object.get("metadata")).put("name", newName);
      try {
        return new Case(file, newName, YAML.writeValueAsString(object), expect, paths, cel);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String toString() {
      return file.getFileName().toString();
    }
  }

  private Corpus() {}

  public static List<Case> malformed() {
    return read(ROOT.resolve("malformed"), true);
  }

  /**
   * Sets refused at admission (by the schema everywhere, or by a CEL rule where the server runs
   * them) that the operator's own checks do not cover yet; their headers read as in {@code
   * malformed/}. A case moves to {@code malformed/} once the operator names its field too.
   */
  public static List<Case> admission() {
    return read(ROOT.resolve("admission"), true);
  }

  /**
   * Sets the API server (1.20) admits but refuses as pods: found by hostile-input tests, kept as
   * regressions.
   */
  public static List<Case> hostile() {
    return read(ROOT.resolve("hostile"), true);
  }

  public static List<Case> valid() {
    return read(ROOT.resolve("valid"), false);
  }

  private static List<Case> read(Path dir, boolean malformed) {
    try (Stream<Path> files = Files.list(dir)) {
      List<Case> cases = new ArrayList<>();
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        cases.add(parse(file, malformed));
      }
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Case parse(Path file, boolean malformed) throws IOException {
    String yaml = Files.readString(file);
    Expect expect = malformed ? null : Expect.VALID;
    List<String> paths = new ArrayList<>();
    List<String> cel = new ArrayList<>();
    boolean celNone = false;
    for (String line : yaml.lines().takeWhile(l -> l.startsWith("#")).toList()) {
      String text = line.substring(1).trim();
      if (text.startsWith("expect:")) {
        String[] parts = text.substring("expect:".length()).trim().split(" ", 2);
        Expect e = Expect.valueOf(parts[0].toUpperCase());
        if (expect != null && expect != e || e == Expect.VALID) {
          throw new IllegalArgumentException(file + ": conflicting or wrong 'expect' lines");
        }
        expect = e;
        if (parts.length == 2) {
          paths.add(parts[1].trim());
        }
      } else if (text.startsWith("cel:")) {
        String what = text.substring("cel:".length()).trim();
        if (what.startsWith("none")) {
          celNone = true;
        } else {
          cel.add(what);
        }
      }
    }
    if (malformed && (expect == null || paths.isEmpty())) {
      throw new IllegalArgumentException(file + ": needs '# expect: schema|operator <field path>'");
    }
    if (expect == Expect.OPERATOR && cel.isEmpty() == !celNone) {
      throw new IllegalArgumentException(
          file + ": an operator case needs '# cel: <message>' lines or '# cel: none, why'");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> object = YAML.readValue(yaml, Map.class);
    @SuppressWarnings("unchecked")
    String name = (String) ((Map<String, Object>) object.get("metadata")).get("name");
    return new Case(file, name, yaml, expect, List.copyOf(paths), List.copyOf(cel));
  }
}

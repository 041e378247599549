package io.labeledapps.operator.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The API server's audit log (JSON lines, level Metadata or higher): the server's own record of who
 * sent which request, read from a byte offset so each phase sees only its own requests.
 */
final class AuditLog {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;

  AuditLog(Path file) {
    this.file = file;
  }

  /** One request, at stage ResponseComplete. */
  record Entry(
      String verb,
      String userAgent,
      String namespace,
      String resource,
      String subresource,
      String name,
      int code,
      Instant received,
      Instant completed) {
    boolean isWrite() {
      return !List.of("get", "list", "watch").contains(verb);
    }
  }

  long offset() throws IOException {
    return Files.size(file);
  }

  /** Requests logged after {@code offset} (the writer may lag: callers wait a moment first). */
  List<Entry> since(long offset) throws IOException {
    List<Entry> entries = new ArrayList<>();
    byte[] bytes;
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long length = raf.length();
      if (length <= offset) {
        return entries;
      }
      bytes = new byte[(int) (length - offset)];
      raf.seek(offset);
      raf.readFully(bytes);
    }
    for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
      if (line.isBlank() || !line.endsWith("}")) {
        continue; // the writer's last, unfinished line
      }
      JsonNode n = JSON.readTree(line);
      if (!"ResponseComplete".equals(n.path("stage").asText())) {
        continue;
      }
      JsonNode ref = n.path("objectRef");
      entries.add(
          new Entry(
              n.path("verb").asText(),
              n.path("userAgent").asText(),
              text(ref, "namespace"),
              text(ref, "resource"),
              text(ref, "subresource"),
              text(ref, "name"),
              n.path("responseStatus").path("code").asInt(),
              Instant.parse(n.path("requestReceivedTimestamp").asText()),
              Instant.parse(n.path("stageTimestamp").asText())));
    }
    return entries;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? "" : v.asText();
  }

  static Predicate<Entry> byAgent(String prefix) {
    return e -> e.userAgent().startsWith(prefix);
  }

  /** "verb resource[/subresource]" -> count, e.g. {@code patch labeledappsets/status -> 3}. */
  static Map<String, Integer> countByVerb(List<Entry> entries) {
    Map<String, Integer> counts = new TreeMap<>();
    for (Entry e : entries) {
      String key =
          e.verb() + " " + e.resource() + (e.subresource().isEmpty() ? "" : "/" + e.subresource());
      counts.merge(key, 1, Integer::sum);
    }
    return counts;
  }
}

package io.labeledapps.operator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed CRD is what the Java classes generate: a stale crds/ fails the build. */
class CrdUpToDateTest {
  private static final String FILE = "labeledappsets.labeledapps.io-v1.yml";

  @Test
  void committedCrdMatchesTheGeneratedOne() throws IOException {
    Path generated = Path.of("target/classes/META-INF/fabric8", FILE);
    Path committed = Path.of("crds", FILE);
    assertTrue(Files.exists(generated), "the build generates " + generated);
    assertEquals(
        Files.readString(generated),
        Files.readString(committed),
        "crds/" + FILE + " is stale: run 'make crds' and commit it");
  }
}

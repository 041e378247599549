package io.labeledapps.operator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorConfigEmptyFileTest {
  @TempDir Path dir;

  @Test
  void fileWithOnlyCommentsMeansDefaults() throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, "# everything left at its default\n# metricsPort: 8080\n");
    OperatorConfig config = OperatorConfig.load(Map.of("LAS_CONFIG", file.toString()), List.of());
    assertEquals(8080, config.metricsPort);
  }

  @Test
  void emptyFileMeansDefaults() throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, "");
    OperatorConfig config = OperatorConfig.load(Map.of("LAS_CONFIG", file.toString()), List.of());
    assertEquals(8080, config.metricsPort);
  }
}

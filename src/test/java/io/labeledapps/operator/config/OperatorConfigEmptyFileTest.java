package io.labeledapps.operator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OperatorConfigEmptyFileTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"# everything left at its default\n# metricsPort: 8080\n", ""})
  void aFileWithOnlyCommentsOrEmptyMeansDefaults(String content) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, content);
    OperatorConfig config = OperatorConfig.load(Map.of("LAS_CONFIG", file.toString()), List.of());
    assertEquals(8080, config.metricsPort);
  }
}

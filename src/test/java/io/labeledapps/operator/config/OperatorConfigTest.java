package io.labeledapps.operator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorConfigTest {
  @TempDir
  Path dir;

  private OperatorConfig load(String yaml) throws Exception {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, yaml);
    return OperatorConfig.load(Map.of("LAS_CONFIG", file.toString()), List.of());
  }

  @Test
  void theDefaultsLetA500PodBurstThrough() throws Exception {
    OperatorConfig config = OperatorConfig.load(Map.of(), List.of());
    assertEquals(500, config.podCreateBurst);
    assertEquals(100.0, config.podCreateRate);
  }

  @Test
  void theTokenBucketIsConfigurable() throws Exception {
    OperatorConfig config = load("podCreateBurst: 50\npodCreateRate: 2.5\n");
    assertEquals(50, config.podCreateBurst);
    assertEquals(2.5, config.podCreateRate);
  }

  @Test
  void aBucketThatCouldNeverCreateAPodIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> load("podCreateBurst: 0\n"));
    assertThrows(IllegalArgumentException.class, () -> load("podCreateRate: 0\n"));
    assertThrows(IllegalArgumentException.class, () -> load("podCreateRate: -5\n"));
  }
}

package io.labeledapps.operator.testkit;

import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Kubernetes objects read from the project's YAML files (paths relative to the project root). */
public final class YamlFiles {
  private YamlFiles() {}

  /** The object in file {@code path}, as a {@code type}. */
  public static <T> T read(String path, Class<T> type) throws IOException {
    return Serialization.unmarshal(Files.readString(Path.of(path)), type);
  }
}

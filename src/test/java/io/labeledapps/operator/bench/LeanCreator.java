package io.labeledapps.operator.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API server's limit, as near as a client gets: {@code src/test/python/lean_client.py},
 * Python's standard library only, one kept-alive HTTPS connection per thread, the same pod body and
 * concurrency as the JVM bare client ({@link RawCreator}), authenticated with the kubeconfig's
 * client certificate (or token). A process of its own, so its CPU time is its own.
 */
final class LeanCreator implements RawCreator.Creator {
  static final Path SCRIPT = Path.of("src", "test", "python", "lean_client.py");
  private final Process process;
  private final PrintStream commands;
  private final BufferedReader answers;

  /** Answer codes of the last create command, e.g. {@code {201=500}}. */
  private Map<Integer, Integer> lastCodes = Map.of();

  private LeanCreator(Process process) {
    this.process = process;
    this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
    this.answers =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Starts {@code python3 lean_client.py} against the server and credentials of {@code config}. */
  static LeanCreator start(
      Config config, String ns, Pod template, int connections, String userAgent, Path log)
      throws IOException {
    Path dir =
        Files.createTempDirectory(
            log.getParent(),
            "lean-client",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path templateFile = dir.resolve("pod.json");
    Files.writeString(templateFile, Serialization.asJson(template));
    List<String> command =
        new ArrayList<>(List.of("python3", SCRIPT.toString(), config.getMasterUrl()));
    command.add(
        config.isTrustCerts()
            ? "-"
            : pem(dir, "ca.pem", config.getCaCertFile(), config.getCaCertData()));
    command.add(pem(dir, "client.pem", config.getClientCertFile(), config.getClientCertData()));
    command.add(pem(dir, "client-key.pem", config.getClientKeyFile(), config.getClientKeyData()));
    command.addAll(List.of(ns, templateFile.toString(), Integer.toString(connections), userAgent));
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(log.toFile());
    // a token set explicitly, or the one fabric8 found (kubeconfig, service account)
    String token =
        config.getOauthToken() != null ? config.getOauthToken() : config.getAutoOAuthToken();
    if (token != null && !token.isBlank()) {
      pb.environment().put("LEAN_TOKEN", token);
    }
    return new LeanCreator(pb.start());
  }

  /** The kubeconfig's file, or its inline base64 data written to {@code dir}; "-" when neither. */
  private static String pem(Path dir, String name, String file, String data) throws IOException {
    if (file != null && !file.isBlank()) {
      return file;
    }
    if (data == null || data.isBlank()) {
      return "-";
    }
    Path p = dir.resolve(name);
    Files.write(p, Base64.getDecoder().decode(data.trim()));
    return p.toString();
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public double create(String group, int count) throws IOException {
    return seconds(RawCreator.Creator.ask(commands, answers, "lean client", group, count));
  }

  /**
   * Creates {@code groups} groups {@code prefix-g} of {@code size} pods, each with a Service of its
   * name selecting them (the objects of as many sets with a Service), all at once; the seconds
   * until all were answered.
   */
  double createGroups(String prefix, int groups, int size) throws IOException {
    commands.println("groups " + prefix + " " + groups + " " + size);
    String answer = answers.readLine();
    if (answer == null || !answer.startsWith("done ")) {
      throw new IOException("the lean client answered " + answer + " (see its log)");
    }
    return seconds(answer.split(" "));
  }

  /** The seconds of a "done" answer, after checking its codes. */
  private double seconds(String[] f) throws IOException {
    Map<Integer, Integer> codes = new LinkedHashMap<>();
    if (f.length > 2) {
      for (String kv : f[2].split(",")) {
        String[] c = kv.split(":");
        codes.put(Integer.parseInt(c[0]), Integer.parseInt(c[1]));
      }
    }
    lastCodes = codes;
    if (codes.keySet().stream().anyMatch(c -> c != 201 && c != 409)) {
      // e.g. 401 without credentials: a fast refusal is no create
      throw new IOException("the lean client's creates were answered " + codes + " (see its log)");
    }
    return Double.parseDouble(f[1]);
  }

  Map<Integer, Integer> lastCodes() {
    return lastCodes;
  }

  @Override
  public void close() {
    RawCreator.Creator.stop(process, commands);
  }
}

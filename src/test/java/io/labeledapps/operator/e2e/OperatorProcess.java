package io.labeledapps.operator.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator as a separate process, started from the jar the package phase built, exactly as
 * {@code java -jar target/labeledappset-operator.jar} runs it: so a test can SIGKILL it, freeze it
 * (SIGSTOP) or run two of them, which an operator inside the test JVM cannot survive (JOSDK's
 * leader election exits the JVM). Its output goes to {@code target/e2e-operators/<name>.log}.
 */
final class OperatorProcess implements AutoCloseable {
  static final Path JAR = Path.of("target", "labeledappset-operator.jar");
  private static final Path LOGS = Path.of("target", "e2e-operators");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  final String name;
  final int port;
  final Path log;
  private final Process process;

  private OperatorProcess(String name, int port, Path log, Process process) {
    this.name = name;
    this.port = port;
    this.log = log;
    this.process = process;
  }

  /**
   * Starts an operator watching {@code namespace} with the given configuration file content and
   * {@code HOSTNAME=name}, which is also its leader election identity.
   */
  static OperatorProcess start(String name, String namespace, String configYaml) throws IOException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(JAR + " is missing: run the e2e tests with 'mvn verify -Pe2e' (package builds it)");
    }
    Files.createDirectories(LOGS);
    Path config = Files.createTempFile("las-config-" + name, ".yaml");
    Files.writeString(config, configYaml);
    Path log = LOGS.resolve(namespace + "-" + name + ".log");
    int port = freePort();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        // the informers' relists and their "http gone" (410) restarts, for the tests to check
        "-Dorg.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.informers.impl.cache.Reflector=debug",
        "-jar", JAR.toString()));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("HOSTNAME", name);
    env.put("WATCH_NAMESPACES", namespace);
    env.put("METRICS_PORT", Integer.toString(port));
    env.put("LAS_CONFIG", config.toString());
    env.remove("POD_NAMESPACE");
    return new OperatorProcess(name, port, log, builder.start());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** /readyz answers 200: started, informers synced and healthy. */
  boolean ready() {
    return get("/readyz").map(r -> r.statusCode() == 200).orElse(false);
  }

  /** The value of {@code labeledappset_operator_leader}, or -1 when /metrics does not answer. */
  int leaderGauge() {
    return get("/metrics").filter(r -> r.statusCode() == 200).map(r -> {
      Matcher m = Pattern.compile("(?m)^labeledappset_operator_leader(?:\\{[^}]*})? ([0-9.]+)$").matcher(r.body());
      return m.find() ? (int) Double.parseDouble(m.group(1)) : -1;
    }).orElse(-1);
  }

  /** The body of /metrics, or "" when it does not answer. */
  String metrics() {
    return get("/metrics").filter(r -> r.statusCode() == 200).map(HttpResponse::body).orElse("");
  }

  private java.util.Optional<HttpResponse<String>> get(String path) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(2)).build();
      return java.util.Optional.of(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.empty();
    }
  }

  /** Waits until /readyz says ready; fails early, with the log's tail, when the process dies. */
  OperatorProcess awaitReady(Duration timeout) {
    FaultSupport.await(name + " ready", timeout, () -> {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + tail());
      }
      return ready();
    });
    return this;
  }

  /** SIGKILL: no shutdown hook, no cleanup, in-flight requests cut off. Returns once it is dead. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " survived SIGKILL for 30 s");
    }
  }

  /** SIGSTOP: the process freezes, its connections stay open, as in a long GC pause. */
  void suspend() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT after {@link #suspend()}. */
  void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + signal + " " + process.pid() + " failed");
    }
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  String tail() {
    List<String> lines = output().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  /** SIGTERM (continuing a frozen process first), SIGKILL if it has not exited after 20 s. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    try {
      resume();
    } catch (IOException | InterruptedException e) {
      // it may have exited meanwhile; destroy() below settles it
    }
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}

package io.labeledapps.operator.testkit;

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
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator as a separate process, started from the jar the package phase built, exactly as
 * {@code java -jar target/labeledappset-operator.jar} runs it. The end-to-end tests use it to
 * SIGKILL the operator, freeze it (SIGSTOP) or run two of them, which an operator inside the test
 * JVM cannot survive (JOSDK's leader election exits the JVM); the benchmark, so that the operator's
 * memory, start-up and API calls are its own and the benchmark only plays client and stopwatch.
 */
public final class OperatorProcess implements AutoCloseable {
  public static final Path JAR = Path.of("target", "labeledappset-operator.jar");
  private static final Path E2E_LOGS = Path.of("target", "e2e-operators");
  private static final List<String> E2E_JVM =
      List.of(
          "-Xmx256m",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          // the informers' relists and their "http gone" (410) restarts, for the tests to check
          "-Dorg.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.informers.impl.cache.Reflector=debug");
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  public final String name;
  public final int port;
  public final Path log;

  /** {@link System#nanoTime()} just before the process was started. */
  public final long startNanos;

  private final Process process;

  private OperatorProcess(String name, int port, Path log, long startNanos, Process process) {
    this.name = name;
    this.port = port;
    this.log = log;
    this.startNanos = startNanos;
    this.process = process;
  }

  /**
   * For the end-to-end tests: an operator watching {@code namespace} with the given configuration
   * file content and {@code HOSTNAME=name}, which is also its leader election identity. Its output
   * goes to {@code target/e2e-operators/<namespace>-<name>.log}.
   */
  public static OperatorProcess start(String name, String namespace, String configYaml)
      throws IOException {
    if (!Files.isRegularFile(JAR)) {
      throw new IllegalStateException(
          JAR + " is missing: run the e2e tests with 'mvn verify -Pe2e' (package builds it)");
    }
    Files.createDirectories(E2E_LOGS);
    return launch(
        name,
        JAR,
        E2E_JVM,
        List.of(namespace),
        configYaml,
        E2E_LOGS.resolve(namespace + "-" + name + ".log"),
        Map.of("HOSTNAME", name));
  }

  /**
   * For the benchmark: an operator watching {@code namespaces}, with {@code configYaml} as its
   * LAS_CONFIG file (null: none) and the given user agent, so its requests can be told apart in the
   * audit log; extra JVM options from {@code BENCH_OPERATOR_EXTRA_JVM}.
   */
  public static OperatorProcess start(
      Path jar,
      List<String> jvmOptions,
      List<String> namespaces,
      String configYaml,
      String userAgent,
      Path log)
      throws IOException {
    List<String> jvm = new ArrayList<>(jvmOptions);
    jvm.add("-Dkubernetes.user.agent=" + userAgent);
    String extra = System.getenv("BENCH_OPERATOR_EXTRA_JVM");
    if (extra != null && !extra.isBlank()) {
      jvm.addAll(List.of(extra.trim().split("\\s+")));
    }
    return launch("operator", jar, jvm, namespaces, configYaml, log, Map.of());
  }

  private static OperatorProcess launch(
      String name,
      Path jar,
      List<String> jvmOptions,
      List<String> namespaces,
      String configYaml,
      Path log,
      Map<String, String> extraEnv)
      throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("WATCH_NAMESPACES", String.join(",", namespaces));
    env.put("METRICS_PORT", Integer.toString(port));
    env.put("MALLOC_ARENA_MAX", "2"); // as the image's Dockerfile sets it
    env.remove("LAS_INSTALL_CRD");
    env.remove("POD_NAMESPACE");
    env.remove("LAS_CONFIG");
    if (configYaml != null) {
      Path config =
          Files.createTempFile(
              log.toAbsolutePath().getParent(), "operator-config-" + name, ".yaml");
      Files.writeString(config, configYaml);
      env.put("LAS_CONFIG", config.toAbsolutePath().toString());
    }
    env.putAll(extraEnv);
    long start = System.nanoTime();
    return new OperatorProcess(name, port, log, start, builder.start());
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** /readyz answers 200: started, informers synced and healthy. */
  public boolean ready() {
    return get("/readyz", Duration.ofSeconds(5)).map(r -> r.statusCode() == 200).orElse(false);
  }

  /** Waits until /readyz says ready; fails early, with the log's tail, when the process dies. */
  public OperatorProcess started(Duration timeout) {
    Await.until(
        name + " ready",
        timeout,
        Duration.ofMillis(20),
        () -> {
          if (!process.isAlive()) {
            throw new AssertionError(
                name + " exited with " + process.exitValue() + " (" + log + "):\n" + tail());
          }
          return ready();
        },
        () -> "see " + log);
    return this;
  }

  /** As {@link #started(Duration)}; returns the seconds from the start of the process to ready. */
  public double awaitReady(Duration timeout) {
    started(timeout);
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** The value of {@code labeledappset_operator_leader}, or -1 when /metrics does not answer. */
  public int leaderGauge() {
    Matcher m =
        Pattern.compile("(?m)^labeledappset_operator_leader(?:\\{[^}]*})? ([0-9.]+)$")
            .matcher(metrics());
    return m.find() ? (int) Double.parseDouble(m.group(1)) : -1;
  }

  /** The body of /metrics, or "" when it does not answer. */
  public String metrics() {
    return metrics(Duration.ofSeconds(5));
  }

  /**
   * As {@link #metrics()}, waiting up to {@code timeout}: a scrape of thousands of sets takes its
   * time.
   */
  public String metrics(Duration timeout) {
    return get("/metrics", timeout)
        .filter(r -> r.statusCode() == 200)
        .map(HttpResponse::body)
        .orElse("");
  }

  /**
   * Reconciliations started, summed over sets, from the operator's /metrics; empty when
   * unreachable.
   */
  public OptionalLong reconciliationsStarted() {
    String body = metrics();
    if (body.isEmpty()) {
      return OptionalLong.empty();
    }
    long sum = 0;
    for (String line : body.split("\n")) {
      if (!line.startsWith("#") && line.contains("reconciliations_started")) {
        sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return OptionalLong.of(sum);
  }

  private Optional<HttpResponse<String>> get(String path, Duration timeout) {
    try {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .timeout(timeout)
              .build();
      return Optional.of(HTTP.send(request, HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /** Resident set size from /proc, in MiB. */
  public double rssMiB() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    throw new IOException("no VmRSS for " + pid());
  }

  /**
   * The heap's classes by bytes after a full GC (jcmd GC.class_histogram), the first {@code lines}
   * lines.
   */
  public String classHistogram(int lines) throws IOException, InterruptedException {
    return String.join("\n", jcmd("GC.class_histogram").lines().limit(lines).toList());
  }

  /** Runs a full GC in the operator (jcmd GC.run), then returns the Java heap in use, in MiB. */
  public double heapAfterGcMiB() throws IOException, InterruptedException {
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    long usedKiB = 0;
    for (String line : info.split("\n")) {
      String l = line.trim();
      // Serial/Parallel: one line per generation; G1: one line for the whole heap
      if (l.startsWith("def new generation")
          || l.startsWith("tenured generation")
          || l.startsWith("PSYoungGen")
          || l.startsWith("ParOldGen")
          || l.startsWith("garbage-first heap")) {
        Matcher m = USED.matcher(l);
        if (m.find()) {
          usedKiB += Long.parseLong(m.group(1));
        }
      }
    }
    if (usedKiB == 0) {
      throw new IOException("cannot read the heap from jcmd GC.heap_info:\n" + info);
    }
    return usedKiB / 1024.0;
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p =
        new ProcessBuilder(
                Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", Long.toString(pid()), command)
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("jcmd " + command + " failed: " + out);
    }
    return out;
  }

  /** SIGKILL: no shutdown hook, no cleanup, in-flight requests cut off. Returns once it is dead. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " survived SIGKILL for 30 s");
    }
  }

  /** SIGSTOP: the process freezes, its connections stay open, as in a long GC pause. */
  public void suspend() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT after {@link #suspend()}. */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String signal) throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + signal + " " + process.pid() + " failed");
    }
  }

  public String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  public String tail() {
    List<String> lines = output().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  /**
   * SIGTERM (continuing a frozen process first; the shutdown hook stops it cleanly), SIGKILL after
   * 20 s.
   */
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

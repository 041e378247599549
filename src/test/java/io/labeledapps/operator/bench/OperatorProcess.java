package io.labeledapps.operator.bench;

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
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator as users run it: its own JVM from target/labeledappset-operator.jar, so that its
 * memory, start-up and API calls are its own and the benchmark only plays client and stopwatch.
 */
final class OperatorProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  final Process process;
  final long startNanos;
  final int port;
  final Path log;

  private OperatorProcess(Process process, long startNanos, int port, Path log) {
    this.process = process;
    this.startNanos = startNanos;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts the operator watching {@code namespaces}, with {@code configYaml} as its LAS_CONFIG file
   * (null: none) and the given user agent, so its requests can be told apart in the audit log.
   */
  static OperatorProcess start(Path jar, List<String> jvmOptions, List<String> namespaces, String configYaml,
      String userAgent, Path log) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-Dkubernetes.user.agent=" + userAgent);
    String extra = System.getenv("BENCH_OPERATOR_EXTRA_JVM");
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("WATCH_NAMESPACES", String.join(",", namespaces));
    env.put("METRICS_PORT", Integer.toString(port));
    env.remove("LAS_INSTALL_CRD");
    env.put("MALLOC_ARENA_MAX", "2");  // as the image's Dockerfile sets it
    if (configYaml != null) {
      Path config = Files.createTempFile(log.getParent(), "operator-config", ".yaml");
      Files.writeString(config, configYaml);
      env.put("LAS_CONFIG", config.toAbsolutePath().toString());
    } else {
      env.remove("LAS_CONFIG");
    }
    long start = System.nanoTime();
    return new OperatorProcess(pb.start(), start, port, log);
  }

  long pid() {
    return process.pid();
  }

  /** Waits for /readyz; returns the seconds since the process started. */
  double awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("operator exited with " + process.exitValue() + "; see " + log);
      }
      if (get("/readyz").map(b -> true).orElse(false)) {
        return Benchmark.secondsSince(startNanos);
      }
      Benchmark.pause(20);
    }
    throw new IllegalStateException("operator not ready after " + timeout + "; see " + log);
  }

  /** Reconciliations started, summed over sets, from the operator's /metrics; empty when unreachable. */
  OptionalLong reconciliationsStarted() {
    return get("/metrics").map(body -> {
      long sum = 0;
      for (String line : body.split("\n")) {
        if (!line.startsWith("#") && line.contains("reconciliations_started")) {
          sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return OptionalLong.of(sum);
    }).orElse(OptionalLong.empty());
  }

  /** The body of /metrics, as Prometheus would scrape it; empty when unreachable. */
  java.util.Optional<String> metrics() {
    // a scrape of thousands of sets takes its time on a loaded machine
    return get("/metrics", Duration.ofSeconds(60));
  }

  private java.util.Optional<String> get(String path) {
    return get(path, Duration.ofSeconds(5));
  }

  private java.util.Optional<String> get(String path, Duration timeout) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? java.util.Optional.of(r.body()) : java.util.Optional.empty();
    } catch (IOException e) {
      return java.util.Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return java.util.Optional.empty();
    }
  }

  /** Resident set size from /proc, in MiB. */
  double rssMiB() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    throw new IOException("no VmRSS for " + pid());
  }

  /** Runs a full GC in the operator (jcmd GC.run), then returns the Java heap in use, in MiB. */
  double heapAfterGcMiB() throws IOException, InterruptedException {
    jcmd("GC.run");
    String info = jcmd("GC.heap_info");
    long usedKiB = 0;
    for (String line : info.split("\n")) {
      String l = line.trim();
      // Serial/Parallel: one line per generation; G1: one line for the whole heap
      if (l.startsWith("def new generation") || l.startsWith("tenured generation") || l.startsWith("PSYoungGen")
          || l.startsWith("ParOldGen") || l.startsWith("garbage-first heap")) {
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

  /** The heap's classes by bytes after a full GC (jcmd GC.class_histogram), the first {@code lines} lines. */
  String classHistogram(int lines) throws IOException, InterruptedException {
    return String.join("\n", jcmd("GC.class_histogram").lines().limit(lines).toList());
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process p = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", Long.toString(pid()), command)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("jcmd " + command + " failed: " + out);
    }
    return out;
  }

  /** SIGTERM (the operator's shutdown hook stops it cleanly), then a kill after 20 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}

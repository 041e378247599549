package io.labeledapps.operator.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** What the benchmark reads about the machine it shares with the API server, from /proc (Linux). */
final class Machine {
  private static final double QUIET_IDLE = 0.8;

  private Machine() {}

  /**
   * Waits until the machine's CPUs were at least {@link #QUIET_IDLE} idle over one second (the last
   * scale-down's pods deleted, the nodes' and controllers' work done), at most 30 s; returns how
   * long it waited. Without /proc it does not wait.
   */
  static double awaitQuiet() throws InterruptedException {
    long t0 = System.nanoTime();
    long[] before = cpuTicks();
    while (before != null && System.nanoTime() - t0 < Duration.ofSeconds(30).toNanos()) {
      Thread.sleep(1000);
      long[] now = cpuTicks();
      double idle = (double) (now[1] - before[1]) / Math.max(1, now[0] - before[0]);
      if (idle >= QUIET_IDLE) {
        break;
      }
      before = now;
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Total and idle (+ iowait) ticks of all CPUs, from /proc/stat; null when unknown. */
  private static long[] cpuTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** User + system CPU time of a process; null when unknown. */
  static Double cpuSeconds(OptionalLong pid) {
    if (pid.isEmpty()) {
      return null;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid.getAsLong()), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // utime and stime (fields 14 and 15), in clock ticks: 100 a second on Linux
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The cluster's processes on this machine whose CPU the benchmark reports, by the name shown and
   * the file name of their program or script; on a cluster elsewhere none is found.
   */
  static final Map<String, String> CLUSTER_PROCESSES =
      new java.util.TreeMap<>(
          Map.of(
              "apiserver", "kube-apiserver",
              "etcd", "etcd",
              "controller-manager", "kube-controller-manager",
              "fake-nodes", "fake-nodes.py"));

  /**
   * User + system CPU seconds of each of {@link #CLUSTER_PROCESSES} running here (summed over its
   * processes), by name; empty when none is.
   */
  static Map<String, Double> clusterCpuSeconds() {
    Map<String, Double> by = new java.util.TreeMap<>();
    try (var procs = Files.list(Path.of("/proc"))) {
      procs
          .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .forEach(p -> addCluster(by, p));
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
    return by;
  }

  private static void addCluster(Map<String, Double> by, Path proc) {
    try {
      // the program and, for a script, the script: their file names
      List<String> programs =
          java.util.Arrays.stream(Files.readString(proc.resolve("cmdline")).split("\0"))
              .limit(2)
              .map(a -> a.substring(a.lastIndexOf('/') + 1))
              .toList();
      CLUSTER_PROCESSES.forEach(
          (name, file) -> {
            if (programs.contains(file)) {
              Double cpu =
                  cpuSeconds(OptionalLong.of(Long.parseLong(proc.getFileName().toString())));
              if (cpu != null) {
                by.merge(name, cpu, Double::sum);
              }
            }
          });
    } catch (IOException | RuntimeException e) {
      // the process ended meanwhile
    }
  }

  /** {@code after - before} per name, rounded to 0.1 s. */
  static Map<String, Double> cpuSpent(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> spent = new java.util.TreeMap<>();
    after.forEach(
        (name, cpu) ->
            spent.put(name, Math.round((cpu - before.getOrDefault(name, 0.0)) * 10) / 10.0));
    return spent;
  }

  /** CPU model, cores, memory, Java and the cluster's Kubernetes version. */
  static Map<String, Object> describe(KubernetesClient client) {
    Map<String, Object> m = new LinkedHashMap<>();
    try {
      m.put(
          "cpu",
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("model name"))
              .map(l -> l.substring(l.indexOf(':') + 1).trim())
              .findFirst()
              .orElse("?"));
      m.put("memory", Files.readAllLines(Path.of("/proc/meminfo")).get(0).replaceAll("\\s+", " "));
    } catch (IOException e) {
      m.put("cpu", "?");
    }
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("java", System.getProperty("java.version"));
    m.put("kubernetes", client.getKubernetesVersion().getGitVersion());
    return m;
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "?";
    }
  }
}

package io.labeledapps.operator.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.model.Labels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

/**
 * The benchmark's floor, as a process of its own: a bare fabric8 client that creates pods with a
 * fixed concurrency and no operator logic. It runs in a fresh JVM with the operator's JVM options,
 * so its first burst is as cold as the operator's first burst.
 *
 * <p>Arguments: namespace, a file with the pod template (JSON), concurrency, user agent. Then, on
 * standard input, one command a line: {@code create <group> <count>} creates pods {@code
 * <group>-0..count-1} labeled with the group and answers {@code done <seconds>}.
 */
public final class RawCreator {
  private RawCreator() {}

  public static void main(String[] args) throws IOException {
    String ns = args[0];
    Pod template = Serialization.unmarshal(Files.readString(Path.of(args[1])), Pod.class);
    int parallelism = Integer.parseInt(args[2]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    ExecutorService pool = Executors.newFixedThreadPool(parallelism);
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(Config.autoConfigure(null))
                    .withUserAgent(args[3])
                    .withRequestRetryBackoffLimit(1)
                    .build())
            .build()) {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        String[] command = line.trim().split("\\s+");
        if (command.length != 3 || !command[0].equals("create")) {
          out.println("error: unknown command " + line);
          continue;
        }
        String group = command[1];
        List<Pod> pods =
            IntStream.range(0, Integer.parseInt(command[2]))
                .mapToObj(i -> pod(template, ns, group + "-" + i, group))
                .toList();
        long t0 = System.nanoTime();
        createAll(client, pool, pods);
        out.println(String.format(Locale.ROOT, "done %.3f", (System.nanoTime() - t0) / 1e9));
      }
    } finally {
      pool.shutdown();
    }
  }

  /** A pod creator in a process of its own, driven by the benchmark. */
  interface Creator extends AutoCloseable {
    /**
     * Creates {@code count} pods of {@code group}; returns the seconds until the last create was
     * answered.
     */
    double create(String group, int count) throws IOException;

    long pid();

    @Override
    void close() throws IOException;

    /**
     * Sends {@code create <group> <count>}; returns the fields of the answer {@code done <seconds>
     * ...}.
     */
    static String[] ask(
        PrintStream commands, BufferedReader answers, String who, String group, int count)
        throws IOException {
      commands.println("create " + group + " " + count);
      String answer = answers.readLine();
      if (answer == null || !answer.startsWith("done ")) {
        throw new IOException("the " + who + " answered " + answer + " (see its log)");
      }
      return answer.split(" ");
    }

    /**
     * Closes the process's input, which ends it, and waits for it (30 s at most, then kills it).
     */
    static void stop(Process process, PrintStream commands) {
      commands.close();
      try {
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }

  /** The benchmark's end: starts the process and sends it commands. */
  static final class Remote implements Creator {
    private final Process process;
    private final PrintStream commands;
    private final BufferedReader answers;

    @Override
    public long pid() {
      return process.pid();
    }

    private Remote(Process process) {
      this.process = process;
      this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
      this.answers =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * A fresh JVM with {@code jvmOptions}, on the classes and libraries {@code make build} leaves
     * in target/.
     */
    static Remote start(
        List<String> jvmOptions,
        String ns,
        Pod template,
        int parallelism,
        String userAgent,
        Path log)
        throws IOException {
      Path templateFile = Files.createTempFile(log.getParent(), "raw-pod", ".json");
      Files.writeString(templateFile, Serialization.asJson(template));
      List<String> command = new java.util.ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(jvmOptions);
      command.add("-cp");
      command.add(
          String.join(
              java.io.File.pathSeparator,
              "target/test-classes",
              "target/labeledappset-operator.jar",
              "target/lib/*"));
      command.add(RawCreator.class.getName());
      command.addAll(
          List.of(ns, templateFile.toString(), Integer.toString(parallelism), userAgent));
      ProcessBuilder pb = new ProcessBuilder(command).redirectError(log.toFile());
      pb.environment().put("MALLOC_ARENA_MAX", "2");
      return new Remote(pb.start());
    }

    /**
     * Creates {@code count} pods of {@code group}; returns the seconds until the last create was
     * answered.
     */
    @Override
    public double create(String group, int count) throws IOException {
      return Double.parseDouble(Creator.ask(commands, answers, "raw client", group, count)[1]);
    }

    @Override
    public void close() {
      Creator.stop(process, commands);
    }
  }

  static void createAll(KubernetesClient c, ExecutorService pool, List<Pod> pods) {
    CompletableFuture.allOf(
            pods.stream()
                .map(
                    p ->
                        CompletableFuture.runAsync(
                            () ->
                                c.pods()
                                    .inNamespace(p.getMetadata().getNamespace())
                                    .resource(p)
                                    .create(),
                            pool))
                .toArray(CompletableFuture[]::new))
        .join();
  }

  static Pod pod(Pod template, String ns, String name, String group) {
    Map<String, String> labels = new LinkedHashMap<>(template.getMetadata().getLabels());
    labels.put(Labels.INSTANCE, group);
    labels.put("app", group);
    return new PodBuilder(template)
        .editMetadata()
        .withName(name)
        .withNamespace(ns)
        .withLabels(labels)
        .endMetadata()
        .build();
  }
}

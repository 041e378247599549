package io.labeledapps.operator.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile, read statically (there is no container engine here to build it): a multi-stage
 * build whose runtime stage runs no shell, as a numeric non-root user that matches the Deployment,
 * with JVM flags that follow the container's limits, copying what the build stage produces.
 */
class DockerfileTest {
  /** Instructions of the Dockerfile, continuation lines joined, comments dropped. */
  private static List<String> instructions() throws IOException {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(Path.of("Dockerfile"))) {
      String t = line.strip();
      if (t.startsWith("#") || (t.isEmpty() && current.isEmpty())) {
        continue;
      }
      if (t.endsWith("\\")) {
        current.append(t, 0, t.length() - 1).append(' ');
      } else {
        out.add(current.append(t).toString().strip());
        current.setLength(0);
      }
    }
    return out;
  }

  /** The instructions of the last stage (from its FROM on). */
  private static List<String> runtimeStage() throws IOException {
    List<String> all = instructions();
    int last = 0;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).startsWith("FROM ")) {
        last = i;
      }
    }
    return all.subList(last, all.size());
  }

  private static String one(List<String> stage, String keyword) {
    List<String> found = stage.stream().filter(i -> i.startsWith(keyword + " ")).toList();
    assertEquals(1, found.size(), keyword + " in " + stage);
    return found.get(0).substring(keyword.length() + 1).strip();
  }

  @Test
  void multiStageWithARuntimeStageThatNeedsNoShell() throws IOException {
    List<String> all = instructions();
    assertEquals(
        2, all.stream().filter(i -> i.startsWith("FROM ")).count(), "build stage + runtime stage");
    List<String> runtime = runtimeStage();
    assertTrue(
        runtime.stream().noneMatch(i -> i.startsWith("RUN ")),
        "RUN needs a shell in the runtime image");
    assertTrue(
        runtime.stream().noneMatch(i -> i.startsWith("CMD ")),
        "the whole command is the ENTRYPOINT");
    List<String> entrypoint =
        new ObjectMapper().readValue(one(runtime, "ENTRYPOINT"), new TypeReference<>() {});
    assertTrue(entrypoint.get(0).startsWith("/"), "exec form with an absolute path: " + entrypoint);
    assertEquals(
        List.of("@/app/jvm.options", "-jar", "/app/labeledappset-operator.jar"),
        entrypoint.subList(1, entrypoint.size()),
        "the JVM options come from the argument file");
  }

  /**
   * src/main/docker/jvm.options, copied to /app/jvm.options: the options the benchmark measures
   * too.
   */
  @Test
  void jvmOptionsFollowTheMemoryLimitAndKeepTheFootprintSmall() throws IOException {
    assertTrue(
        runtimeStage().contains("COPY src/main/docker/jvm.options /app/jvm.options"),
        runtimeStage().toString());
    assertTrue(runtimeStage().contains("ENV MALLOC_ARENA_MAX=2"), runtimeStage().toString());
    List<String> options =
        Files.readAllLines(Path.of("src/main/docker/jvm.options")).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    assertTrue(
        options.contains("-XX:MaxRAMPercentage=75"),
        "heap sized from the container's memory limit");
    assertTrue(options.contains("-XX:+UseSerialGC"));
    assertTrue(
        options.contains("-XX:NewRatio=4"),
        "a young generation of a fifth of the heap: it is all resident");
    assertTrue(
        options.contains("-XX:TieredStopAtLevel=1"), "client compiler only: the smaller footprint");
    assertTrue(options.contains("-XX:+ExitOnOutOfMemoryError"));
    assertTrue(
        options.contains("-XX:-UsePerfData"),
        "no hsperfdata writes on a read-only root filesystem");
    assertTrue(
        options.stream().noneMatch(a -> a.startsWith("-Xmx") || a.startsWith("-Xms")),
        "a fixed heap would ignore the limit");
    assertTrue(
        options.stream().allMatch(a -> a.matches("-XX:\\S+|-D[\\w.]+=\\S+")),
        "one option a line, nothing else: " + options);
  }

  /**
   * TLS prefers ChaCha20-Poly1305 (no AES-GCM intrinsics in C1) and still offers what other servers
   * need.
   */
  @Test
  void tlsPrefersChaCha20AndKeepsTheOtherSuites() throws Exception {
    String prefix = "-Djdk.tls.client.cipherSuites=";
    List<String> suites =
        List.of(
            Files.readAllLines(Path.of("src/main/docker/jvm.options")).stream()
                .map(String::strip)
                .filter(l -> l.startsWith(prefix))
                .findFirst()
                .orElseThrow()
                .substring(prefix.length())
                .split(","));
    assertEquals(
        "TLS_CHACHA20_POLY1305_SHA256",
        suites.get(0),
        "TLS 1.3, first: the server follows the client's order");
    assertTrue(
        suites.indexOf("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256")
            < suites.indexOf("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
        "TLS 1.2 too: " + suites);
    for (String fallback :
        List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")) {
      assertTrue(
          suites.contains(fallback), "a server without ChaCha20 must still connect: " + fallback);
    }
    // a misspelt name would silently drop that suite
    List<String> known =
        List.of(
            javax.net.ssl.SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
    assertEquals(
        List.of(),
        suites.stream().filter(x -> !known.contains(x)).toList(),
        "names the JDK does not know");
  }

  @Test
  void runtimeIsAJre17AndTheBuildIsMavenOnJdk17() throws IOException {
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    Matcher runtime = Pattern.compile("ARG RUNTIME_IMAGE=(\\S+)").matcher(dockerfile);
    assertTrue(runtime.find());
    assertTrue(runtime.group(1).contains("java17"), runtime.group(1));
    assertTrue(
        runtime.group(1).contains("distroless"),
        "no shell, no package manager: " + runtime.group(1));
    Matcher build = Pattern.compile("ARG BUILD_IMAGE=(\\S+)").matcher(dockerfile);
    assertTrue(build.find());
    assertTrue(
        build.group(1).startsWith("maven:") && build.group(1).contains("17"), build.group(1));
    assertTrue(
        instructions().stream().anyMatch(i -> i.matches("RUN mvn .*package.*-DskipUTs=true.*")),
        "the image build runs no tests (the pom binds surefire's skip to skipUTs)");
  }

  @Test
  void userIsNumericNonRootAndTheDeploymentsUser() throws IOException {
    String user = one(runtimeStage(), "USER");
    assertTrue(user.matches("\\d+:\\d+"), "numeric uid:gid, so runAsNonRoot can check it: " + user);
    long uid = Long.parseLong(user.split(":")[0]);
    long gid = Long.parseLong(user.split(":")[1]);
    assertTrue(uid > 0);
    PodSpec pod =
        Manifests.one(Manifests.deploy(), Deployment.class, null).getSpec().getTemplate().getSpec();
    assertEquals(uid, pod.getSecurityContext().getRunAsUser());
    assertEquals(gid, pod.getSecurityContext().getRunAsGroup());
    Container c = pod.getContainers().get(0);
    assertEquals(
        Integer.parseInt(one(runtimeStage(), "EXPOSE")), c.getPorts().get(0).getContainerPort());
  }

  @Test
  void copiesTheJarAndItsLibFolderFromTheBuildStage() throws IOException {
    List<String> copies = runtimeStage().stream().filter(i -> i.startsWith("COPY ")).toList();
    assertTrue(
        copies.contains("COPY --from=build /build/target/lib/ /app/lib/"), copies.toString());
    assertTrue(
        copies.contains(
            "COPY --from=build /build/target/labeledappset-operator.jar /app/labeledappset-operator.jar"),
        copies.toString());
    String pom = Files.readString(Path.of("pom.xml"));
    assertTrue(pom.contains("<finalName>labeledappset-operator</finalName>"));
    assertTrue(
        pom.contains("<classpathPrefix>lib/</classpathPrefix>"),
        "the jar finds its dependencies in lib/");
    List<String> ignored = Files.readAllLines(Path.of(".dockerignore"));
    assertFalse(
        ignored.contains("src/") || ignored.contains("src") || ignored.contains("pom.xml"),
        "the build context keeps what the build stage copies");
  }
}

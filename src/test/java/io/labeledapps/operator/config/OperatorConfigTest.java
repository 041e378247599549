package io.labeledapps.operator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorConfigTest {
  @TempDir Path dir;

  /** The error loading a configuration file holding {@code yaml}. */
  private IOException refused(String yaml) throws IOException {
    Map<String, String> env = envWithFile(yaml);
    return assertThrows(IOException.class, () -> OperatorConfig.load(env, List.of()));
  }

  private Map<String, String> envWithFile(String yaml, String... more) throws IOException {
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, yaml);
    java.util.HashMap<String, String> env = new java.util.HashMap<>();
    env.put("LAS_CONFIG", file.toString());
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return env;
  }

  @Test
  void defaultsWithoutFileOrEnvironment() throws IOException {
    OperatorConfig config = OperatorConfig.load(Map.of(), List.of());
    assertEquals(List.of(), config.watchNamespaces);
    assertEquals(8080, config.metricsPort);
    assertEquals(16, config.podCreateParallelism);
    assertEquals(32, config.reconcileThreads);
    assertFalse(config.installCrd);
  }

  @Test
  void blankConfigVariableMeansNoFile() throws IOException {
    assertEquals(8080, OperatorConfig.load(Map.of("LAS_CONFIG", " "), List.of()).metricsPort);
  }

  @Test
  void readsEveryKeyFromTheFile() throws IOException {
    OperatorConfig config =
        OperatorConfig.load(
            envWithFile(
                """
        watchNamespaces: [team-a, team-b]
        metricsPort: 9100
        podCreateParallelism: 4
        installCrd: true
        reconcileThreads: 3
        """),
            List.of());
    assertEquals(List.of("team-a", "team-b"), config.watchNamespaces);
    assertEquals(9100, config.metricsPort);
    assertEquals(4, config.podCreateParallelism);
    assertTrue(config.installCrd);
    assertEquals(3, config.reconcileThreads);
  }

  @Test
  void keysLeftOutOfTheFileKeepTheirDefaults() throws IOException {
    OperatorConfig config = OperatorConfig.load(envWithFile("metricsPort: 9100\n"), List.of());
    assertEquals(9100, config.metricsPort);
    assertEquals(16, config.podCreateParallelism);
    assertEquals(List.of(), config.watchNamespaces);
    assertEquals(32, config.reconcileThreads);
  }

  @Test
  void environmentOverridesTheFile() throws IOException {
    OperatorConfig config =
        OperatorConfig.load(
            envWithFile(
                """
        watchNamespaces: [team-a]
        metricsPort: 9100
        podCreateParallelism: 4
        """,
                "WATCH_NAMESPACES",
                " team-c, ,team-d ,",
                "METRICS_PORT",
                " 9200 "),
            List.of());
    assertEquals(List.of("team-c", "team-d"), config.watchNamespaces);
    assertEquals(9200, config.metricsPort);
    assertEquals(4, config.podCreateParallelism, "no environment override for it");
  }

  @Test
  void emptyWatchNamespacesVariableMeansAllNamespaces() throws IOException {
    OperatorConfig config =
        OperatorConfig.load(
            envWithFile("watchNamespaces: [team-a]\n", "WATCH_NAMESPACES", ""), List.of());
    assertEquals(List.of(), config.watchNamespaces);
  }

  @Test
  void nullWatchNamespacesMeansAllNamespaces() throws IOException {
    assertEquals(
        List.of(),
        OperatorConfig.load(envWithFile("watchNamespaces: null\n"), List.of()).watchNamespaces);
  }

  @Test
  void nullDocumentMeansDefaults() throws IOException {
    OperatorConfig config = OperatorConfig.load(envWithFile("~\n"), List.of());
    assertEquals(8080, config.metricsPort);
    assertEquals(List.of(), config.watchNamespaces);
  }

  @Test
  void installCrdFromEnvironmentOrFlag() throws IOException {
    assertTrue(OperatorConfig.load(Map.of("LAS_INSTALL_CRD", "TRUE"), List.of()).installCrd);
    assertTrue(OperatorConfig.load(Map.of(), List.of("--install-crd")).installCrd);
    assertFalse(OperatorConfig.load(Map.of("LAS_INSTALL_CRD", "false"), List.of()).installCrd);
    assertFalse(
        OperatorConfig.load(Map.of("LAS_INSTALL_CRD", "yes"), List.of("--other")).installCrd);
  }

  @Test
  void unknownKeyIsAnError() throws IOException {
    Map<String, String> env = envWithFile("metricsPort: 9100\nwatchNamespace: [team-a]\n");
    IOException e = assertThrows(IOException.class, () -> OperatorConfig.load(env, List.of()));
    assertTrue(e.getMessage().contains("watchNamespace"), e.getMessage());
    assertTrue(e.getMessage().contains(env.get("LAS_CONFIG")), e.getMessage());
  }

  @Test
  void wrongTypeIsAnError() throws IOException {
    IOException e = refused("metricsPort: eighty\n");
    assertTrue(e.getMessage().contains("cannot read configuration"), e.getMessage());
  }

  @Test
  void missingFileIsAnError() {
    Path missing = dir.resolve("nope.yaml");
    IOException e =
        assertThrows(
            IOException.class,
            () -> OperatorConfig.load(Map.of("LAS_CONFIG", missing.toString()), List.of()));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
  }

  @Test
  void parallelismBelowOneIsAnError() throws IOException {
    Map<String, String> env = envWithFile("podCreateParallelism: 0\n");
    assertThrows(IllegalArgumentException.class, () -> OperatorConfig.load(env, List.of()));
  }

  @Test
  void nonNumericMetricsPortVariableIsAnError() {
    assertThrows(
        NumberFormatException.class,
        () -> OperatorConfig.load(Map.of("METRICS_PORT", "http"), List.of()));
  }

  @Test
  void shippedConfigMapIsAValidConfiguration() throws IOException {
    ConfigMap cm =
        Serialization.unmarshal(
            Files.readString(Path.of("deploy", "03-config.yaml")), ConfigMap.class);
    String yaml = cm.getData().get("config.yaml");
    // the Deployment sets POD_NAMESPACE from the downward API
    OperatorConfig config =
        OperatorConfig.load(envWithFile(yaml, "POD_NAMESPACE", "labeledappset-system"), List.of());
    assertEquals(List.of(), config.watchNamespaces);
    assertEquals(8080, config.metricsPort);
    assertEquals(16, config.podCreateParallelism);
    assertTrue(config.leaderElection.enabled, "two replicas need leader election");
    assertEquals("labeledappset-system", config.leaderElection.leaseNamespace);
  }

  @Test
  void leaderElectionIsOffByDefault() throws IOException {
    OperatorConfig config = OperatorConfig.load(Map.of(), List.of());
    assertFalse(config.leaderElection.enabled);
    assertEquals("labeledappset-operator", config.leaderElection.leaseName);
  }

  @Test
  void leaderElectionLeaseNamespaceComesFromThePodNamespace() throws IOException {
    OperatorConfig config =
        OperatorConfig.load(
            envWithFile("leaderElection: {enabled: true}\n", "POD_NAMESPACE", "ops"), List.of());
    assertTrue(config.leaderElection.enabled);
    assertEquals("ops", config.leaderElection.leaseNamespace);
    assertEquals("labeledappset-operator", config.leaderElection.leaseName);
  }

  @Test
  void leaderElectionKeysFromTheFileWinOverThePodNamespace() throws IOException {
    OperatorConfig config =
        OperatorConfig.load(
            envWithFile(
                """
        leaderElection:
          enabled: true
          leaseName: my-lease
          leaseNamespace: elsewhere
        """,
                "POD_NAMESPACE",
                "ops"),
            List.of());
    assertEquals("my-lease", config.leaderElection.leaseName);
    assertEquals("elsewhere", config.leaderElection.leaseNamespace);
  }

  @Test
  void leaderElectionWithoutANamespaceIsAnError() throws IOException {
    Map<String, String> env =
        envWithFile("leaderElection: {enabled: true}\n", "POD_NAMESPACE", " ");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> OperatorConfig.load(env, List.of()));
    assertTrue(e.getMessage().contains("POD_NAMESPACE"), e.getMessage());
  }

  @Test
  void disabledLeaderElectionNeedsNoNamespace() throws IOException {
    assertFalse(
        OperatorConfig.load(envWithFile("leaderElection: {enabled: false}\n"), List.of())
            .leaderElection
            .enabled);
  }

  @Test
  void leaderElectionWithAnEmptyLeaseNameIsAnError() throws IOException {
    Map<String, String> env =
        envWithFile("leaderElection: {enabled: true, leaseName: '', leaseNamespace: ops}\n");
    assertThrows(IllegalArgumentException.class, () -> OperatorConfig.load(env, List.of()));
  }

  @Test
  void unknownLeaderElectionKeyIsAnError() throws IOException {
    IOException e = refused("leaderElection: {enable: true}\n");
    assertTrue(e.getMessage().contains("enable"), e.getMessage());
  }

  @Test
  void theDefaultTokenBucketLetsA500PodBurstThrough() throws IOException {
    OperatorConfig config = OperatorConfig.load(Map.of(), List.of());
    assertEquals(500, config.podCreateBurst);
    assertEquals(100.0, config.podCreateRate);
  }

  @Test
  void theTokenBucketIsConfigurable() throws IOException {
    OperatorConfig config =
        OperatorConfig.load(envWithFile("podCreateBurst: 50\npodCreateRate: 2.5\n"), List.of());
    assertEquals(50, config.podCreateBurst);
    assertEquals(2.5, config.podCreateRate);
  }

  @Test
  void aTokenBucketThatCouldNeverCreateAPodIsRefused() {
    for (String yaml :
        List.of("podCreateBurst: 0\n", "podCreateRate: 0\n", "podCreateRate: -5\n")) {
      assertThrows(
          IllegalArgumentException.class,
          () -> OperatorConfig.load(envWithFile(yaml), List.of()),
          yaml);
    }
  }

  @Test
  void thePacingBoundsAreConfigurable() throws IOException {
    OperatorConfig defaults = OperatorConfig.load(Map.of(), List.of());
    assertEquals(1000.0, defaults.podCreateMaxRate);
    assertEquals(1.0, defaults.podCreateSlowAnswerSeconds);
    OperatorConfig fixed =
        OperatorConfig.load(
            envWithFile(
                "podCreateRate: 50\npodCreateMaxRate: 50\n" + "podCreateSlowAnswerSeconds: 0.5\n"),
            List.of());
    assertEquals(50.0, fixed.podCreateMaxRate);
    assertEquals(0.5, fixed.podCreateSlowAnswerSeconds);
  }

  @Test
  void pacingBoundsThatContradictEachOtherAreRefused() {
    for (String yaml : List.of("podCreateMaxRate: 50\n", "podCreateSlowAnswerSeconds: 0\n")) {
      assertThrows(
          IllegalArgumentException.class,
          () -> OperatorConfig.load(envWithFile(yaml), List.of()),
          yaml);
    }
  }
}

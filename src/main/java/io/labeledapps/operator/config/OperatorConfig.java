package io.labeledapps.operator.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.labeledapps.operator.conventions.ConventionsConfig;
import io.labeledapps.operator.util.Require;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The operator's configuration: a YAML file named by {@code LAS_CONFIG}, then environment
 * overrides. Unknown keys are an error, so a typo is not silently ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public class OperatorConfig {
  /** Namespaces to watch; empty means every namespace. */
  public List<String> watchNamespaces = new ArrayList<>();

  /** Port of /metrics, /healthz and /readyz; 0 turns the HTTP server off. */
  public int metricsPort = 8080;

  /** How many pod creates or deletes run at once, across all sets. */
  public int podCreateParallelism = 16;

  /** Pod creates allowed at once, across all sets (the token bucket's size). */
  public int podCreateBurst = 500;

  /**
   * Pod creates per second, across all sets, once a burst is spent, to start with: the rate follows
   * the API server's answers from there (faster while they are fast 2xx, halved on 429, 5xx,
   * Retry-After or slow answers), between 1 and {@link #podCreateMaxRate}.
   */
  public double podCreateRate = 100;

  /**
   * The most pod creates per second, however well the API server answers; podCreateRate: a fixed
   * rate.
   */
  public double podCreateMaxRate = 1000;

  /** A pod create answered slower than this (seconds) counts as an overloaded API server. */
  public double podCreateSlowAnswerSeconds = 1;

  /** Apply the CRDs found in {@code crds/} before starting (for local runs). */
  public boolean installCrd = false;

  /** Reconciles that run at once. */
  public int reconcileThreads = 32;

  /**
   * Every set is reconciled at least this often, events or not: a safety net that corrects what a
   * lost watch event would leave behind. Reads come from the caches and nothing is written when
   * nothing changed, so an idle resync costs CPU only.
   */
  public int resyncSeconds = 600;

  /** The namespace conventions the operator enforces. */
  public ConventionsConfig conventions = new ConventionsConfig();

  /** Lease-based leader election, for running more than one replica. */
  public LeaderElection leaderElection = new LeaderElection();

  /**
   * With {@code enabled}, every replica starts its informers but only the holder of the Lease
   * {@code leaseNamespace/leaseName} reconciles; a standby takes over once the holder stops
   * renewing it (the lease lasts 15 s, renewed every 2 s). A replica that loses the lease exits,
   * and its restart comes back as a standby.
   */
  @JsonIgnoreProperties(ignoreUnknown = false)
  public static class LeaderElection {
    public boolean enabled = false;
    public String leaseName = "labeledappset-operator";

    /** Where the Lease lives; defaults to {@code POD_NAMESPACE} (the operator's own namespace). */
    public String leaseNamespace;

    /**
     * The lease namespace from {@code POD_NAMESPACE} when not configured; refuses an incomplete
     * election.
     */
    void complete(Map<String, String> env) {
      if (leaseNamespace == null || leaseNamespace.isBlank()) {
        leaseNamespace = blankToNull(env.get("POD_NAMESPACE"));
      }
      if (enabled && (leaseName == null || leaseName.isBlank())) {
        throw new IllegalArgumentException("leaderElection.leaseName must not be empty");
      }
      if (enabled && leaseNamespace == null) {
        throw new IllegalArgumentException(
            "leaderElection.enabled needs leaderElection.leaseNamespace or the POD_NAMESPACE environment variable");
      }
    }
  }

  /** Reads the file named by {@code LAS_CONFIG} (if any), then applies environment overrides. */
  public static OperatorConfig load(Map<String, String> env, List<String> args) throws IOException {
    OperatorConfig config = read(env.get("LAS_CONFIG"));
    if (env.containsKey("WATCH_NAMESPACES")) {
      config.watchNamespaces =
          Arrays.stream(env.get("WATCH_NAMESPACES").split(","))
              .map(String::trim)
              .filter(s -> !s.isEmpty())
              .toList();
    }
    if (env.containsKey("METRICS_PORT")) {
      config.metricsPort = Integer.parseInt(env.get("METRICS_PORT").trim());
    }
    if ("true".equalsIgnoreCase(env.get("LAS_INSTALL_CRD")) || args.contains("--install-crd")) {
      config.installCrd = true;
    }
    config.checkPodCreates();
    if (config.conventions == null) {
      config.conventions = new ConventionsConfig();
    }
    if (config.watchNamespaces == null) {
      config.watchNamespaces = List.of();
    }
    if (config.leaderElection == null) {
      config.leaderElection = new LeaderElection();
    }
    config.leaderElection.complete(env);
    return config;
  }

  /** The configuration file, or the defaults when none is named. */
  private static OperatorConfig read(String file) throws IOException {
    if (file == null || file.isBlank()) {
      return new OperatorConfig();
    }
    Path path = Path.of(file);
    OperatorConfig config;
    try {
      ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
      var tree = yaml.readTree(Files.readString(path));
      // an empty file, or one with every key commented out, means the defaults
      config =
          tree == null || tree.isMissingNode() || tree.isNull()
              ? null
              : yaml.treeToValue(tree, OperatorConfig.class);
    } catch (IOException e) {
      throw new IOException("cannot read configuration " + path + ": " + e.getMessage(), e);
    }
    return config == null ? new OperatorConfig() : config;
  }

  private void checkPodCreates() {
    Require.atLeast("podCreateParallelism", podCreateParallelism, 1);
    Require.atLeast("podCreateBurst", podCreateBurst, 1);
    Require.positive("podCreateRate", podCreateRate, " (creates per second)");
    Require.atLeast("podCreateMaxRate", podCreateMaxRate, "podCreateRate", podCreateRate);
    Require.positive("podCreateSlowAnswerSeconds", podCreateSlowAnswerSeconds, "");
    Require.atLeast("resyncSeconds", resyncSeconds, 1);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}

package io.labeledapps.operator.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.LabeledAppSetOperator;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.status.Conditions;
import io.labeledapps.operator.testkit.Await;
import io.labeledapps.operator.testkit.EnabledNamespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A changed configuration file re-evaluates every set with the new conventions, without a restart.
 */
@EnableKubernetesMockClient(crud = true)
class ConfigReloadMockTest {
  static KubernetesClient client;
  static io.fabric8.kubernetes.client.server.mock.KubernetesMockServer server;

  @TempDir Path dir;

  static String condition(String type) {
    LabeledAppSet s =
        client.resources(LabeledAppSet.class).inNamespace("reload").withName("web").get();
    var c = s == null ? null : Conditions.find(s.getStatus(), type);
    return c == null ? null : c.getStatus() + "/" + c.getReason();
  }

  static void await(String what, java.util.function.BooleanSupplier condition) {
    Await.until(
        what,
        Duration.ofSeconds(30),
        Await.MOCK_POLL,
        condition,
        () -> "ConventionsMet=" + condition("ConventionsMet"));
  }

  /** The configuration file, named by LAS_CONFIG in {@link #env}. */
  private Path file;

  private Map<String, String> env;

  @BeforeEach
  void configFile() {
    file = dir.resolve("config.yaml");
    env = Map.of("LAS_CONFIG", file.toString());
  }

  @Test
  void aSetRefusedByTheOldConventionsConvergesWhenTheFileChanges() throws Exception {
    Files.writeString(file, "conventions:\n  requiredPodLabels: [app, team]\n");
    OperatorConfig config = OperatorConfig.load(env, List.of());
    config.metricsPort = 0;
    // create or update: a loaded machine can time out the first POST after the mock stored it;
    // fabric8's retry then gets 409
    EnabledNamespace.apply(client, "reload");
    io.labeledapps.operator.MockDryRun.accept(server, "reload");
    try (LabeledAppSetOperator operator = LabeledAppSetOperator.start(config, client);
        ConfigWatcher watcher =
            new ConfigWatcher(env, config, Duration.ofHours(1), operator::updateConventions)) {
      LabeledAppSet set =
          Serialization.unmarshal(
              """
          apiVersion: labeledapps.io/v1alpha1
          kind: LabeledAppSet
          metadata: {name: web, namespace: reload}
          spec:
            replicas: 2
            labels: {app: web}
            containers: [{name: web, image: nginx:1.27}]
          """,
              LabeledAppSet.class);
      client.resource(set).create();
      await(
          "refused",
          () -> "False/MissingRequiredLabel".equals(condition(Conditions.CONVENTIONS_MET)));
      assertTrue(client.pods().inNamespace("reload").list().getItems().isEmpty());

      Files.writeString(file, "conventions:\n  requiredPodLabels: [app]\n");
      watcher.check();
      await("compliant", () -> "True/Compliant".equals(condition(Conditions.CONVENTIONS_MET)));
      await(
          "pods created", () -> client.pods().inNamespace("reload").list().getItems().size() == 2);
    }
  }

  @Test
  void aFileThatNoLongerParsesIsIgnored() throws Exception {
    Files.writeString(file, "conventions:\n  requiredPodLabels: [app]\n");
    OperatorConfig config = OperatorConfig.load(env, List.of());
    List<Object> applied = new java.util.ArrayList<>();
    try (ConfigWatcher watcher =
        new ConfigWatcher(env, config, Duration.ofHours(1), applied::add)) {
      Files.writeString(file, "conventions:\n  requiredPodLabelz: [app]\n");
      watcher.check();
      assertTrue(applied.isEmpty(), "an unknown key is an error, the old conventions stay");
      Files.writeString(file, "conventions:\n  requiredPodLabels: [app, team]\n");
      watcher.check();
      assertTrue(applied.size() == 1);
    }
  }
}

package io.labeledapps.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.api.DisruptionBudget;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.testkit.PodFields;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pod-level and container-level fields of {@code in-real-app.yaml} reach the pod exactly as
 * written (compared as JSON trees with the YAML), and every one of them is part of the template
 * hash.
 */
class DesiredPodsPodFieldsTest {
  static final List<String> POD_FIELDS = PodFields.POD;
  static final List<String> CONTAINER_FIELDS =
      List.of("securityContext", "volumeMounts", "envFrom", "env", "lifecycle");

  static String yaml() throws IOException {
    return Files.readString(Golden.in("real-app"));
  }

  static LabeledAppSet set() throws IOException {
    return TestSets.fromYaml(yaml());
  }

  @Test
  void everyPodFieldReachesThePodExactlyAsWritten() throws IOException {
    JsonNode written = Serialization.yamlMapper().readTree(yaml()).get("spec");
    JsonNode pod = Serialization.jsonMapper().valueToTree(TestDesired.pod(set(), 0)).get("spec");
    for (String field : POD_FIELDS) {
      assertTrue(written.has(field), "the example writes " + field);
      assertEquals(canonical(written.get(field)), canonical(pod.get(field)), "spec." + field);
    }
    for (String list : List.of("containers", "initContainers")) {
      for (int i = 0; i < written.get(list).size(); i++) {
        for (String field : CONTAINER_FIELDS) {
          JsonNode w = written.get(list).get(i).get(field);
          if (w != null) {
            assertEquals(
                canonical(w),
                canonical(pod.get(list).get(i).get(field)),
                list + "[" + i + "]." + field);
          }
        }
      }
    }
    assertTrue(
        written.get("containers").get(0).has("lifecycle")
            && written.get("initContainers").get(0).has("securityContext"),
        "the example covers containers and init containers");
  }

  @Test
  void theOperatorAcceptsTheExample() throws IOException {
    assertEquals(List.of(), io.labeledapps.operator.validation.SpecValidator.validate(set()));
  }

  @Test
  void setLevelFieldsStayOffThePod() throws IOException {
    JsonNode pod = Serialization.jsonMapper().valueToTree(TestDesired.pod(set(), 0)).get("spec");
    assertTrue(!pod.has("minReadySeconds") && !pod.has("disruptionBudget"), pod.toString());
  }

  private static final ObjectMapper SORTED =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  /** Jackson reads the YAML's ints as ints and the model's longs as longs: compare sorted text. */
  private static String canonical(JsonNode node) throws IOException {
    return SORTED.writeValueAsString(SORTED.treeToValue(node, Object.class));
  }

  static Arguments change(String what, Consumer<LabeledAppSet> change) {
    return Arguments.of(what, change);
  }

  static Stream<Arguments> templateChanges() {
    return Stream.of(
        change("pod runAsUser", s -> s.getSpec().getSecurityContext().setRunAsUser(10002L)),
        change(
            "volume ConfigMap",
            s -> s.getSpec().getVolumes().get(0).getConfigMap().setName("orders-config-v2")),
        change("serviceAccountName", s -> s.getSpec().setServiceAccountName("orders-v2")),
        change(
            "automountServiceAccountToken", s -> s.getSpec().setAutomountServiceAccountToken(true)),
        change(
            "imagePullSecrets",
            s -> s.getSpec().getImagePullSecrets().get(0).setName("other-registry")),
        change(
            "toleration added",
            s ->
                s.getSpec()
                    .getTolerations()
                    .add(new TolerationBuilder().withKey("gpu").withOperator("Exists").build())),
        change("affinity removed", s -> s.getSpec().setAffinity(null)),
        change(
            "topology spread skew",
            s -> s.getSpec().getTopologySpreadConstraints().get(0).setMaxSkew(2)),
        change("priorityClassName", s -> s.getSpec().setPriorityClassName("low")),
        change(
            "terminationGracePeriodSeconds",
            s -> s.getSpec().setTerminationGracePeriodSeconds(90L)),
        change(
            "container readOnlyRootFilesystem",
            s ->
                s.getSpec()
                    .getContainers()
                    .get(0)
                    .getSecurityContext()
                    .setReadOnlyRootFilesystem(false)),
        change(
            "init container capabilities",
            s ->
                s.getSpec()
                    .getInitContainers()
                    .get(0)
                    .getSecurityContext()
                    .getCapabilities()
                    .setDrop(List.of("NET_RAW"))),
        change(
            "mount path",
            s ->
                s.getSpec().getContainers().get(0).getVolumeMounts().get(0).setMountPath("/etc/o")),
        change(
            "envFrom prefix",
            s -> s.getSpec().getContainers().get(0).getEnvFrom().get(0).setPrefix("X_")),
        change(
            "secretKeyRef key",
            s ->
                s.getSpec()
                    .getContainers()
                    .get(0)
                    .getEnv()
                    .get(0)
                    .getValueFrom()
                    .getSecretKeyRef()
                    .setKey("pw")),
        change(
            "preStop path",
            s ->
                s.getSpec()
                    .getContainers()
                    .get(0)
                    .getLifecycle()
                    .getPreStop()
                    .getHttpGet()
                    .setPath("/quit")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("templateChanges")
  void changingAFieldRollsThePods(String what, Consumer<LabeledAppSet> change) throws IOException {
    LabeledAppSet set = set();
    String before = TestDesired.templateHash(set);
    change.accept(set);
    Pod pod = TestDesired.pod(set, 0);
    assertNotEquals(before, TestDesired.templateHash(set));
    assertEquals(
        TestDesired.templateHash(set),
        pod.getMetadata().getAnnotations().get(TemplateHash.ANNOTATION));
  }

  static Stream<Arguments> setLevelChanges() {
    return Stream.of(
        change("minReadySeconds", s -> s.getSpec().setMinReadySeconds(60)),
        change("minReadySeconds removed", s -> s.getSpec().setMinReadySeconds(null)),
        change(
            "disruptionBudget value",
            s -> s.getSpec().getDisruptionBudget().setMaxUnavailable(new IntOrString("50%"))),
        change(
            "disruptionBudget kind",
            s -> {
              DisruptionBudget b = new DisruptionBudget();
              b.setMinAvailable(new IntOrString(2));
              s.getSpec().setDisruptionBudget(b);
            }),
        change("disruptionBudget removed", s -> s.getSpec().setDisruptionBudget(null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("setLevelChanges")
  void changingAvailabilitySettingsReplacesNoPod(String what, Consumer<LabeledAppSet> change)
      throws IOException {
    LabeledAppSet set = set();
    String before = TestDesired.templateHash(set);
    change.accept(set);
    assertEquals(before, TestDesired.templateHash(set));
  }
}

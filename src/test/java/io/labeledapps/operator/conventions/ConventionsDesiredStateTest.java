package io.labeledapps.operator.conventions;

import static io.labeledapps.operator.conventions.Fixtures.enabled;
import static io.labeledapps.operator.conventions.Fixtures.enabledWithAnnotations;
import static io.labeledapps.operator.conventions.Fixtures.pairs;
import static io.labeledapps.operator.conventions.Fixtures.resources;
import static io.labeledapps.operator.conventions.Fixtures.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.DesiredService;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.model.TemplateHash;
import io.labeledapps.operator.model.TestDesired;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a verdict changes in the desired pods and Service, and in the template hash. */
class ConventionsDesiredStateTest {
  private final ConventionsConfig config = new ConventionsConfig();

  private ConventionVerdict verdict(
      LabeledAppSet set, io.fabric8.kubernetes.api.model.Namespace ns) {
    ConventionVerdict v = Conventions.evaluate(set, ns, config);
    assertTrue(v.compliant(), v.violations().toString());
    return v;
  }

  private static Map<String, String> quantities(Container c) {
    Map<String, String> out = new java.util.TreeMap<>();
    Conventions.flatten(c.getResources()).forEach((k, v) -> out.put(k, v.toString()));
    return out;
  }

  @Test
  void inheritedLabelsAreOnEveryPodAndOnTheService() {
    LabeledAppSet set = set("web");
    ConventionVerdict v = verdict(set, enabled("team=payments", "env=prod", "other=x"));
    for (int slot = 0; slot < 3; slot++) {
      Pod pod = TestDesired.pod(set, slot, v);
      Map<String, String> labels = pod.getMetadata().getLabels();
      assertEquals("payments", labels.get("team"));
      assertEquals("prod", labels.get("env"));
      assertFalse(labels.containsKey("other"), "only configured labels flow down");
      assertEquals("web", labels.get("app"));
      assertEquals("web", labels.get(Labels.INSTANCE));
    }
    Service service = DesiredService.of(set, v).orElseThrow();
    Map<String, String> labels = service.getMetadata().getLabels();
    assertEquals("payments", labels.get("team"));
    assertEquals("prod", labels.get("env"));
    assertEquals(Labels.MANAGER, labels.get(Labels.MANAGED_BY));
    assertEquals(
        Labels.selector(set),
        service.getSpec().getSelector(),
        "the selector never holds inherited labels");
  }

  @Test
  void withoutAVerdictNothingIsInheritedOrDefaulted() {
    LabeledAppSet set = set("web");
    Pod pod = TestDesired.pod(set, 0);
    assertFalse(pod.getMetadata().getLabels().containsKey("team"));
    assertTrue(quantities(pod.getSpec().getContainers().get(0)).isEmpty());
    assertFalse(DesiredService.of(set).orElseThrow().getMetadata().getLabels().containsKey("team"));
  }

  @Test
  void inheritedLabelsCannotOverrideTheStandardOnes() {
    ConventionsConfig c = new ConventionsConfig();
    c.inheritedNamespaceLabels = List.of(Labels.INSTANCE, "team");
    LabeledAppSet set = set("web");
    ConventionVerdict v =
        Conventions.evaluate(set, enabled(Labels.INSTANCE + "=hijack", "team=a"), c);
    Pod pod = TestDesired.pod(set, 0, v);
    assertEquals("web", pod.getMetadata().getLabels().get(Labels.INSTANCE));
    assertEquals(
        "web",
        DesiredService.of(set, v).orElseThrow().getMetadata().getLabels().get(Labels.INSTANCE));
  }

  @Test
  void containersGetTheDefaultsOnThePod() {
    LabeledAppSet set = set("web");
    set.getSpec()
        .setInitContainers(List.of(Fixtures.container("init", resources("requests.cpu=10m"))));
    set.getSpec().getContainers().add(Fixtures.container("side", resources("limits.memory=64Mi")));
    ConventionVerdict v = verdict(set, enabledWithAnnotations(Map.of("default-cpu-limit", "500m")));
    Pod pod = TestDesired.pod(set, 0, v);
    assertEquals(
        pairs(
            "requests.cpu=100m", "requests.memory=128Mi", "limits.cpu=500m", "limits.memory=256Mi"),
        quantities(pod.getSpec().getContainers().get(0)));
    // declared limit 64Mi: the default request 128Mi is lowered to it
    assertEquals(
        pairs("requests.cpu=100m", "requests.memory=64Mi", "limits.cpu=500m", "limits.memory=64Mi"),
        quantities(pod.getSpec().getContainers().get(1)));
    assertEquals(
        pairs(
            "requests.cpu=10m", "requests.memory=128Mi", "limits.cpu=500m", "limits.memory=256Mi"),
        quantities(pod.getSpec().getInitContainers().get(0)));
    assertEquals(
        List.of(
            "init: requests.memory=128Mi, limits.cpu=500m, limits.memory=256Mi",
            "web: requests.cpu=100m, requests.memory=128Mi, limits.cpu=500m, limits.memory=256Mi",
            "side: requests.cpu=100m, requests.memory=64Mi, limits.cpu=500m"),
        v.defaultsApplied());
  }

  @Test
  void thePodCarriesTheHashOfItsConventionTemplate() {
    LabeledAppSet set = set("web");
    ConventionVerdict v = verdict(set, enabled("team=a"));
    Pod pod = TestDesired.pod(set, 0, v);
    assertEquals(
        TestDesired.templateHash(set, v),
        pod.getMetadata().getAnnotations().get(TemplateHash.ANNOTATION));
  }

  @Test
  void theTemplateHashChangesWithInheritedLabels() {
    LabeledAppSet set = set("web");
    String none = TestDesired.templateHash(set, verdict(set, enabled()));
    String teamA = TestDesired.templateHash(set, verdict(set, enabled("team=a")));
    String teamB = TestDesired.templateHash(set, verdict(set, enabled("team=b")));
    assertNotEquals(none, teamA);
    assertNotEquals(teamA, teamB);
    assertEquals(
        teamA,
        TestDesired.templateHash(set, verdict(set, enabled("team=a", "unrelated=1"))),
        "a namespace label that does not flow down does not roll pods");
  }

  @Test
  void theTemplateHashChangesWithDefaults() {
    LabeledAppSet set = set("web");
    String configured = TestDesired.templateHash(set, verdict(set, enabled()));
    String annotated =
        TestDesired.templateHash(
            set, verdict(set, enabledWithAnnotations(Map.of("default-memory-limit", "512Mi"))));
    assertNotEquals(configured, annotated);
    assertEquals(
        configured,
        TestDesired.templateHash(
            set, verdict(set, enabledWithAnnotations(Map.of("default-memory-limit", "256Mi")))),
        "an annotation equal to the configured default changes nothing");
    assertNotEquals(configured, TestDesired.templateHash(set, ConventionVerdict.NONE));
  }

  @Test
  void defaultsThatAContainerDoesNotUseDoNotChangeTheHash() {
    LabeledAppSet set = set("web");
    set.getSpec()
        .getContainers()
        .get(0)
        .setResources(
            resources(
                "requests.cpu=1", "requests.memory=1Gi", "limits.cpu=1", "limits.memory=1Gi"));
    assertEquals(
        TestDesired.templateHash(set, verdict(set, enabled())),
        TestDesired.templateHash(
            set,
            verdict(
                set,
                enabledWithAnnotations(
                    Map.of("default-cpu-request", "5m", "default-memory-limit", "2Gi")))));
  }
}

package io.labeledapps.operator.conventions;

import static io.labeledapps.operator.conventions.Fixtures.NS;
import static io.labeledapps.operator.conventions.Fixtures.container;
import static io.labeledapps.operator.conventions.Fixtures.enabled;
import static io.labeledapps.operator.conventions.Fixtures.enabledWithAnnotations;
import static io.labeledapps.operator.conventions.Fixtures.namespace;
import static io.labeledapps.operator.conventions.Fixtures.only;
import static io.labeledapps.operator.conventions.Fixtures.quantities;
import static io.labeledapps.operator.conventions.Fixtures.resources;
import static io.labeledapps.operator.conventions.Fixtures.rules;
import static io.labeledapps.operator.conventions.Fixtures.set;
import static io.labeledapps.operator.conventions.Fixtures.setWithResources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.ServiceSpec;
import io.labeledapps.operator.model.Quantities;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each convention alone, then several at once, on the default configuration unless said otherwise.
 */
class ConventionsTest {
  private final ConventionsConfig config = new ConventionsConfig();

  private ConventionVerdict evaluate(LabeledAppSet set, Namespace ns) {
    return Conventions.evaluate(set, ns, config);
  }

  /** An enabled namespace with these "key=value" annotations, named without the prefix. */
  private static Namespace annotated(String... pairs) {
    return enabledWithAnnotations(Fixtures.pairs(pairs));
  }

  private static ConventionsConfig noDefaults() {
    ConventionsConfig c = new ConventionsConfig();
    c.defaults = new ConventionsConfig.Resources();
    return c;
  }

  @Test
  void aPlainSetInAnEnabledNamespaceIsCompliant() {
    ConventionVerdict verdict = evaluate(set("web"), enabled());
    assertTrue(verdict.compliant(), verdict.violations().toString());
  }

  @Test
  void anUnlabeledNamespaceIsNotEnabledAndTheMessageSaysHowToEnableIt() {
    ConventionVerdict verdict =
        Conventions.evaluate(set("web"), namespace(Map.of(), Map.of()), config);
    assertEquals(List.of("NamespaceNotEnabled"), rules(verdict));
    String message = verdict.violations().get(0).message();
    assertTrue(message.contains("namespace " + NS), message);
    assertTrue(message.contains("labeledapps.io/enabled=true"), message);
  }

  @Test
  void theEnabledLabelWithAnotherValueIsNotEnough() {
    ConventionVerdict verdict = evaluate(set("web"), enabled("labeledapps.io/enabled=false"));
    assertEquals(List.of("NamespaceNotEnabled"), rules(verdict));
  }

  @ParameterizedTest
  @ValueSource(strings = {"kube-system", "kube-public", "kube-node-lease"})
  void systemNamespacesAreAlwaysRefusedEvenWhenLabeledAndWithAnEmptySelector(String system) {
    LabeledAppSet set = set("web");
    set.getMetadata().setNamespace(system);
    var ns =
        new NamespaceBuilder()
            .withNewMetadata()
            .withName(system)
            .addToLabels("labeledapps.io/enabled", "true")
            .endMetadata()
            .build();
    ConventionsConfig permissive = ConventionsConfig.permissive();
    for (ConventionsConfig c : List.of(config, permissive)) {
      ConventionVerdict verdict = Conventions.evaluate(set, ns, c);
      assertEquals(List.of("SystemNamespace"), rules(verdict));
      assertTrue(
          verdict.violations().get(0).message().contains(system),
          verdict.violations().get(0).message());
    }
  }

  @Test
  void anEmptySelectorAdmitsEveryNamespace() {
    ConventionsConfig c = new ConventionsConfig();
    c.namespaceSelector = "";
    assertTrue(Conventions.evaluate(set("web"), namespace(Map.of(), Map.of()), c).compliant());
    c.namespaceSelector = "   ";
    assertTrue(Conventions.evaluate(set("web"), namespace(Map.of(), Map.of()), c).compliant());
    c.namespaceSelector = null;
    assertTrue(Conventions.evaluate(set("web"), namespace(Map.of(), Map.of()), c).compliant());
  }

  @Test
  void aConfiguredSelectorIsWhatTheNamespaceMustMatch() {
    ConventionsConfig c = new ConventionsConfig();
    c.namespaceSelector = "tier=apps,!frozen";
    assertTrue(
        Conventions.evaluate(set("web"), namespace(Map.of("tier", "apps"), Map.of()), c)
            .compliant());
    ConventionVerdict frozen =
        Conventions.evaluate(
            set("web"), namespace(Map.of("tier", "apps", "frozen", "yes"), Map.of()), c);
    assertEquals(List.of("NamespaceNotEnabled"), rules(frozen));
    assertTrue(
        frozen.violations().get(0).message().contains("'tier=apps,!frozen'"),
        frozen.violations().get(0).message());
    // the default label alone no longer enables a namespace
    assertEquals(
        List.of("NamespaceNotEnabled"), rules(Conventions.evaluate(set("web"), enabled(), c)));
  }

  @Test
  void anInvisibleNamespaceIsReportedAndNothingElseIsJudged() {
    ConventionVerdict verdict = Conventions.evaluate(set("web"), null, config);
    assertEquals(List.of("NamespaceUnknown"), rules(verdict));
    assertTrue(verdict.violations().get(0).message().contains(NS));
    assertTrue(verdict.inheritedLabels().isEmpty());
    assertTrue(verdict.resourceDefaults().isEmpty());
  }

  // ---- label flow-down

  @Test
  void configuredNamespaceLabelsAreInheritedAndOthersAreNot() {
    ConventionVerdict verdict =
        evaluate(set("web"), enabled("team=payments", "env=prod", "cost-center=42"));
    assertTrue(verdict.compliant());
    assertEquals(Map.of("team", "payments", "env", "prod"), verdict.inheritedLabels());
  }

  @Test
  void anAbsentNamespaceLabelIsNotInherited() {
    ConventionVerdict verdict = evaluate(set("web"), enabled("team=payments"));
    assertEquals(Map.of("team", "payments"), verdict.inheritedLabels());
  }

  @Test
  void specLabelsMayRepeatTheNamespaceValue() {
    LabeledAppSet set = set("web");
    set.getSpec().getLabels().put("env", "prod");
    ConventionVerdict verdict = evaluate(set, enabled("env=prod"));
    assertTrue(verdict.compliant());
    assertEquals(Map.of("env", "prod"), verdict.inheritedLabels());
  }

  @Test
  void specLabelsGivingAnInheritedKeyAnotherValueConflict() {
    LabeledAppSet set = set("web");
    set.getSpec().getLabels().put("env", "dev");
    ConventionVerdict verdict = evaluate(set, enabled("env=prod", "team=payments"));
    assertEquals(List.of("LabelConflict"), rules(verdict));
    String message = verdict.violations().get(0).message();
    assertTrue(message.contains("spec.labels[env] is 'dev'"), message);
    assertTrue(message.contains("env=prod"), message);
    assertTrue(message.contains(NS), message);
  }

  @Test
  void aSpecLabelForAKeyTheNamespaceDoesNotSetIsNoConflict() {
    LabeledAppSet set = set("web");
    set.getSpec().getLabels().put("env", "dev");
    assertTrue(evaluate(set, enabled("team=payments")).compliant());
  }

  @Test
  void inheritedLabelsFollowTheConfiguration() {
    ConventionsConfig c = new ConventionsConfig();
    c.inheritedNamespaceLabels = List.of("cost-center");
    LabeledAppSet set = set("web");
    set.getSpec().getLabels().put("env", "dev");
    ConventionVerdict verdict = Conventions.evaluate(set, enabled("env=prod", "cost-center=42"), c);
    assertTrue(
        verdict.compliant(), "env is no longer inherited, so no conflict: " + verdict.violations());
    assertEquals(Map.of("cost-center", "42"), verdict.inheritedLabels());
  }

  // ---- required labels

  @Test
  void aPodWithoutARequiredLabelIsRefusedNamingTheLabel() {
    LabeledAppSet set = set("web");
    set.getSpec().setLabels(Map.of("tier", "front"));
    ConventionVerdict verdict = evaluate(set, enabled());
    assertEquals(List.of("MissingRequiredLabel"), rules(verdict));
    String message = verdict.violations().get(0).message();
    assertTrue(message.contains("'app'"), message);
    assertTrue(message.contains("spec.labels"), message);
  }

  @Test
  void eachMissingRequiredLabelIsReported() {
    ConventionsConfig c = new ConventionsConfig();
    c.requiredPodLabels = List.of("app", "owner", "team");
    LabeledAppSet set = set("web");
    set.getSpec().setLabels(Map.of());
    ConventionVerdict verdict = Conventions.evaluate(set, enabled(), c);
    assertEquals(
        List.of("MissingRequiredLabel", "MissingRequiredLabel", "MissingRequiredLabel"),
        rules(verdict));
    String all = Fixtures.messages(verdict);
    assertTrue(all.contains("'app'") && all.contains("'owner'") && all.contains("'team'"), all);
  }

  @Test
  void aRequiredLabelMayComeFromTheNamespace() {
    ConventionsConfig c = new ConventionsConfig();
    c.requiredPodLabels = List.of("app", "team");
    assertEquals(
        List.of("MissingRequiredLabel"), rules(Conventions.evaluate(set("web"), enabled(), c)));
    assertTrue(Conventions.evaluate(set("web"), enabled("team=payments"), c).compliant());
  }

  @Test
  void aRequiredLabelMayBeAStandardOne() {
    ConventionsConfig c = new ConventionsConfig();
    c.requiredPodLabels = List.of("app.kubernetes.io/name");
    LabeledAppSet set = set("web");
    set.getSpec().setLabels(Map.of());
    assertTrue(Conventions.evaluate(set, enabled(), c).compliant());
  }

  // ---- resource defaults

  @Test
  void containersWithoutResourcesGetTheConfiguredDefaults() {
    ConventionVerdict verdict = evaluate(set("web"), enabled());
    assertTrue(verdict.compliant());
    assertEquals(
        quantities("requests.cpu=100m", "requests.memory=128Mi", "limits.memory=256Mi"),
        verdict.resourceDefaults());
    assertEquals(
        List.of("web: requests.cpu=100m, requests.memory=128Mi, limits.memory=256Mi"),
        verdict.defaultsApplied());
  }

  @Test
  void namespaceAnnotationsOverrideTheConfiguredDefaults() {
    ConventionVerdict verdict =
        evaluate(
            set("web"),
            annotated(
                "default-cpu-request=250m",
                "default-memory-request=64Mi",
                "default-cpu-limit=1",
                "default-memory-limit=512Mi"));
    assertTrue(verdict.compliant(), verdict.violations().toString());
    assertEquals(
        quantities(
            "requests.cpu=250m", "requests.memory=64Mi", "limits.cpu=1", "limits.memory=512Mi"),
        verdict.resourceDefaults());
    assertEquals(
        List.of("web: requests.cpu=250m, requests.memory=64Mi, limits.cpu=1, limits.memory=512Mi"),
        verdict.defaultsApplied());
  }

  @Test
  void oneAnnotationOverridesOneDefaultAndTheOthersStayConfigured() {
    ConventionVerdict verdict = evaluate(set("web"), annotated("default-memory-limit=1Gi"));
    assertEquals(
        quantities("requests.cpu=100m", "requests.memory=128Mi", "limits.memory=1Gi"),
        verdict.resourceDefaults());
  }

  @Test
  void declaredResourcesAreKeptAndOnlyTheMissingOnesAreDefaulted() {
    LabeledAppSet set = setWithResources("web", "requests.cpu=300m", "limits.memory=200Mi");
    set.getSpec()
        .getContainers()
        .add(
            container(
                "side",
                resources(
                    "requests.cpu=10m",
                    "requests.memory=10Mi",
                    "limits.cpu=20m",
                    "limits.memory=20Mi")));
    ConventionVerdict verdict = evaluate(set, enabled());
    assertTrue(verdict.compliant());
    // "side" declares everything: it is not listed
    assertEquals(List.of("web: requests.memory=128Mi"), verdict.defaultsApplied());
  }

  @Test
  void initContainersAreDefaultedAndListedToo() {
    LabeledAppSet set = set("web");
    set.getSpec().setInitContainers(List.of(container("init", null)));
    ConventionVerdict verdict = evaluate(set, enabled());
    assertEquals(
        List.of(
            "init: requests.cpu=100m, requests.memory=128Mi, limits.memory=256Mi",
            "web: requests.cpu=100m, requests.memory=128Mi, limits.memory=256Mi"),
        verdict.defaultsApplied());
  }

  @Test
  void noDefaultsConfiguredAddsNothing() {
    ConventionVerdict verdict = Conventions.evaluate(set("web"), enabled(), noDefaults());
    assertTrue(verdict.resourceDefaults().isEmpty());
    assertTrue(verdict.defaultsApplied().isEmpty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "100x", "1.5.3", "12 Mi"})
  void anAnnotationThatIsNotAQuantityIsAnInvalidConvention(String bad) {
    ConventionVerdict verdict = evaluate(set("web"), annotated("default-cpu-request=" + bad));
    ConventionViolation v = only(verdict, "InvalidConvention");
    assertEquals(1, verdict.violations().size());
    assertTrue(
        v.message().contains("namespace annotation labeledapps.io/default-cpu-request"),
        v.message());
    assertTrue(v.message().contains("'" + bad + "'"), v.message());
    assertTrue(v.message().contains("not a quantity"), v.message());
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "-100m", "-1Gi"})
  void aNegativeDefaultOrCeilingIsAnInvalidConvention(String negative) {
    for (String annotation : List.of("default-memory-limit", "max-cpu-limit")) {
      ConventionVerdict verdict = evaluate(set("web"), annotated(annotation + "=" + negative));
      ConventionViolation v = only(verdict, "InvalidConvention");
      assertEquals(1, verdict.violations().size(), verdict.violations().toString());
      assertTrue(
          v.message().contains("namespace annotation labeledapps.io/" + annotation), v.message());
      assertTrue(v.message().contains("'" + negative + "', a negative quantity"), v.message());
      assertTrue(
          verdict.resourceDefaults().values().stream()
              .noneMatch(q -> Quantities.value(q).orElseThrow().signum() < 0),
          "a negative default is never applied");
    }
  }

  @Test
  void aBadCeilingAnnotationIsAnInvalidConventionToo() {
    ConventionVerdict verdict = evaluate(set("web"), annotated("max-memory-limit=lots"));
    ConventionViolation v = only(verdict, "InvalidConvention");
    assertTrue(v.message().contains("labeledapps.io/max-memory-limit is 'lots'"), v.message());
  }

  @Test
  void aBadConfiguredQuantityNamesTheConfiguration() {
    ConventionsConfig c = new ConventionsConfig();
    c.defaults.memoryLimit = "much";
    ConventionViolation v =
        only(Conventions.evaluate(set("web"), enabled(), c), "InvalidConvention");
    assertTrue(
        v.message().contains("operator configuration for default-memory-limit is 'much'"),
        v.message());
  }

  // ---- ceilings

  @Test
  void aLimitAboveTheCeilingIsRefusedNamingTheFieldTheValueAndTheCeiling() {
    LabeledAppSet set = setWithResources("web", "limits.memory=1Gi", "limits.cpu=2");
    ConventionVerdict verdict =
        evaluate(set, annotated("max-memory-limit=512Mi", "max-cpu-limit=1"));
    assertEquals(List.of("ResourceCeilingExceeded", "ResourceCeilingExceeded"), rules(verdict));
    String all = Fixtures.messages(verdict);
    assertTrue(
        all.contains(
            "spec.containers[0].resources.limits.memory 1Gi is above the namespace's ceiling 512Mi"
                + " (labeledapps.io/max-memory-limit)"),
        all);
    assertTrue(
        all.contains(
            "spec.containers[0].resources.limits.cpu 2 is above the namespace's ceiling 1"
                + " (labeledapps.io/max-cpu-limit)"),
        all);
  }

  @Test
  void aLimitEqualToTheCeilingIsAllowed() {
    LabeledAppSet set = setWithResources("web", "limits.memory=512Mi", "limits.cpu=1000m");
    assertTrue(evaluate(set, annotated("max-memory-limit=512Mi", "max-cpu-limit=1")).compliant());
  }

  @Test
  void aRequestAboveTheCeilingIsRefusedToo() {
    LabeledAppSet set = setWithResources("web", "requests.cpu=1500m", "limits.cpu=1500m");
    ConventionVerdict verdict = evaluate(set, annotated("max-cpu-limit=1"));
    String all = Fixtures.messages(verdict);
    assertEquals(
        List.of("ResourceCeilingExceeded", "ResourceCeilingExceeded"), rules(verdict), all);
    assertTrue(all.contains("resources.limits.cpu 1500m"), all);
    assertTrue(all.contains("resources.requests.cpu 1500m"), all);
  }

  @Test
  void aRequestAloneAboveTheCeilingIsRefused() {
    LabeledAppSet set = setWithResources("web", "requests.memory=2Gi");
    ConventionVerdict verdict =
        Conventions.evaluate(
            set, enabledWithAnnotations(Map.of("max-memory-limit", "1Gi")), noDefaults());
    ConventionViolation v = only(verdict, "ResourceCeilingExceeded");
    assertTrue(
        v.message().contains("spec.containers[0].resources.requests.memory 2Gi"), v.message());
  }

  @Test
  void ceilingsApplyToInitContainersWithTheirOwnPath() {
    LabeledAppSet set = set("web");
    set.getSpec().setInitContainers(List.of(container("init", resources("limits.memory=2Gi"))));
    ConventionViolation v =
        only(evaluate(set, annotated("max-memory-limit=1Gi")), "ResourceCeilingExceeded");
    assertTrue(
        v.message().startsWith("spec.initContainers[0].resources.limits.memory 2Gi"), v.message());
  }

  @Test
  void configuredCeilingsApplyAndAnnotationsOverrideThem() {
    ConventionsConfig c = new ConventionsConfig();
    c.ceilings.memoryLimit = "128Mi";
    LabeledAppSet set = setWithResources("web", "requests.memory=100Mi", "limits.memory=200Mi");
    ConventionViolation v =
        only(Conventions.evaluate(set, enabled(), c), "ResourceCeilingExceeded");
    assertTrue(
        v.message().contains("limits.memory 200Mi is above the namespace's ceiling 128Mi"),
        v.message());
    assertTrue(
        Conventions.evaluate(set, enabledWithAnnotations(Map.of("max-memory-limit", "256Mi")), c)
            .compliant());
  }

  /**
   * A limit raised to the declared request is not "the default": the message points at the request.
   */
  @Test
  void aLimitDerivedFromTheRequestIsNamedAsSuch() {
    LabeledAppSet set = set("web");
    set.getSpec()
        .getContainers()
        .get(0)
        .setResources(
            new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
                .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("1Gi"))
                .build());
    ConventionVerdict verdict = evaluate(set, annotated("max-memory-limit=512Mi"));
    List<String> messages =
        verdict.violations().stream().map(ConventionViolation::message).toList();
    assertTrue(
        messages.contains(
            "spec.containers[0].resources.limits.memory is not set; it would be 1Gi, as"
                + " spec.containers[0].resources.requests.memory is, which is above the namespace's ceiling 512Mi"
                + " (labeledapps.io/max-memory-limit); set spec.containers[0].resources.requests.memory to at most 512Mi"),
        messages.toString());
  }

  @Test
  void defaultsCountTowardTheCeilings() {
    // the configured default limit 256Mi is above this namespace's ceiling: a container without
    // resources would get it, so it is refused before any pod is created with it
    ConventionVerdict verdict = evaluate(set("web"), annotated("max-memory-limit=200Mi"));
    ConventionViolation v = only(verdict, "ResourceCeilingExceeded");
    // named as the default it is, since the user never wrote it, with the way out
    assertTrue(
        v.message()
            .contains(
                "spec.containers[0].resources.limits.memory is not set, and its default 256Mi"
                    + " is above the namespace's ceiling 200Mi (labeledapps.io/max-memory-limit); set it to at most 200Mi"),
        v.message());
  }

  // ---- service types

  @Test
  void byDefaultClusterIPAndNodePortAreAllowed() {
    LabeledAppSet set = set("web");
    assertTrue(evaluate(set, enabled()).compliant());
    set.getSpec().getService().setType(ServiceSpec.Type.NodePort);
    assertTrue(evaluate(set, enabled()).compliant());
  }

  @Test
  void theNamespaceLabelNarrowsTheServiceTypes() {
    LabeledAppSet set = set("web");
    set.getSpec().getService().setType(ServiceSpec.Type.NodePort);
    ConventionVerdict verdict = evaluate(set, enabled("labeledapps.io/service-types=ClusterIP"));
    ConventionViolation v = only(verdict, "ServiceTypeNotAllowed");
    assertEquals(1, verdict.violations().size());
    assertTrue(
        v.message().contains("spec.service.type NodePort is not allowed in namespace " + NS),
        v.message());
    assertTrue(v.message().contains("(allowed: ClusterIP)"), v.message());
    set.getSpec().getService().setType(ServiceSpec.Type.ClusterIP);
    assertTrue(evaluate(set, enabled("labeledapps.io/service-types=ClusterIP")).compliant());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"ClusterIP_NodePort", "ClusterIP.NodePort", "ClusterIP-NodePort", "NodePort"})
  void theNamespaceLabelListsSeveralTypesWithAnySeparatorALabelValueAllows(String value) {
    LabeledAppSet set = set("web");
    set.getSpec().getService().setType(ServiceSpec.Type.NodePort);
    assertTrue(evaluate(set, enabled("labeledapps.io/service-types=" + value)).compliant());
  }

  @Test
  void theNamespaceLabelMayAlsoWidenWhatTheConfigurationAllows() {
    ConventionsConfig c = new ConventionsConfig();
    c.allowedServiceTypes = List.of("ClusterIP");
    LabeledAppSet set = set("web");
    set.getSpec().getService().setType(ServiceSpec.Type.NodePort);
    ConventionViolation v = only(Conventions.evaluate(set, enabled(), c), "ServiceTypeNotAllowed");
    assertTrue(v.message().contains("(allowed: ClusterIP)"), v.message());
    assertTrue(
        Conventions.evaluate(set, enabled("labeledapps.io/service-types=ClusterIP_NodePort"), c)
            .compliant());
  }

  @Test
  void aSetWithoutServiceIgnoresServiceTypes() {
    LabeledAppSet set = set("web");
    set.getSpec().setService(null);
    assertTrue(evaluate(set, enabled("labeledapps.io/service-types=None")).compliant());
  }

  // ---- everything at once

  @Test
  void everyViolationIsReportedAtOnceInRuleOrder() {
    LabeledAppSet set = set("web");
    set.getSpec().setLabels(Map.of("env", "dev"));
    set.getSpec().getContainers().get(0).setResources(resources("limits.memory=4Gi"));
    set.getSpec().getService().setType(ServiceSpec.Type.NodePort);
    var ns =
        namespace(
            Map.of("env", "prod", "labeledapps.io/service-types", "ClusterIP"),
            Map.of("max-memory-limit", "1Gi", "default-cpu-request", "oops"));
    ConventionVerdict verdict = Conventions.evaluate(set, ns, config);
    assertEquals(
        List.of(
            "NamespaceNotEnabled",
            "LabelConflict",
            "MissingRequiredLabel",
            "InvalidConvention",
            "ResourceCeilingExceeded",
            "ServiceTypeNotAllowed"),
        rules(verdict));
    assertEquals(
        "NamespaceNotEnabled,LabelConflict,MissingRequiredLabel,InvalidConvention,ResourceCeilingExceeded,"
            + "ServiceTypeNotAllowed",
        Conventions.rules(verdict.violations()));
    assertTrue(verdict.inheritedLabels().isEmpty(), "a conflicting label is not inherited");
  }

  @Test
  void rulesListsEachRuleOnceInFirstSeenOrder() {
    assertEquals(
        "B,A",
        Conventions.rules(
            List.of(
                new ConventionViolation("B", "1"),
                new ConventionViolation("A", "2"),
                new ConventionViolation("B", "3"))));
  }
}

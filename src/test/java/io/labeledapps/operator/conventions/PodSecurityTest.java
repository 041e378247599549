package io.labeledapps.operator.conventions;

import static io.labeledapps.operator.conventions.Fixtures.enabled;
import static io.labeledapps.operator.conventions.Fixtures.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.deploy.RestrictedPodSecurity;
import io.labeledapps.operator.model.TestDesired;
import io.labeledapps.operator.testkit.YamlFiles;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pod Security as a namespace convention: restricted defaults for unset fields, refusals naming
 * each field and the level, nothing under privileged, and the pods that result checked against the
 * restricted standard by an independent checker ({@link RestrictedPodSecurity}).
 */
class PodSecurityTest {
  static final ConventionsConfig CONFIG = ConventionsConfig.permissive();

  static ConventionVerdict under(String level, LabeledAppSet set) {
    return Conventions.evaluate(
        set, level == null ? enabled() : enabled(PodSecurity.ENFORCE_LABEL + "=" + level), CONFIG);
  }

  static LabeledAppSet withInit() {
    LabeledAppSet set = set("web");
    set.getSpec()
        .setInitContainers(new java.util.ArrayList<>(List.of(Fixtures.container("setup", null))));
    set.getSpec().getInitContainers().get(0).setPorts(List.of());
    return set;
  }

  @Test
  void aPlainSetUnderRestrictedGetsCompliantDefaultsAndPassesTheStandard() {
    LabeledAppSet set = withInit();
    assertFalse(
        RestrictedPodSecurity.violations(TestDesired.pod(set, 0).getSpec(), Map.of()).isEmpty(),
        "without the convention the plain pod breaks restricted");
    ConventionVerdict verdict = under("restricted", set);
    assertEquals(List.of(), verdict.violations());
    Pod pod = TestDesired.pod(set, 0, verdict);
    assertEquals(
        List.of(),
        RestrictedPodSecurity.violations(pod.getSpec(), pod.getMetadata().getAnnotations()));
    assertEquals(true, pod.getSpec().getSecurityContext().getRunAsNonRoot());
    assertEquals(
        "RuntimeDefault", pod.getSpec().getSecurityContext().getSeccompProfile().getType());
    for (var c :
        List.of(pod.getSpec().getInitContainers().get(0), pod.getSpec().getContainers().get(0))) {
      assertEquals(false, c.getSecurityContext().getAllowPrivilegeEscalation());
      assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
    }
    assertEquals(
        List.of(
            "Pod Security restricted: spec.securityContext.runAsNonRoot=true,"
                + " spec.securityContext.seccompProfile.type=RuntimeDefault,"
                + " spec.initContainers[0].securityContext.allowPrivilegeEscalation=false,"
                + " spec.initContainers[0].securityContext.capabilities.drop=[ALL],"
                + " spec.containers[0].securityContext.allowPrivilegeEscalation=false,"
                + " spec.containers[0].securityContext.capabilities.drop=[ALL]"),
        verdict.defaultsApplied());
    // the set itself is left as the user wrote it
    assertEquals(null, set.getSpec().getSecurityContext());
    assertEquals(null, set.getSpec().getContainers().get(0).getSecurityContext());
  }

  @Test
  void valuesTheUserWroteAreNeverChangedOnlyChecked() throws IOException {
    LabeledAppSet set =
        YamlFiles.read("src/test/resources/model/in-real-app.yaml", LabeledAppSet.class);
    String before = Serialization.asJson(set.getSpec());
    ConventionVerdict verdict = under("restricted", set);
    assertEquals(List.of(), verdict.violations());
    assertEquals(List.of(), verdict.defaultsApplied(), "every field is written: nothing to add");
    Pod pod = TestDesired.pod(set, 0, verdict);
    assertEquals("Localhost", pod.getSpec().getSecurityContext().getSeccompProfile().getType());
    assertEquals(
        List.of("NET_BIND_SERVICE"),
        pod.getSpec().getContainers().get(0).getSecurityContext().getCapabilities().getAdd());
    assertEquals(
        List.of(),
        RestrictedPodSecurity.violations(pod.getSpec(), pod.getMetadata().getAnnotations()));
    assertEquals(TestDesired.templateHash(set), TestDesired.templateHash(set, verdict));
    assertEquals(before, Serialization.asJson(set.getSpec()));
  }

  @Test
  void partlyWrittenContextsKeepWhatIsWrittenAndGetTheRest() {
    LabeledAppSet set = set("web");
    set.getSpec().setSecurityContext(new PodSecurityContextBuilder().withRunAsUser(1000L).build());
    set.getSpec()
        .getContainers()
        .get(0)
        .setSecurityContext(
            new SecurityContextBuilder()
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities()
                .withAdd("NET_BIND_SERVICE")
                .endCapabilities()
                .build());
    ConventionVerdict verdict = under("restricted", set);
    Pod pod = TestDesired.pod(set, 0, verdict);
    assertEquals(1000L, pod.getSpec().getSecurityContext().getRunAsUser());
    var sc = pod.getSpec().getContainers().get(0).getSecurityContext();
    assertEquals(true, sc.getReadOnlyRootFilesystem());
    assertEquals(List.of("NET_BIND_SERVICE"), sc.getCapabilities().getAdd());
    assertEquals(List.of("ALL"), sc.getCapabilities().getDrop());
    assertEquals(List.of(), RestrictedPodSecurity.violations(pod.getSpec(), Map.of()));
  }

  static Arguments violation(String level, String path, Consumer<LabeledAppSet> change) {
    return Arguments.of(level, path, change);
  }

  static Stream<Arguments> violations() {
    return Stream.of(
        violation(
            "restricted",
            "spec.containers[0].securityContext.privileged",
            s -> container(s).setPrivileged(true)),
        violation(
            "baseline",
            "spec.containers[0].securityContext.privileged",
            s -> container(s).setPrivileged(true)),
        violation(
            "restricted",
            "spec.containers[0].securityContext.allowPrivilegeEscalation",
            s -> container(s).setAllowPrivilegeEscalation(true)),
        violation(
            "restricted",
            "spec.containers[0].securityContext.capabilities.add[0]",
            s ->
                container(s)
                    .setCapabilities(
                        new io.fabric8.kubernetes.api.model.Capabilities(List.of("CHOWN"), null))),
        violation(
            "baseline",
            "spec.containers[0].securityContext.capabilities.add[1]",
            s ->
                container(s)
                    .setCapabilities(
                        new io.fabric8.kubernetes.api.model.Capabilities(
                            List.of("CHOWN", "SYS_ADMIN"), null))),
        violation(
            "restricted",
            "spec.containers[0].securityContext.capabilities.drop",
            s ->
                container(s)
                    .setCapabilities(
                        new io.fabric8.kubernetes.api.model.Capabilities(
                            null, List.of("NET_RAW")))),
        violation(
            "restricted",
            "spec.securityContext.runAsUser",
            s ->
                s.getSpec()
                    .setSecurityContext(new PodSecurityContextBuilder().withRunAsUser(0L).build())),
        violation(
            "restricted",
            "spec.containers[0].securityContext.runAsUser",
            s -> container(s).setRunAsUser(0L)),
        violation(
            "restricted",
            "spec.securityContext.runAsNonRoot",
            s ->
                s.getSpec()
                    .setSecurityContext(
                        new PodSecurityContextBuilder().withRunAsNonRoot(false).build())),
        violation(
            "restricted",
            "spec.containers[0].securityContext.runAsNonRoot",
            s -> container(s).setRunAsNonRoot(false)),
        violation(
            "baseline",
            "spec.securityContext.seccompProfile.type",
            s ->
                s.getSpec()
                    .setSecurityContext(
                        new PodSecurityContextBuilder()
                            .withNewSeccompProfile()
                            .withType("Unconfined")
                            .endSeccompProfile()
                            .build())),
        violation(
            "restricted",
            "spec.containers[0].securityContext.seccompProfile.type",
            s ->
                container(s)
                    .setSeccompProfile(
                        new io.fabric8.kubernetes.api.model.SeccompProfile(null, "Unconfined"))),
        violation(
            "baseline",
            "spec.containers[0].securityContext.seLinuxOptions.type",
            s ->
                container(s)
                    .setSeLinuxOptions(
                        new io.fabric8.kubernetes.api.model.SELinuxOptions(
                            null, null, "spc_t", null))),
        violation(
            "baseline",
            "spec.annotations[container.apparmor.security.beta.kubernetes.io/web]",
            s ->
                s.getSpec()
                    .getAnnotations()
                    .put("container.apparmor.security.beta.kubernetes.io/web", "unconfined")),
        violation(
            "restricted",
            "spec.initContainers[0].securityContext.privileged",
            s -> {
              s.getSpec().setInitContainers(List.of(Fixtures.container("setup", null)));
              s.getSpec().getInitContainers().get(0).setPorts(List.of());
              s.getSpec()
                  .getInitContainers()
                  .get(0)
                  .setSecurityContext(new SecurityContextBuilder().withPrivileged(true).build());
            }));
  }

  static io.fabric8.kubernetes.api.model.SecurityContext container(LabeledAppSet set) {
    var c = set.getSpec().getContainers().get(0);
    if (c.getSecurityContext() == null) {
      c.setSecurityContext(new io.fabric8.kubernetes.api.model.SecurityContext());
    }
    return c.getSecurityContext();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("violations")
  void anExplicitViolationRefusesTheTemplateNamingTheFieldAndTheLevel(
      String level, String path, Consumer<LabeledAppSet> change) {
    LabeledAppSet set = set("web");
    change.accept(set);
    ConventionVerdict verdict = under(level, set);
    ConventionViolation v = Fixtures.only(verdict, "PodSecurity");
    assertTrue(v.message().startsWith(path + " "), v.message());
    assertTrue(v.message().contains("Pod Security level '" + level + "'"), v.message());
    // privileged, or no label at all: nothing refused, nothing added
    for (String none : new String[] {"privileged", null}) {
      ConventionVerdict free = under(none, set);
      assertEquals(List.of(), free.violations(), String.valueOf(none));
      assertEquals(List.of(), free.defaultsApplied(), String.valueOf(none));
      assertEquals(TestDesired.templateHash(set), TestDesired.templateHash(set, free));
    }
  }

  @Test
  void baselineAllowsWhatOnlyRestrictedForbidsAndAddsNothing() {
    LabeledAppSet set = set("web");
    container(set).setAllowPrivilegeEscalation(true);
    container(set).setRunAsUser(0L);
    container(set)
        .setCapabilities(new io.fabric8.kubernetes.api.model.Capabilities(List.of("CHOWN"), null));
    ConventionVerdict verdict = under("baseline", set);
    assertEquals(List.of(), verdict.violations());
    assertEquals(List.of(), verdict.defaultsApplied());
    assertEquals(TestDesired.templateHash(set), TestDesired.templateHash(set, verdict));
    assertEquals(3, under("restricted", set).violations().size(), "restricted refuses all three");
  }

  @Test
  void everyViolationIsReportedAtOnce() {
    LabeledAppSet set = set("web");
    container(set).setPrivileged(true);
    container(set).setRunAsUser(0L);
    assertEquals(2, under("restricted", set).violations().size());
  }

  @Test
  void theLevelComesFromTheNamespaceLabel() {
    assertEquals(PodSecurity.Level.PRIVILEGED, PodSecurity.level(Map.of()));
    assertEquals(PodSecurity.Level.PRIVILEGED, PodSecurity.level(null));
    assertEquals(
        PodSecurity.Level.PRIVILEGED,
        PodSecurity.level(Map.of(PodSecurity.ENFORCE_LABEL, "privileged")));
    assertEquals(
        PodSecurity.Level.BASELINE,
        PodSecurity.level(Map.of(PodSecurity.ENFORCE_LABEL, "baseline")));
    assertEquals(
        PodSecurity.Level.RESTRICTED,
        PodSecurity.level(Map.of(PodSecurity.ENFORCE_LABEL, "restricted")));
    assertEquals(
        PodSecurity.Level.RESTRICTED,
        PodSecurity.level(Map.of(PodSecurity.ENFORCE_LABEL, "strict")),
        "an unknown level is read as restricted");
  }

  @Test
  void theRestrictedDefaultsArePartOfTheTemplateHash() {
    LabeledAppSet set = set("web");
    assertFalse(
        TestDesired.templateHash(set)
            .equals(TestDesired.templateHash(set, under("restricted", set))),
        "labelling a namespace restricted replaces its pods with compliant ones");
  }
}

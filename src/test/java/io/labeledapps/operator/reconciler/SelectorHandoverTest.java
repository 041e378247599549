package io.labeledapps.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.DesiredService;
import io.labeledapps.operator.model.Labels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link SelectorHandover}: a Service's selector switches only once it selects every pod of the
 * set.
 */
class SelectorHandoverTest {
  private static final Map<String, String> OWN =
      Map.of(Labels.INSTANCE, "web", Labels.MANAGED_BY, Labels.MANAGER);
  private static final Map<String, String> NAMED =
      Map.of(Labels.SERVICE, "web", Labels.MANAGED_BY, Labels.MANAGER);

  /** Set web with its own Service ({@code serviceName} null) or naming one. */
  private static LabeledAppSet set(String serviceName) {
    return SharedServiceMockTest.set(
        "web", "2024-05-01T10:00:00Z", serviceName, "[{name: http, port: 80, targetPort: http}]");
  }

  private static final LabeledAppSet OWN_SET = set(null);
  private static final LabeledAppSet NAMED_SET = set("web");

  private static Service desired(LabeledAppSet set) {
    return DesiredService.of(set).orElseThrow();
  }

  /** The Service as the set without spec.service.name made it. */
  private static Service actualOwn() {
    return desired(OWN_SET);
  }

  private static Pod oldPod(int slot) {
    return TestPods.ready(OWN_SET, slot);
  }

  private static Pod newPod(int slot) {
    return TestPods.ready(NAMED_SET, slot);
  }

  @Test
  void theOldSelectorStaysWhileAPodLacksTheServiceLabel() {
    for (List<Pod> pods :
        List.of(
            List.of(oldPod(0), oldPod(1), oldPod(2)),
            List.of(oldPod(0), newPod(1), newPod(2), newPod(3)))) {
      Service target = SelectorHandover.target(desired(NAMED_SET), actualOwn(), pods);
      assertEquals(OWN, target.getSpec().getSelector());
      // everything else is as desired: only the selector waits
      assertEquals(desired(NAMED_SET).getMetadata(), target.getMetadata());
      assertEquals(desired(NAMED_SET).getSpec().getPorts(), target.getSpec().getPorts());
    }
  }

  @Test
  void theSelectorSwitchesOnceEveryPodCarriesTheLabel() {
    Service wanted = desired(NAMED_SET);
    assertSame(
        wanted,
        SelectorHandover.target(wanted, actualOwn(), List.of(newPod(0), newPod(1), newPod(2))));
    assertEquals(NAMED, wanted.getSpec().getSelector());
    assertSame(
        wanted,
        SelectorHandover.target(wanted, actualOwn(), List.of()),
        "no pod: nothing to keep serving");
  }

  @Test
  void aSetThatStopsNamingItsServiceSwitchesAtOnceSinceEveryPodCarriesItsInstanceLabel() {
    Service named = desired(NAMED_SET);
    Service wanted = desired(OWN_SET);
    assertSame(
        wanted, SelectorHandover.target(wanted, named, List.of(newPod(0), newPod(1), oldPod(2))));
  }

  @Test
  void aSelectorThatMissesPodsItselfIsNotKept() {
    Service edited =
        new ServiceBuilder(actualOwn())
            .editSpec()
            .withSelector(Map.of("app", "other"))
            .endSpec()
            .build();
    Service wanted = desired(NAMED_SET);
    assertSame(wanted, SelectorHandover.target(wanted, edited, List.of(oldPod(0))));
    Service none =
        new ServiceBuilder(actualOwn()).editSpec().withSelector(Map.of()).endSpec().build();
    assertSame(
        wanted,
        SelectorHandover.target(wanted, none, List.of(oldPod(0))),
        "an empty selector selects nothing");
  }

  @Test
  void theStatusSaysWhatWaitsAndHowFarTheRolloutIs() {
    List<Pod> pods = List.of(oldPod(0), newPod(1), newPod(2));
    assertEquals(
        "switching the selector to labeledapps.io/service=web,app.kubernetes.io/managed-by=labeledappset-operator"
            + " once every pod carries labeledapps.io/service=web (2 of 3 do; the rollout replaces the others)",
        SelectorHandover.switching(desired(NAMED_SET), pods));
    assertEquals(
        "Service web-old is kept until every pod carries labeledapps.io/service=web (2 of 3 do; the rollout"
            + " replaces the others), then web alone serves them",
        SelectorHandover.keeping("web-old", desired(NAMED_SET), pods));
  }
}

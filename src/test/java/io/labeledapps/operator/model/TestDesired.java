package io.labeledapps.operator.model;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.labeledapps.operator.api.LabeledAppSet;
import java.util.List;

/** Desired pods as tests ask for them: without conventions unless given, one pod at a time. */
public final class TestDesired {
  private TestDesired() {}

  /** The pod template without namespace conventions. */
  public static PodTemplateSpec template(LabeledAppSet set) {
    return DesiredPods.template(set, PodAdditions.NONE);
  }

  /** The template hash stamped on every pod of the current template, without conventions. */
  public static String templateHash(LabeledAppSet set) {
    return templateHash(set, PodAdditions.NONE);
  }

  public static String templateHash(LabeledAppSet set, PodAdditions additions) {
    return StampedTemplate.of(set, additions).hash();
  }

  /** The pod for slot {@code slot} of {@code set}, without namespace conventions. */
  public static Pod pod(LabeledAppSet set, int slot) {
    return pod(set, slot, PodAdditions.NONE);
  }

  public static Pod pod(LabeledAppSet set, int slot, PodAdditions additions) {
    return StampedTemplate.of(set, additions).pod(slot);
  }

  public static List<Pod> pods(LabeledAppSet set, List<Integer> slots, PodAdditions additions) {
    return StampedTemplate.of(set, additions).pods(slots);
  }
}

package io.labeledapps.operator.model;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.labeledapps.operator.api.LabeledAppSet;
import java.util.List;

/**
 * A set's pod template with its hash, built and hashed once per pass; every pod of the pass is
 * stamped from it (hashing is most of the work of building a pod).
 */
public record StampedTemplate(LabeledAppSet set, PodTemplateSpec template, String hash) {

  /** The template of {@code set} with what {@code additions} add, hashed. */
  public static StampedTemplate of(LabeledAppSet set, PodAdditions additions) {
    PodTemplateSpec template = DesiredPods.template(set, additions);
    return new StampedTemplate(set, template, TemplateHash.of(template));
  }

  /** The pod for {@code slot}. */
  public Pod pod(int slot) {
    return DesiredPods.stamp(set, slot, template, hash);
  }

  /** The pods for {@code slots}. */
  public List<Pod> pods(List<Integer> slots) {
    return slots.stream().map(this::pod).toList();
  }
}

package io.labeledapps.operator.model;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.api.DisruptionBudget;
import io.labeledapps.operator.api.LabeledAppSet;
import java.util.Optional;

/**
 * The set's PodDisruptionBudget. policy/v1 and policy/v1beta1 have the same shape for what the
 * operator writes (selector, maxUnavailable or minAvailable), so one object is built and written in
 * the version the server serves. Pure.
 */
public final class DesiredDisruptionBudget {
  public static final String KIND = "PodDisruptionBudget";
  public static final String V1 = "policy/v1";
  public static final String V1BETA1 = "policy/v1beta1";

  private DesiredDisruptionBudget() {}

  /**
   * The budget for {@code set} in {@code apiVersion}, or empty without spec.disruptionBudget. It
   * selects the set's pods by the selector labels only they carry, never by the user's labels,
   * which another set may share.
   */
  public static Optional<GenericKubernetesResource> of(LabeledAppSet set, String apiVersion) {
    DisruptionBudget budget = set.getSpec().getDisruptionBudget();
    if (budget == null) {
      return Optional.empty();
    }
    // @formatter:off
    PodDisruptionBudget pdb = new PodDisruptionBudgetBuilder()
        .withNewMetadata()
          .withName(Names.disruptionBudget(set))
          .withNamespace(set.getMetadata().getNamespace())
          .withLabels(Labels.standard(set))
          .withOwnerReferences(DesiredPods.controllerReference(set))
        .endMetadata()
        .withNewSpec()
          .withNewSelector().withMatchLabels(Labels.selector(set)).endSelector()
          .withMaxUnavailable(budget.getMaxUnavailable())
          .withMinAvailable(budget.getMinAvailable())
        .endSpec()
        .build();
    // @formatter:on
    GenericKubernetesResource generic =
        Serialization.jsonMapper().convertValue(pdb, GenericKubernetesResource.class);
    generic.setApiVersion(apiVersion);
    return Optional.of(generic);
  }
}

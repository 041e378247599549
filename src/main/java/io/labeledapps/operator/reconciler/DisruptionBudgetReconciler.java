package io.labeledapps.operator.reconciler;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.DesiredDisruptionBudget;
import io.labeledapps.operator.model.Names;
import io.labeledapps.operator.status.PodState;
import io.labeledapps.operator.status.Problem;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the set's PodDisruptionBudget: created when spec.disruptionBudget is given, updated when it
 * changes, deleted when it is removed (and garbage-collected with the set through its
 * ownerReference). Written as policy/v1 where the server serves it, else policy/v1beta1 (Kubernetes
 * before 1.21).
 */
public final class DisruptionBudgetReconciler {
  private static final Logger log = LoggerFactory.getLogger(DisruptionBudgetReconciler.class);
  private final KubernetesClient client;
  private final String apiVersion;

  /** The budget's outcome: a problem the user must fix, if any, and what was changed. */
  public record Outcome(Problem problem, Optional<String> change) {
    static final Outcome NOTHING = new Outcome(null, Optional.empty());
  }

  public DisruptionBudgetReconciler(KubernetesClient client, String apiVersion) {
    this.client = client;
    this.apiVersion = apiVersion;
  }

  /**
   * policy/v1 if the server serves PodDisruptionBudgets there, else policy/v1beta1 (one discovery
   * call).
   */
  public static String servedVersion(KubernetesClient client) {
    try {
      return client.supports(DesiredDisruptionBudget.V1, DesiredDisruptionBudget.KIND)
          ? DesiredDisruptionBudget.V1
          : DesiredDisruptionBudget.V1BETA1;
    } catch (KubernetesClientException e) {
      log.warn(
          "Cannot discover the policy API versions ({}); writing PodDisruptionBudgets as {}",
          e.getMessage(),
          DesiredDisruptionBudget.V1);
      return DesiredDisruptionBudget.V1;
    }
  }

  public String apiVersion() {
    return apiVersion;
  }

  public GroupVersionKind groupVersionKind() {
    return new GroupVersionKind(apiVersion, DesiredDisruptionBudget.KIND);
  }

  /**
   * @param cached the set's budget from the informer cache (by name, managed-by label), if present
   */
  public Outcome reconcile(LabeledAppSet set, Optional<GenericKubernetesResource> cached) {
    String ns = set.getMetadata().getNamespace();
    String name = Names.disruptionBudget(set);
    Optional<GenericKubernetesResource> desired = DesiredDisruptionBudget.of(set, apiVersion);
    Optional<GenericKubernetesResource> ours = cached.filter(b -> PodState.isControlledBy(b, set));
    if (desired.isEmpty() && ours.isEmpty()) {
      // the common case, on every pass of every set without a budget: no request at all
      return Outcome.NOTHING;
    }
    var resources =
        client.genericKubernetesResources(apiVersion, DesiredDisruptionBudget.KIND).inNamespace(ns);
    if (desired.isEmpty()) {
      resources.resource(ours.get()).delete();
      log.info("Deleted PodDisruptionBudget {}/{} (spec.disruptionBudget removed)", ns, name);
      return new Outcome(null, Optional.of("deleted PodDisruptionBudget " + name));
    }
    if (cached.isPresent() && ours.isEmpty()) {
      return new Outcome(conflict(name), Optional.empty());
    }
    try {
      return write(desired.get(), ours, resources, ns, name);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409 && ours.isEmpty()) {
        // a budget of that name the informer does not show: not labeled as ours
        GenericKubernetesResource existing = resources.withName(name).get();
        return existing != null && !PodState.isControlledBy(existing, set)
            ? new Outcome(conflict(name), Optional.empty())
            : Outcome.NOTHING;
      }
      if (e.getCode() == 422 || e.getCode() == 400 || e.getCode() == 403) {
        return new Outcome(refused(name, e), Optional.empty());
      }
      throw e;
    }
  }

  private static Problem refused(String name, KubernetesClientException e) {
    return new Problem(
        "DisruptionBudgetFailed",
        "the API server refused PodDisruptionBudget "
            + name
            + ": "
            + (e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage()));
  }

  /** Creates the budget, or updates ours when it differs from {@code desired}. */
  private static Outcome write(
      GenericKubernetesResource desired,
      Optional<GenericKubernetesResource> ours,
      io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
              GenericKubernetesResource,
              io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
              io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>>
          resources,
      String ns,
      String name) {
    if (ours.isEmpty()) {
      resources.resource(desired).create();
      log.info("Created PodDisruptionBudget {}/{}", ns, name);
      return new Outcome(null, Optional.of("created PodDisruptionBudget " + name));
    }
    if (matches(desired, ours.get())) {
      return Outcome.NOTHING;
    }
    desired.getMetadata().setResourceVersion(ours.get().getMetadata().getResourceVersion());
    resources.resource(desired).update();
    log.info("Updated PodDisruptionBudget {}/{} to match the spec", ns, name);
    return new Outcome(null, Optional.of("updated PodDisruptionBudget " + name));
  }

  /**
   * The spec and the operator's labels as the operator writes them; the server's additions are
   * ignored.
   */
  static boolean matches(GenericKubernetesResource desired, GenericKubernetesResource actual) {
    Map<String, Object> d = spec(desired);
    Map<String, Object> a = spec(actual);
    Map<String, String> labels =
        actual.getMetadata().getLabels() == null ? Map.of() : actual.getMetadata().getLabels();
    return labels.entrySet().containsAll(desired.getMetadata().getLabels().entrySet())
        && Objects.equals(d.get("selector"), a.get("selector"))
        && Objects.equals(d.get("maxUnavailable"), a.get("maxUnavailable"))
        && Objects.equals(d.get("minAvailable"), a.get("minAvailable"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource r) {
    Object spec = r.getAdditionalProperties().get("spec");
    return spec instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static Problem conflict(String name) {
    return new Problem(
        "DisruptionBudgetConflict",
        "PodDisruptionBudget "
            + name
            + " already exists and is not controlled by this set; rename or delete it");
  }
}

package io.labeledapps.operator.reconciler;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Service;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.conventions.ConventionsConfig;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.status.PodState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything one pass reads, read once by {@link Observe} from the informer caches and the
 * operator's own memory (expectations, the last status written). The later stages read nothing
 * else.
 *
 * @param set the set, carrying the status this operator last wrote
 * @param now the pass's clock reading
 * @param namespace the set's namespace
 * @param conventions the conventions configuration in force
 * @param cached the set's controlled pods in the informer cache
 * @param owned {@code cached} plus pods an earlier pass created that the cache does not show yet
 * @param pending creates and deletes still in flight
 * @param service the Service the set names, as cached (any owner)
 * @param endpoints that Service's Endpoints
 * @param quotas the namespace's ResourceQuotas
 * @param neighbours the sets of the namespace when the set names a shared Service, else none
 * @param ownedServices cached Services with an ownerReference to the set, whatever their name
 * @param budget the set's PodDisruptionBudget, as cached
 */
public record Observed(
    LabeledAppSet set,
    Instant now,
    Namespace namespace,
    ConventionsConfig conventions,
    List<Pod> cached,
    List<Pod> owned,
    PodExpectations.Pending pending,
    Optional<Service> service,
    Endpoints endpoints,
    List<ResourceQuota> quotas,
    List<LabeledAppSet> neighbours,
    List<Service> ownedServices,
    Optional<GenericKubernetesResource> budget) {

  /** The set's key in the operator's per-set memory: {@code namespace/name}. */
  public String key() {
    return PodExpectations.key(set.getMetadata().getNamespace(), set.getMetadata().getName());
  }

  /**
   * The set carries {@code labeledapps.io/paused: "true"}: its pods and Service are left as they
   * are.
   */
  public boolean paused() {
    var annotations = set.getMetadata().getAnnotations();
    return annotations != null
        && "true".equalsIgnoreCase(annotations.get(LabeledAppSetReconciler.PAUSED_ANNOTATION));
  }

  /** The set's own Service, if the cache holds it. */
  public Service ownService() {
    return service.filter(s -> ServiceReconciler.ownedBy(s, set)).orElse(null);
  }

  /**
   * Pods that count toward spec.replicas as the cache shows them (a refused set changes nothing).
   */
  public List<Pod> live() {
    return PodPlan.live(set, owned);
  }

  /** No pod of {@code hash} exists: the API server has not yet been asked to create one. */
  public boolean noPodOf(String hash) {
    return owned.stream().noneMatch(p -> hash.equals(PodState.templateHash(p)));
  }

  /**
   * Every controlled, selector-matching, non-terminating pod among {@code pods} (for podPhases).
   */
  List<Pod> matching(List<Pod> pods) {
    return pods.stream()
        .filter(
            p ->
                !PodState.isTerminating(p)
                    && Labels.matchesSelector(set, p.getMetadata().getLabels()))
        .toList();
  }
}

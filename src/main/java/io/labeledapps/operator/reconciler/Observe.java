package io.labeledapps.operator.reconciler;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.conventions.ConventionsConfig;
import io.labeledapps.operator.model.Names;
import io.labeledapps.operator.model.Owners;
import io.labeledapps.operator.status.PodState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The Observe stage: reads everything a pass needs, once, from the informer caches. Writes nothing.
 */
final class Observe {
  /** The informers a pass reads. */
  record Caches(
      InformerEventSource<Pod, LabeledAppSet> pods,
      InformerEventSource<Service, LabeledAppSet> services,
      InformerEventSource<Endpoints, LabeledAppSet> endpoints,
      InformerEventSource<Namespace, LabeledAppSet> namespaces,
      InformerEventSource<ResourceQuota, LabeledAppSet> quotas,
      InformerEventSource<GenericKubernetesResource, LabeledAppSet> disruptionBudgets) {}

  private final PodExpectations expectations;
  private final WrittenStatuses written;

  Observe(PodExpectations expectations, WrittenStatuses written) {
    this.expectations = expectations;
    this.written = written;
  }

  /**
   * What the caches hold for {@code set}; null when its namespace is not in the cache (not seen
   * yet, or emptied by a stop). The set is given the status this operator last wrote: the cache may
   * not have caught up with it (reconcile gets its own copy of the cached set).
   */
  Observed read(
      LabeledAppSet set,
      Context<LabeledAppSet> context,
      Caches caches,
      ConventionsConfig conventions,
      Instant now) {
    String ns = set.getMetadata().getNamespace();
    String key = PodExpectations.key(ns, set.getMetadata().getName());
    set.setStatus(written.current(set));
    // before the cache: a pod arriving between the two reads is then in at least one of them
    Set<String> creating = expectations.creating(key);
    List<Pod> answered = expectations.answered(key, now);
    List<Pod> cached = controlled(set, caches);
    // the cache plus pods created by an earlier pass that it does not show yet: a status written
    // meanwhile counts every pod that exists
    List<Pod> owned =
        withAnswered(
            set, cached, answered, p -> caches.pods().get(ResourceID.fromResource(p)).isPresent());
    Namespace namespace = caches.namespaces().get(new ResourceID(ns)).orElse(null);
    if (namespace == null) {
      return null;
    }
    ResourceID service = new ResourceID(Names.service(set), ns);
    return new Observed(
        set,
        now,
        namespace,
        conventions,
        cached,
        owned,
        expectations.pending(key, cached, now).plusCreates(creating),
        caches.services().get(service),
        caches.endpoints().get(service).orElse(null),
        caches.quotas().list(ns, q -> true).toList(),
        neighbours(set, context.getPrimaryCache()::list),
        owned(set, caches),
        caches.disruptionBudgets().get(new ResourceID(Names.disruptionBudget(set), ns)));
  }

  /** The set's controlled pods in the pods cache, found by the index on the controller's uid. */
  private static List<Pod> controlled(LabeledAppSet set, Caches caches) {
    return caches.pods().byIndex(PodState.BY_CONTROLLER, set.getMetadata().getUid()).stream()
        .filter(p -> PodState.isControlledBy(p, set))
        .toList();
  }

  /**
   * The Services of the set's namespace that it owns: the index's key is what {@link
   * ServiceReconciler#ownedBy} compares, the uid of a LabeledAppSet owner.
   */
  private static List<Service> owned(LabeledAppSet set, Caches caches) {
    return caches.services().byIndex(Owners.BY_SET_OWNER, set.getMetadata().getUid()).stream()
        .filter(s -> set.getMetadata().getNamespace().equals(s.getMetadata().getNamespace()))
        .toList();
  }

  /**
   * The sets of the namespace, for a set that names a shared Service (spec.service.name): only
   * {@link ServiceReconciler} reads them, and only for such a set; none for the others, so a pass
   * does not copy every set of a namespace of thousands.
   */
  static List<LabeledAppSet> neighbours(
      LabeledAppSet set, Function<String, Stream<LabeledAppSet>> setsInNamespace) {
    return Names.namesService(set)
        ? setsInNamespace.apply(set.getMetadata().getNamespace()).toList()
        : List.of();
  }

  /**
   * {@code cached} and the answered pods of this set (this uid) the informer does not hold yet; one
   * it holds, even no longer the set's (released), is as the informer has it.
   */
  static List<Pod> withAnswered(
      LabeledAppSet set, List<Pod> cached, List<Pod> answered, Predicate<Pod> informerHolds) {
    if (answered.isEmpty()) {
      return cached;
    }
    List<Pod> all = new ArrayList<>(cached);
    answered.stream()
        .filter(p -> !informerHolds.test(p) && PodState.isControlledBy(p, set))
        .forEach(all::add);
    return all;
  }
}

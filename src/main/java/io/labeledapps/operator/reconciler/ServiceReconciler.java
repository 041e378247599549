package io.labeledapps.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.DesiredService;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.model.Names;
import io.labeledapps.operator.model.Owners;
import io.labeledapps.operator.status.Problem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the set's Service match the spec. Only the fields the operator owns are compared and
 * written; what the API server allocated (clusterIP, ipFamilies, nodePorts the user left open) is
 * kept, since a full replace that drops {@code clusterIP} is refused with 422.
 */
public final class ServiceReconciler {
  private static final Logger log = LoggerFactory.getLogger(ServiceReconciler.class);
  private final KubernetesClient client;
  private final Set<String> ownedLabelKeys;

  /**
   * @param inheritableLabelKeys namespace labels that conventions may stamp on the Service: the
   *     operator owns these keys, so one the namespace no longer has is removed from the Service
   */
  public ServiceReconciler(KubernetesClient client, Collection<String> inheritableLabelKeys) {
    this.client = client;
    Set<String> owned = new TreeSet<>(Labels.RESERVED);
    owned.addAll(inheritableLabelKeys);
    this.ownedLabelKeys = Set.copyOf(owned);
  }

  /**
   * The Service after this pass, a problem the user must fix, if any, the changes made, and whether
   * the set's pods must wait: a set in conflict over a Service it names creates no pods, since they
   * would carry that Service's label and join it. {@code handover}, when not null, says what waits
   * for the rollout (see {@link SelectorHandover}).
   */
  public record Outcome(
      Service service, Problem problem, List<String> changes, boolean holdPods, String handover) {
    public Outcome(Service service, Problem problem, List<String> changes, boolean holdPods) {
      this(service, problem, changes, holdPods, null);
    }

    public Outcome(Service service, Problem problem, List<String> changes) {
      this(service, problem, changes, false);
    }

    Outcome handingOver(List<String> waiting) {
      return waiting.isEmpty()
          ? this
          : new Outcome(service, problem, changes, holdPods, String.join("; ", waiting));
    }
  }

  /**
   * @param desired the Service the set wants, as the Plan built it (empty when it wants none)
   * @param cached the Service the set names, from the informer cache (any Service of that name
   *     carrying the operator's managed-by label), if present
   * @param neighbours the sets of the namespace (the set itself may be among them)
   * @param owned the cached Services with an ownerReference to the set, whatever their name: one
   *     the set no longer names is left (its reference removed) or, when no other set owns it,
   *     deleted, once every pod of {@code pods} matches the selector of the Service it names now
   * @param pods the set's counted pods: the Service keeps selecting them (see {@link
   *     SelectorHandover})
   */
  public Outcome reconcile(
      LabeledAppSet set,
      Optional<Service> desired,
      Optional<Service> cached,
      List<LabeledAppSet> neighbours,
      List<Service> owned,
      List<Pod> pods) {
    List<String> changes = new ArrayList<>();
    List<String> waiting = leaveFormer(set, desired, owned, pods, changes);
    if (desired.isEmpty()) {
      return new Outcome(null, null, changes);
    }
    Service actual = cached.orElse(null);
    if (actual == null) {
      try {
        Service created = client.services().inNamespace(ns(set)).resource(desired.get()).create();
        log.info("Created Service {}/{}", ns(set), created.getMetadata().getName());
        changes.add("created Service " + Names.service(set));
        return new Outcome(created, null, changes).handingOver(waiting);
      } catch (KubernetesClientException e) {
        if (e.getCode() == 422 || e.getCode() == 400 || e.getCode() == 403) {
          return new Outcome(null, refused(set, e), changes).handingOver(waiting);
        }
        actual = existing(set, e);
      }
    }
    Service target =
        ownedBy(actual, set) ? SelectorHandover.target(desired.get(), actual, pods) : desired.get();
    if (!Objects.equals(target.getSpec().getSelector(), desired.get().getSpec().getSelector())) {
      waiting.add(SelectorHandover.switching(desired.get(), pods));
    }
    return (Names.namesService(set)
            ? named(set, target, actual, neighbours, changes)
            : ownService(set, target, actual, changes))
        .handingOver(waiting);
  }

  private static Problem refused(LabeledAppSet set, KubernetesClientException e) {
    return new Problem(
        "ServiceFailed",
        "the API server refused Service " + Names.service(set) + ": " + e.getStatus().getMessage());
  }

  /** After a create answered {@code e}: the Service that exists (409), else {@code e} is thrown. */
  private Service existing(LabeledAppSet set, KubernetesClientException e) {
    if (e.getCode() != 409) {
      throw e;
    }
    Service actual = client.services().inNamespace(ns(set)).withName(Names.service(set)).get();
    if (actual == null) {
      throw e;
    }
    return actual;
  }

  /**
   * Leaves (or deletes) the Services made for the set that it no longer names, once its pods all
   * match the Service it names now; returns what waits for them.
   */
  private List<String> leaveFormer(
      LabeledAppSet set,
      Optional<Service> desired,
      List<Service> owned,
      List<Pod> pods,
      List<String> changes) {
    List<String> waiting = new ArrayList<>();
    boolean podsMissed =
        desired.isPresent() && !SelectorHandover.missed(desired.get(), pods).isEmpty();
    for (Service former : owned) {
      if (madeForSets(former, set)
          && (desired.isEmpty() || !former.getMetadata().getName().equals(Names.service(set)))) {
        if (podsMissed) {
          waiting.add(
              SelectorHandover.keeping(former.getMetadata().getName(), desired.get(), pods));
        } else {
          leave(set, former, changes);
        }
      }
    }
    return waiting;
  }

  /** A Service of the set's own (no spec.service.name): it controls it alone. */
  private Outcome ownService(
      LabeledAppSet set, Service desired, Service actual, List<String> changes) {
    List<OwnerReference> others = setOwners(actual).stream().filter(r -> !isSet(r, set)).toList();
    boolean shared =
        actual.getSpec().getSelector() != null
            && actual.getSpec().getSelector().containsKey(Labels.SERVICE);
    if (!others.isEmpty() && shared) {
      return new Outcome(
          null,
          new Problem(
              "ServiceConflict",
              "Service "
                  + Names.service(set)
                  + " is shared by "
                  + describeSets(others)
                  + " (spec.service.name); set spec.service.name: "
                  + Names.service(set)
                  + " to share it too, or name another Service"),
          changes);
    }
    if (!ownedBy(actual, set)) {
      return new Outcome(null, conflict(set, actual), changes);
    }
    return write(set, desired, actual, changes);
  }

  /**
   * A Service the set names, which sets naming it share. The first of them (the first
   * ownerReference of a set still naming it) defines it: it writes the Service; the others join
   * (add their ownerReference) when their spec of it agrees, and are in conflict when it does not.
   */
  private Outcome named(
      LabeledAppSet set,
      Service desired,
      Service actual,
      List<LabeledAppSet> neighbours,
      List<String> changes) {
    String name = Names.service(set);
    boolean member = ownedBy(actual, set);
    if (!member && !shareable(actual, desired)) {
      return new Outcome(null, conflict(set, actual), changes);
    }
    Optional<LabeledAppSet> definer = definer(set, actual, neighbours);
    if (definer.isEmpty()) {
      return write(set, desired, actual, changes);
    }
    String difference =
        difference(desired, DesiredService.of(definer.get()).orElseThrow(), definer.get());
    if (difference != null) {
      return new Outcome(null, disagreeing(name, definer.get(), difference), changes, true);
    }
    if (member) {
      return new Outcome(actual, null, changes);
    }
    return join(set, actual, definer.get(), changes);
  }

  /**
   * The set that defines the Service {@code set} names: the first owner of {@code actual} before
   * {@code set} that still names it; empty when that is {@code set} itself. References are added as
   * sets join, so their order is the order the sets came (creation times have whole seconds only).
   */
  private static Optional<LabeledAppSet> definer(
      LabeledAppSet set, Service actual, List<LabeledAppSet> neighbours) {
    String name = Names.service(set);
    for (OwnerReference ref : setOwners(actual)) {
      if (isSet(ref, set)) {
        break;
      }
      Optional<LabeledAppSet> definer =
          neighbours.stream()
              .filter(s -> Objects.equals(s.getMetadata().getUid(), ref.getUid()))
              .filter(s -> Names.namesService(s) && Names.service(s).equals(name))
              .findFirst();
      if (definer.isPresent()) {
        return definer;
      }
    }
    return Optional.empty();
  }

  private static Problem disagreeing(String name, LabeledAppSet definer, String difference) {
    return new Problem(
        "ServiceConflict",
        "Service "
            + name
            + " is defined by set "
            + definer.getMetadata().getName()
            + " (the first set sharing it) and "
            + difference
            + "; the Service is left as it is and no pods are created until the two agree (or this set names"
            + " another Service)");
  }

  /** Adds the set's ownerReference to a Service another set defines, which it agrees with. */
  private Outcome join(
      LabeledAppSet set, Service actual, LabeledAppSet definer, List<String> changes) {
    String name = Names.service(set);
    Service joined =
        new ServiceBuilder(actual)
            .editMetadata()
            .addToOwnerReferences(DesiredService.ownerReference(set))
            .endMetadata()
            .build();
    Service updated;
    try {
      updated = update(set, joined);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 422 && e.getCode() != 400 && e.getCode() != 403) {
        throw e;
      }
      return new Outcome(
          actual,
          new Problem(
              "ServiceFailed",
              "the API server refused to add this set to"
                  + " Service "
                  + name
                  + ": "
                  + e.getStatus().getMessage()),
          changes,
          true);
    }
    log.info("Set {}/{} joined Service {}", ns(set), set.getMetadata().getName(), name);
    changes.add(
        "joined Service " + name + " (shared with " + definer.getMetadata().getName() + ")");
    return new Outcome(updated, null, changes);
  }

  /** Makes {@code actual} match {@code desired}, if it does not. */
  private Outcome write(LabeledAppSet set, Service desired, Service actual, List<String> changes) {
    if (ServiceFields.matches(desired, actual, ownedLabelKeys)) {
      return new Outcome(actual, null, changes);
    }
    Service merged = ServiceFields.merge(desired, actual, ownedLabelKeys);
    try {
      Service updated = client.services().inNamespace(ns(set)).resource(merged).update();
      log.info("Updated Service {}/{} to match the spec", ns(set), actual.getMetadata().getName());
      changes.add("updated Service " + Names.service(set));
      return new Outcome(updated, null, changes);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 422 || e.getCode() == 400 || e.getCode() == 403) {
        return new Outcome(
            actual,
            new Problem(
                "ServiceFailed",
                "the API server refused the update of Service "
                    + Names.service(set)
                    + ": "
                    + e.getStatus().getMessage()),
            changes);
      }
      throw e;
    }
  }

  /**
   * A Service the operator made for {@code set} (labeled as its own) or for sets naming it (labeled
   * with the shared Service's label): only such a Service is left or deleted when the set no longer
   * names it. Any other Service with a reference to the set (e.g. one a user ties to the set's
   * life) is not the operator's to remove.
   */
  static boolean madeForSets(Service service, LabeledAppSet set) {
    Map<String, String> labels = service.getMetadata().getLabels();
    return labels != null
        && (labels.containsKey(Labels.SERVICE)
            || set.getMetadata().getName().equals(labels.get(Labels.INSTANCE)));
  }

  /**
   * Removes the set's reference from a Service it no longer names; deletes it when no other set
   * owns it.
   */
  private void leave(LabeledAppSet set, Service former, List<String> changes) {
    String name = former.getMetadata().getName();
    List<OwnerReference> others = setOwners(former).stream().filter(r -> !isSet(r, set)).toList();
    if (others.isEmpty()) {
      client.services().inNamespace(ns(set)).resource(former).delete();
      log.info("Deleted Service {}/{} (no longer in the spec)", ns(set), name);
      changes.add("deleted Service " + name);
      return;
    }
    // an update with the cached resourceVersion: two sets leaving at once cannot both leave the
    // Service ownerless
    Service left =
        new ServiceBuilder(former)
            .editMetadata()
            .withOwnerReferences(
                former.getMetadata().getOwnerReferences().stream()
                    .filter(r -> !isSet(r, set))
                    .toList())
            .endMetadata()
            .build();
    client.services().inNamespace(ns(set)).resource(left).update();
    log.info("Set {}/{} left Service {}", ns(set), set.getMetadata().getName(), name);
    changes.add("left Service " + name + " (still used by " + describeSets(others) + ")");
  }

  /** An update of the Service; a 409 (someone wrote it meanwhile) is thrown and retried. */
  private Service update(LabeledAppSet set, Service service) {
    return client.services().inNamespace(ns(set)).resource(service).update();
  }

  /** True when {@code object} has an ownerReference, controller or not, to {@code set} (by uid). */
  public static boolean ownedBy(HasMetadata object, LabeledAppSet set) {
    return setOwners(object).stream().anyMatch(r -> isSet(r, set));
  }

  /** The object's ownerReferences to LabeledAppSets. */
  public static List<OwnerReference> setOwners(HasMetadata object) {
    return Owners.setOwners(object);
  }

  /**
   * A Service other sets may join: made by a set that names it (its selector is that of a named
   * Service).
   */
  private static boolean shareable(Service actual, Service desired) {
    Map<String, String> labels = actual.getMetadata().getLabels();
    return labels != null
        && Labels.MANAGER.equals(labels.get(Labels.MANAGED_BY))
        && !setOwners(actual).isEmpty()
        && Objects.equals(desired.getSpec().getSelector(), actual.getSpec().getSelector());
  }

  /**
   * What differs between the Service this set wants and the one the defining set wants, in words,
   * or null when they agree. Labels do not count (the same for every set naming the Service).
   */
  static String difference(Service mine, Service theirs, LabeledAppSet definer) {
    var m = mine.getSpec();
    var t = theirs.getSpec();
    String who = definer.getMetadata().getName();
    if (!Objects.equals(m.getType(), t.getType())) {
      return "its type differs (" + who + ": " + t.getType() + ", this set: " + m.getType() + ")";
    }
    if (!describe(m.getPorts()).equals(describe(t.getPorts()))) {
      return "its ports differ ("
          + who
          + ": "
          + describe(t.getPorts())
          + "; this set: "
          + describe(m.getPorts())
          + ")";
    }
    if (!Objects.equals(m.getExternalTrafficPolicy(), t.getExternalTrafficPolicy())) {
      return "its externalTrafficPolicy differs ("
          + who
          + ": "
          + t.getExternalTrafficPolicy()
          + ", this set: "
          + m.getExternalTrafficPolicy()
          + ")";
    }
    if (!Objects.equals(m.getLoadBalancerSourceRanges(), t.getLoadBalancerSourceRanges())
        || !Objects.equals(m.getLoadBalancerClass(), t.getLoadBalancerClass())) {
      return "its loadBalancerSourceRanges or loadBalancerClass differ";
    }
    if (!Objects.equals(
        mine.getMetadata().getAnnotations(), theirs.getMetadata().getAnnotations())) {
      return "its annotations differ";
    }
    return null;
  }

  /** Ports as {@code name:port->target/protocol}, with the requested node port. */
  private static String describe(List<ServicePort> ports) {
    return ports.stream()
        .map(
            p ->
                (p.getName() == null ? "" : p.getName() + ":")
                    + p.getPort()
                    + "->"
                    + (p.getTargetPort().getIntVal() != null
                        ? p.getTargetPort().getIntVal()
                        : p.getTargetPort().getStrVal())
                    + "/"
                    + p.getProtocol()
                    + (p.getNodePort() == null ? "" : " nodePort " + p.getNodePort()))
        .collect(Collectors.joining(", "));
  }

  private static String describeSets(List<OwnerReference> refs) {
    return (refs.size() == 1 ? "set " : "sets ")
        + refs.stream().map(OwnerReference::getName).sorted().collect(Collectors.joining(", "));
  }

  private static boolean isSet(OwnerReference ref, LabeledAppSet set) {
    return Objects.equals(ref.getUid(), set.getMetadata().getUid());
  }

  private static String ns(LabeledAppSet set) {
    return set.getMetadata().getNamespace();
  }

  private static Problem conflict(LabeledAppSet set, Service actual) {
    List<OwnerReference> owners = setOwners(actual);
    if (owners.isEmpty()
        || actual.getMetadata().getLabels() == null
        || !Labels.MANAGER.equals(actual.getMetadata().getLabels().get(Labels.MANAGED_BY))) {
      return new Problem(
          "ServiceConflict",
          "Service "
              + Names.service(set)
              + " already exists and is not controlled by this set; rename or delete it");
    }
    return new Problem(
        "ServiceConflict",
        "Service "
            + Names.service(set)
            + " belongs to "
            + describeSets(owners)
            + ", which "
            + (owners.size() == 1 ? "does" : "do")
            + " not share it (spec.service.name: "
            + Names.service(set)
            + " on both shares it); rename or delete it");
  }

  /**
   * The Service this pass would create ({@code create} true) or update to, if it writes one: what
   * the Validate stage asks the API server about before anything is written.
   */
  public record Write(Service service, boolean create) {}

  /**
   * See {@link Write}; empty when the Service is as desired, is to be deleted, or is not the set's.
   * {@code pods} are the set's counted pods, whose Service keeps its selector as {@link #reconcile}
   * does.
   */
  public Optional<Write> pendingWrite(
      LabeledAppSet set, Optional<Service> desired, Optional<Service> cached, List<Pod> pods) {
    if (desired.isEmpty() || (cached.isPresent() && !ownedBy(cached.get(), set))) {
      return Optional.empty();
    }
    if (cached.isEmpty()) {
      return Optional.of(new Write(desired.get(), true));
    }
    Service target = SelectorHandover.target(desired.get(), cached.get(), pods);
    return ServiceFields.matches(target, cached.get(), ownedLabelKeys)
        ? Optional.empty()
        : Optional.of(new Write(ServiceFields.merge(target, cached.get(), ownedLabelKeys), false));
  }
}

package io.labeledapps.operator.reconciler;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateRunning;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * What the informer caches keep of each object. No cached object is ever written back whole (pods
 * are created from desired state and released with a JSON patch naming one ownerReference, status
 * is patched, a Service update is built from desired state plus the fields carried over), so the
 * caches keep only what reconciling reads:
 *
 * <ul>
 *   <li>every object: all but {@code metadata.managedFields} (a tree of field names per writer);
 *   <li>pods ({@link #slimPod}): their identity, labels, annotations, owners and deletion mark,
 *       {@code spec.nodeName} and {@code nodeSelector}, and of their status the phase, the Ready
 *       and PodScheduled conditions and each container's state (running, or waiting and why). The
 *       rest of the spec (containers, volumes, tolerations, all defaulted by the server) is most of
 *       a pod, and is never read back: a pod's template is known by its hash annotation;
 *   <li>Endpoints ({@link #slimEndpoints}): the ready addresses, each with its IP and the pod it
 *       points to.
 * </ul>
 *
 * Status, diagnosis, selector handover, rollout and the pod plan read nothing else (CacheStoresTest
 * proves the same status and plan from a full and a slimmed pod). Low-cardinality strings
 * (condition types and statuses, phases, label and owner values shared by a set's pods, and
 * timestamps, whole seconds shared by the pods of a burst) are interned: each pod would otherwise
 * hold its own copies. Every object the copies make shares one empty map of unknown fields.
 */
public final class CacheStores {
  private CacheStores() {}

  /**
   * Objects an informer lists a page: each page goes to the cache as it comes, so a start never
   * holds a whole namespace's pods as served in one list answer (client-go's reflector pages by 500
   * too). Alone it did not lower the measured RSS of a restart at 10,000 pods: the informer still
   * handed out every listed pod whole (see {@link FullStateStore}; README, How memory grows).
   */
  public static final long LIST_PAGE = 500;

  /** The pod conditions anything reads ({@link PodState}, {@link PodDiagnosis}). */
  static final Set<String> POD_CONDITIONS = Set.of("Ready", "PodScheduled");

  /** The additionalProperties of every object the slim copies make (see {@link #bare}). */
  static final Map<String, Object> NONE = Map.of();

  /**
   * A store that drops managedFields, for an informer over {@code namespaces}; null (JOSDK's
   * default store) when that is several namespaces: JOSDK then runs one informer per namespace and
   * gives them all the same store, so a relist of one namespace would remove the objects of the
   * others.
   */
  public static <R extends HasMetadata> ItemStore<R> withoutManagedFields(Set<String> namespaces) {
    return transforming(namespaces, CacheStores::pruned);
  }

  /**
   * As {@link #withoutManagedFields}, keeping of each pod only what {@link #slimPod} keeps. The pod
   * the informer received is slimmed too ({@link #slimPodInPlace}).
   */
  public static ItemStore<Pod> slimPods(Set<String> namespaces) {
    return transforming(namespaces, CacheStores::slimPodInPlace);
  }

  /**
   * As {@link #withoutManagedFields}, keeping of each Endpoints only what {@link #slimEndpoints}
   * keeps. The Endpoints the informer received is slimmed too ({@link #slimEndpointsInPlace}).
   */
  public static ItemStore<Endpoints> slimEndpoints(Set<String> namespaces) {
    return transforming(namespaces, CacheStores::slimEndpointsInPlace);
  }

  private static <R extends HasMetadata> ItemStore<R> transforming(
      Set<String> namespaces, UnaryOperator<R> transform) {
    if (namespaces.size() != 1) {
      return null;
    }
    return new FullStateStore<>(transform);
  }

  /**
   * JOSDK's transforming store, saying that it holds the full state, which it does (every object
   * the informer listed or watched, transformed). JOSDK's says it does not, and fabric8's informer
   * then hands each object of its first list to the event handlers as it arrives, the object as the
   * server sent it: at a restart those notifications wait in the handlers' queue while JOSDK works
   * through them, some 10,000 whole pods at once at 10,000 pods (a restart's RSS came near the
   * 512Mi limit). Said true, fabric8 defers those adds until the list is complete and then hands
   * out the cached, transformed objects (ProcessorStore; ItemStore#isFullState). Nothing else reads
   * it (fabric8 7.5, JOSDK 5.2), and what JOSDK does with an added object (its owner references for
   * the set it belongs to, its resourceVersion and annotations against the temporary cache, the
   * index of a set's pods) the cached objects keep.
   */
  static final class FullStateStore<R extends HasMetadata> extends TransformingItemStore<R> {
    FullStateStore(UnaryOperator<R> transform) {
      super(transform);
    }

    @Override
    public boolean isFullState() {
      return true;
    }
  }

  /**
   * {@link #slimPod} of {@code pod}, and {@code pod} made to hold the slim copy's parts. After the
   * first list fabric8 hands the event handlers the object it received, not the cached one (a
   * watched change, or a relist: there is no hook there), so this is what keeps a burst of watch
   * events waiting for the handlers from holding whole pods. Nothing else holds the received pod.
   */
  static Pod slimPodInPlace(Pod pod) {
    return adopted(
        pod,
        slimPod(pod),
        (received, slim) -> {
          received.setSpec(slim.getSpec());
          received.setStatus(slim.getStatus());
          received.setAdditionalProperties(NONE);
        });
  }

  /** As {@link #slimPodInPlace}, for Endpoints. */
  static Endpoints slimEndpointsInPlace(Endpoints endpoints) {
    return adopted(
        endpoints,
        slimEndpoints(endpoints),
        (received, slim) -> {
          received.setSubsets(slim.getSubsets());
          received.setAdditionalProperties(NONE);
        });
  }

  /** {@code slim}, after {@code received} was made to hold its metadata and its other parts. */
  private static <R extends HasMetadata> R adopted(R received, R slim, BiConsumer<R, R> parts) {
    if (slim != null) {
      received.setMetadata(slim.getMetadata());
      parts.accept(received, slim);
    }
    return slim;
  }

  static <R extends HasMetadata> R pruned(R object) {
    if (object.getMetadata() != null) {
      object.getMetadata().setManagedFields(null);
    }
    return object;
  }

  /**
   * {@code slim}, given the apiVersion and slim metadata of {@code object} (its kind is its
   * class's, as fabric8's constructors set it).
   */
  private static <R extends HasMetadata> R identity(R object, R slim) {
    slim.setApiVersion(intern(object.getApiVersion()));
    slim.setMetadata(slimMeta(object.getMetadata()));
    return slim;
  }

  /** A new pod holding only what reconciling reads of {@code pod} (see the class comment). */
  public static Pod slimPod(Pod pod) {
    if (pod == null) {
      return null;
    }
    Pod slim = identity(pod, bare(new Pod(), Pod::setAdditionalProperties));
    slim.setSpec(pod.getSpec() == null ? null : slimSpec(pod.getSpec()));
    slim.setStatus(pod.getStatus() == null ? null : slimStatus(pod.getStatus()));
    return slim;
  }

  private static PodSpec slimSpec(PodSpec spec) {
    PodSpec s = bare(new PodSpec(), PodSpec::setAdditionalProperties);
    s.setNodeName(intern(spec.getNodeName()));
    s.setNodeSelector(
        spec.getNodeSelector() == null || spec.getNodeSelector().isEmpty()
            ? null
            : internedMap(spec.getNodeSelector()));
    // fabric8 initializes these lists; empty ones would still cost an ArrayList each
    s.setContainers(null);
    s.setInitContainers(null);
    s.setVolumes(null);
    s.setTolerations(null);
    s.setEphemeralContainers(null);
    s.setHostAliases(null);
    s.setImagePullSecrets(null);
    s.setReadinessGates(null);
    s.setResourceClaims(null);
    s.setSchedulingGates(null);
    s.setTopologySpreadConstraints(null);
    return s;
  }

  private static PodStatus slimStatus(PodStatus status) {
    PodStatus s = bare(new PodStatus(), PodStatus::setAdditionalProperties);
    s.setPhase(intern(status.getPhase()));
    s.setConditions(
        status.getConditions() == null
            ? null
            : status.getConditions().stream()
                .filter(c -> POD_CONDITIONS.contains(c.getType()))
                .map(CacheStores::slimCondition)
                .toList());
    s.setContainerStatuses(slimContainers(status.getContainerStatuses()));
    s.setInitContainerStatuses(slimContainers(status.getInitContainerStatuses()));
    s.setEphemeralContainerStatuses(null);
    s.setPodIPs(null);
    s.setHostIPs(null);
    s.setResourceClaimStatuses(null);
    return s;
  }

  private static ObjectMeta slimMeta(ObjectMeta m) {
    if (m == null) {
      return null;
    }
    ObjectMeta meta = bare(new ObjectMeta(), ObjectMeta::setAdditionalProperties);
    meta.setName(m.getName());
    meta.setNamespace(intern(m.getNamespace()));
    meta.setUid(m.getUid());
    meta.setResourceVersion(m.getResourceVersion());
    meta.setGeneration(m.getGeneration());
    meta.setCreationTimestamp(intern(m.getCreationTimestamp()));
    meta.setDeletionTimestamp(m.getDeletionTimestamp());
    meta.setDeletionGracePeriodSeconds(m.getDeletionGracePeriodSeconds());
    meta.setLabels(m.getLabels() == null ? null : internedMap(m.getLabels()));
    meta.setAnnotations(m.getAnnotations() == null ? null : internedMap(m.getAnnotations()));
    meta.setOwnerReferences(
        m.getOwnerReferences() == null
            ? null
            : m.getOwnerReferences().stream().map(CacheStores::slimOwner).toList());
    meta.setFinalizers(
        m.getFinalizers() == null || m.getFinalizers().isEmpty() ? null : m.getFinalizers());
    meta.setManagedFields(null);
    return meta;
  }

  private static OwnerReference slimOwner(OwnerReference r) {
    return bare(
        new OwnerReference(
            intern(r.getApiVersion()),
            r.getBlockOwnerDeletion(),
            r.getController(),
            intern(r.getKind()),
            intern(r.getName()),
            intern(r.getUid())),
        OwnerReference::setAdditionalProperties);
  }

  private static PodCondition slimCondition(PodCondition c) {
    PodCondition slim = bare(new PodCondition(), PodCondition::setAdditionalProperties);
    slim.setType(intern(c.getType()));
    slim.setStatus(intern(c.getStatus()));
    slim.setReason(intern(c.getReason()));
    slim.setMessage(c.getMessage());
    slim.setLastTransitionTime(intern(c.getLastTransitionTime()));
    return slim;
  }

  private static List<ContainerStatus> slimContainers(List<ContainerStatus> statuses) {
    if (statuses == null || statuses.isEmpty()) {
      return null;
    }
    return statuses.stream().map(CacheStores::slimContainer).toList();
  }

  private static ContainerStatus slimContainer(ContainerStatus cs) {
    ContainerStatus slim = bare(new ContainerStatus(), ContainerStatus::setAdditionalProperties);
    slim.setName(intern(cs.getName()));
    slim.setReady(cs.getReady());
    slim.setVolumeMounts(null);
    slim.setAllocatedResourcesStatus(null);
    ContainerState state = cs.getState();
    if (state != null) {
      ContainerState s = bare(new ContainerState(), ContainerState::setAdditionalProperties);
      if (state.getRunning() != null) {
        s.setRunning(
            bare(new ContainerStateRunning(), ContainerStateRunning::setAdditionalProperties));
      }
      if (state.getWaiting() != null) {
        s.setWaiting(
            bare(
                new ContainerStateWaiting(null, intern(state.getWaiting().getReason())),
                ContainerStateWaiting::setAdditionalProperties));
      }
      slim.setState(s);
    }
    return slim;
  }

  /** A new Endpoints holding only the ready addresses' IPs and target pod names. */
  public static Endpoints slimEndpoints(Endpoints endpoints) {
    if (endpoints == null) {
      return null;
    }
    Endpoints slim = identity(endpoints, bare(new Endpoints(), Endpoints::setAdditionalProperties));
    slim.setSubsets(
        endpoints.getSubsets() == null
            ? null
            : endpoints.getSubsets().stream().map(CacheStores::slimSubset).toList());
    return slim;
  }

  private static EndpointSubset slimSubset(EndpointSubset subset) {
    EndpointSubset s = bare(new EndpointSubset(), EndpointSubset::setAdditionalProperties);
    s.setAddresses(
        subset.getAddresses() == null
            ? null
            : subset.getAddresses().stream().map(CacheStores::slimAddress).toList());
    s.setNotReadyAddresses(null);
    s.setPorts(null);
    return s;
  }

  private static EndpointAddress slimAddress(EndpointAddress a) {
    EndpointAddress address = bare(new EndpointAddress(), EndpointAddress::setAdditionalProperties);
    address.setIp(a.getIp());
    if (a.getTargetRef() != null) {
      ObjectReference ref = bare(new ObjectReference(), ObjectReference::setAdditionalProperties);
      ref.setKind(intern(a.getTargetRef().getKind()));
      ref.setName(a.getTargetRef().getName());
      address.setTargetRef(ref);
    }
    return address;
  }

  /**
   * {@code object} with the one shared empty map as its additionalProperties. fabric8 gives every
   * model object a LinkedHashMap of its own for the fields it does not know (about 56 bytes, nearly
   * always empty, some ten a pod); an empty map equals any other, so a slim object still equals one
   * built afresh. Nothing puts into a cached object's map (it would throw).
   */
  private static <T> T bare(T object, BiConsumer<T, Map<String, Object>> setAdditionalProperties) {
    setAdditionalProperties.accept(object, NONE);
    return object;
  }

  private static Map<String, String> internedMap(Map<String, String> map) {
    Map<String, String> copy = new LinkedHashMap<>(Math.max(2, (int) (map.size() / 0.75f) + 1));
    map.forEach((k, v) -> copy.put(intern(k), intern(v)));
    return copy;
  }

  private static String intern(String s) {
    return s == null ? null : s.intern();
  }
}

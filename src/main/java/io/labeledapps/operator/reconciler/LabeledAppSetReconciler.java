package io.labeledapps.operator.reconciler;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetStatus;
import io.labeledapps.operator.config.OperatorConfig;
import io.labeledapps.operator.conventions.ConventionsConfig;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.model.Names;
import io.labeledapps.operator.model.Owners;
import io.labeledapps.operator.observability.EventRecorder;
import io.labeledapps.operator.observability.OperatorMetrics;
import io.labeledapps.operator.validation.ServerDryRun;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a set's pods and Service match its spec, then writes its status when it changed. Pods are
 * managed here rather than by a bulk dependent resource: creates must run in parallel and pods are
 * replaced, never updated.
 */
@ControllerConfiguration(name = LabeledAppSetReconciler.NAME)
public class LabeledAppSetReconciler implements Reconciler<LabeledAppSet> {
  public static final String NAME = "labeledappset";
  private static final Logger log = LoggerFactory.getLogger(LabeledAppSetReconciler.class);
  private static final Duration NAMESPACE_RECHECK = Duration.ofSeconds(1);

  /**
   * A template the API server refused is asked about again after this, should nothing watched
   * change.
   */
  private static final Duration REFUSAL_TTL = Duration.ofMinutes(10);

  /** The annotation that stops all changes to a set's pods and Service. */
  public static final String PAUSED_ANNOTATION = "labeledapps.io/paused";

  private final Clock clock;
  private final PodExpectations expectations = new PodExpectations(Duration.ofSeconds(60));

  /**
   * The status this operator last wrote per set (by uid). The operator is the only writer of
   * status, so this is the truth even while the informer cache still shows an older one.
   */
  private final WrittenStatuses written = new WrittenStatuses();

  private volatile Duration resync = Duration.ofSeconds(new OperatorConfig().resyncSeconds);

  /**
   * Set before the operator stops: its caches are being emptied, so nothing a pass sees is true any
   * more.
   */
  private volatile boolean stopping;

  private volatile ServiceReconciler serviceReconciler;
  private final KubernetesClient client;
  private final ReevaluationEventSource reevaluation = new ReevaluationEventSource();
  private volatile EventSourceContext<LabeledAppSet> eventSourceContext;
  private final EventRecorder events;
  private final Observe observe;
  private final Validate validate;
  private final Apply apply;
  private final UpdateStatus updateStatus;
  private final Report report;
  private final OperatorMetrics metrics;
  private volatile ConventionsConfig conventions;
  private volatile Observe.Caches caches;
  private volatile DisruptionBudgetReconciler budgetReconciler;

  /**
   * @param client the operator's client
   * @param podPool runs pod creates and deletes; its size bounds how many run at once
   */
  public LabeledAppSetReconciler(
      KubernetesClient client,
      PodWriters podPool,
      OperatorMetrics metrics,
      ConventionsConfig conventions,
      Clock clock) {
    this(
        client,
        podPool,
        metrics,
        conventions,
        clock,
        new CreateRateLimiter(
            new OperatorConfig().podCreateBurst,
            new OperatorConfig().podCreateRate,
            System::nanoTime));
  }

  /** Every set is reconciled at least this often (JOSDK's maximum reconciliation interval). */
  public void resyncEvery(Duration period) {
    this.resync = period;
  }

  /**
   * @param createLimiter the token bucket every pod create of every set goes through
   */
  public LabeledAppSetReconciler(
      KubernetesClient client,
      PodWriters podPool,
      OperatorMetrics metrics,
      ConventionsConfig conventions,
      Clock clock,
      CreateRateLimiter createLimiter) {
    this.clock = clock;
    this.client = client;
    this.conventions = conventions;
    this.metrics = metrics;
    this.serviceReconciler = new ServiceReconciler(client, conventions.inheritedNamespaceLabels);
    this.events = new EventRecorder(client);
    metrics.eventsDropped(events);
    this.observe = new Observe(expectations, written);
    this.validate = new Validate(new ServerDryRun(client, REFUSAL_TTL, metrics::dryRun));
    this.apply =
        new Apply(
            new PodReconciler(client, podPool, expectations, metrics, clock, createLimiter),
            expectations,
            clock);
    this.updateStatus = new UpdateStatus(new StatusWriter(client), written);
    this.report = new Report(events, metrics);
  }

  /**
   * Which updates of a set trigger a reconcile: a spec change (generation), an annotation change
   * (pause), or a status this operator did not write. The operator's own status writes do not.
   */
  public boolean needsReconcile(LabeledAppSet newSet, LabeledAppSet oldSet) {
    return specOrAnnotationsChanged(newSet, oldSet)
        || written.statusChangedByOthers(newSet, oldSet);
  }

  static boolean specOrAnnotationsChanged(LabeledAppSet newSet, LabeledAppSet oldSet) {
    return !java.util.Objects.equals(
            newSet.getMetadata().getGeneration(), oldSet.getMetadata().getGeneration())
        || !java.util.Objects.equals(
            newSet.getMetadata().getAnnotations(), oldSet.getMetadata().getAnnotations());
  }

  /** New conventions from a changed configuration file: every set is evaluated again at once. */
  public void updateConventions(ConventionsConfig updated) {
    this.conventions = updated;
    this.serviceReconciler = new ServiceReconciler(client, updated.inheritedNamespaceLabels);
    var context = eventSourceContext;
    if (context != null) {
      reevaluation.reevaluate(context.getPrimaryCache().list().map(ResourceID::fromResource));
    }
  }

  /**
   * The operator is about to stop: from now on no pass writes anything (pods, Service, status,
   * events). JOSDK stops the informers while passes still run, and their emptied caches would show
   * every namespace and pod as gone.
   */
  public void stopping() {
    stopping = true;
  }

  /**
   * Writes the events still waiting, then stops writing events (after the operator has stopped).
   */
  public void close() {
    events.close();
  }

  /** Drops what the operator remembers about a set that was deleted. */
  public void forget(ResourceID set) {
    String ns = set.getNamespace().orElse("");
    String key = PodExpectations.key(ns, set.getName());
    expectations.forget(key);
    report.forget(key);
    updateStatus.forget(key);
    validate.forget(ns, set.getName());
    var cache = eventSourceContext;
    if (cache != null) {
      // keep the statuses of sets that still exist
      java.util.Set<String> live =
          cache
              .getPrimaryCache()
              .list()
              .map(p -> p.getMetadata().getUid())
              .collect(Collectors.toSet());
      written.retain(live);
    }
    metrics.forget(ns, set.getName());
  }

  @Override
  public List<EventSource<?, LabeledAppSet>> prepareEventSources(
      EventSourceContext<LabeledAppSet> context) {
    this.eventSourceContext = context;
    Set<String> watched = context.getControllerConfiguration().getInformerConfig().getNamespaces();
    // the server's PodDisruptionBudget version is asked once: policy/v1 or, before 1.21,
    // policy/v1beta1
    budgetReconciler =
        new DisruptionBudgetReconciler(client, DisruptionBudgetReconciler.servedVersion(client));
    Observe.Caches informers =
        new Observe.Caches(
            podInformer(context, watched),
            indexedServices(context, watched),
            serviceInformer(
                Endpoints.class, "endpoints", context, CacheStores.slimEndpoints(watched)),
            namespaceInformer(
                Namespace.class, "namespaces", context, Set.of(Constants.WATCH_ALL_NAMESPACES)),
            namespaceInformer(ResourceQuota.class, "resourcequotas", context, watched),
            new InformerEventSource<>(
                InformerEventSourceConfiguration.from(
                        budgetReconciler.groupVersionKind(), LabeledAppSet.class)
                    .withName("poddisruptionbudgets")
                    .withItemStore(
                        CacheStores.<GenericKubernetesResource>withoutManagedFields(watched))
                    .withLabelSelector(Labels.MANAGED_SELECTOR)
                    .withNamespacesInheritedFromController()
                    .build(),
                context));
    this.caches = informers;
    return List.of(
        informers.pods(),
        informers.services(),
        informers.endpoints(),
        informers.namespaces(),
        informers.quotas(),
        informers.disruptionBudgets(),
        reevaluation);
  }

  /**
   * The Services, indexed by their owning sets' uids, so that a pass finds the Services its set
   * owns without scanning the namespace's; and the sets, indexed by the Service they name, so that
   * a Service or Endpoints event finds its sets without asking every set of the namespace (the two
   * scans were two thirds of the operator's CPU at 2,000 sets, JFR).
   */
  private static InformerEventSource<Service, LabeledAppSet> indexedServices(
      EventSourceContext<LabeledAppSet> context, Set<String> watched) {
    context.getPrimaryCache().addIndexer(Names.BY_SERVICE, Names::serviceKeys);
    InformerEventSource<Service, LabeledAppSet> services =
        serviceInformer(
            Service.class, "services", context, CacheStores.withoutManagedFields(watched));
    services.addIndexers(java.util.Map.of(Owners.BY_SET_OWNER, Owners::setOwnerUids));
    return services;
  }

  private InformerEventSource<Pod, LabeledAppSet> podInformer(
      EventSourceContext<LabeledAppSet> context, Set<String> watched) {
    InformerEventSource<Pod, LabeledAppSet> pods =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Pod.class, LabeledAppSet.class)
                .withName("pods")
                .withItemStore(CacheStores.slimPods(watched))
                .withInformerListLimit(CacheStores.LIST_PAGE)
                .withLabelSelector(Labels.MANAGED_SELECTOR)
                .withNamespacesInheritedFromController()
                // a pod created and deleted again between two reconciles must not hold its set up
                // until
                // the expectation expires
                .withOnDeleteFilter((pod, unknown) -> observeGone(pod))
                .build(),
            context);
    // a pass reads its set's pods through an index on their controller's uid: JOSDK's
    // getSecondaryResources collects them into a Set (twice), hashing every pod, quantities and
    // all,
    // on every pass: a tenth of the operator's CPU during a 500-pod burst (JFR)
    pods.addIndexers(
        java.util.Map.of(
            io.labeledapps.operator.status.PodState.BY_CONTROLLER,
            io.labeledapps.operator.status.PodState::controllerUids));
    return pods;
  }

  /**
   * Services, and their Endpoints: the endpoints controller copies the Service's labels, so the
   * same selector finds them; it copies no ownerReferences, so the sets naming the Service are
   * found by name. A Service concerns the sets owning it and those naming it (one in conflict waits
   * for it to go).
   */
  private static <R extends HasMetadata> InformerEventSource<R, LabeledAppSet> serviceInformer(
      Class<R> type, String name, EventSourceContext<LabeledAppSet> context, ItemStore<R> store) {
    SecondaryToPrimaryMapper<R> namingOrOwning =
        object -> {
          Set<ResourceID> sets =
              context
                  .getPrimaryCache()
                  .byIndex(
                      Names.BY_SERVICE,
                      Names.serviceKey(
                          object.getMetadata().getNamespace(), object.getMetadata().getName()))
                  .stream()
                  .map(ResourceID::fromResource)
                  .collect(Collectors.toCollection(java.util.HashSet::new));
          Owners.setOwners(object)
              .forEach(
                  r -> sets.add(new ResourceID(r.getName(), object.getMetadata().getNamespace())));
          return sets;
        };
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(type, LabeledAppSet.class)
            .withName(name)
            .withItemStore(store)
            .withInformerListLimit(CacheStores.LIST_PAGE)
            .withLabelSelector(Labels.MANAGED_SELECTOR)
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(namingOrOwning)
            .build(),
        context);
  }

  /** Namespaces, or their quotas: one changing re-evaluates every set in the namespace. */
  private static <R extends HasMetadata> InformerEventSource<R, LabeledAppSet> namespaceInformer(
      Class<R> type,
      String name,
      EventSourceContext<LabeledAppSet> context,
      Set<String> namespaces) {
    SecondaryToPrimaryMapper<R> setsInNamespace =
        object ->
            context
                .getPrimaryCache()
                .list(
                    object instanceof Namespace
                        ? object.getMetadata().getName()
                        : object.getMetadata().getNamespace())
                .map(ResourceID::fromResource)
                .collect(Collectors.toSet());
    var config =
        InformerEventSourceConfiguration.from(type, LabeledAppSet.class)
            .withName(name)
            .withItemStore(CacheStores.<R>withoutManagedFields(namespaces))
            .withSecondaryToPrimaryMapper(setsInNamespace);
    var scoped =
        type == Namespace.class
            ? config.withWatchAllNamespaces()
            : config.withNamespacesInheritedFromController();
    return new InformerEventSource<>(scoped.build(), context);
  }

  private boolean observeGone(Pod pod) {
    String owner = Owners.controllerName(pod);
    if (owner != null) {
      expectations.observedGone(PodExpectations.key(pod.getMetadata().getNamespace(), owner), pod);
    }
    return true;
  }

  private static UpdateControl<LabeledAppSet> leftForNextStart(LabeledAppSet set) {
    log.debug(
        "Operator stopping: LabeledAppSet {} is left for the next start",
        ResourceID.fromResource(set));
    return UpdateControl.noUpdate();
  }

  /**
   * One pass, in five stages over records: Observe (read the caches once), Validate (the rules, the
   * conventions, the quotas and, once the plan says what would be written, the API server's
   * dry-run), Plan (desired pods and Service, creates, deletes, rollout steps), Apply (the writes)
   * and the Status (computed, reported, written if changed).
   */
  @Override
  public UpdateControl<LabeledAppSet> reconcile(LabeledAppSet set, Context<LabeledAppSet> context) {
    if (stopping) {
      return leftForNextStart(set);
    }
    Observed seen = observe.read(set, context, caches, conventions, clock.instant());
    report.readable(
        set, PodExpectations.key(set.getMetadata().getNamespace(), set.getMetadata().getName()));
    if (seen == null) {
      // a set exists only in a namespace that exists: the cache has not seen it yet, or is being
      // emptied by a stop. Not a verdict to report; look again shortly.
      log.debug(
          "Namespace of LabeledAppSet {} not in the cache yet; retrying",
          ResourceID.fromResource(set));
      return UpdateControl.<LabeledAppSet>noUpdate().rescheduleAfter(NAMESPACE_RECHECK);
    }
    ServiceReconciler services = serviceReconciler;
    Validate.Verdict verdict = Validate.check(seen);
    Plan plan = Plan.of(seen, verdict, services);
    verdict = Validate.quotas(seen, verdict, plan);
    if (stopping) {
      // the caches read above may already be emptied by the stop
      return UpdateControl.noUpdate();
    }
    verdict = validate.admit(seen, verdict, plan);
    Applied done = apply.run(seen, verdict, plan, services, budgetReconciler);
    LabeledAppSetStatus status = UpdateStatus.compute(seen, verdict, plan, done);
    report.unanswered(verdict);
    if (stopping) {
      // what this pass wrote stands; its status and events would describe half-stopped caches
      return UpdateControl.noUpdate();
    }
    report.pass(
        seen,
        verdict,
        done,
        status,
        context.getPrimaryCache().get(ResourceID.fromResource(set)).isPresent());
    return updateStatus.write(seen, verdict, plan, done, status, resync);
  }
}

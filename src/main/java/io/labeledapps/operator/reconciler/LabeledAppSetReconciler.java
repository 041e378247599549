package io.labeledapps.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.labeledapps.operator.conventions.ConventionVerdict;
import io.labeledapps.operator.conventions.ConventionViolation;
import io.labeledapps.operator.conventions.ConventionsConfig;
import io.labeledapps.operator.conventions.QuotaPreflight;
import java.util.Set;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.LabeledAppSetStatus;
import io.labeledapps.operator.config.OperatorConfig;
import io.labeledapps.operator.model.DesiredPods;
import io.labeledapps.operator.model.Labels;
import io.labeledapps.operator.model.Names;
import io.labeledapps.operator.observability.EventRecorder;
import io.labeledapps.operator.observability.OperatorMetrics;
import io.labeledapps.operator.validation.ServerDryRun;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
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
  private static final Duration PENDING_RECHECK = Duration.ofSeconds(5);
  private static final Duration FAILED_CREATE_RECHECK = Duration.ofSeconds(30);
  private static final Duration NAMESPACE_RECHECK = Duration.ofSeconds(1);
  /** A template the API server refused is asked about again after this, should nothing watched change. */
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
  /** The last problem warned about per set: a reconcile on a cache without our last status write must not warn again. */
  private final java.util.Map<String, String> lastWarning = new java.util.concurrent.ConcurrentHashMap<>();
  /** Per set, the uid/generation whose unreadable spec was logged and counted: once, not every pass. */
  private final java.util.Map<String, String> reportedUnreadable = new java.util.concurrent.ConcurrentHashMap<>();
  /** Per set, the resourceVersion whose status write the server refused because of its stored spec. */
  private final java.util.Map<String, String> statusRefused = new java.util.concurrent.ConcurrentHashMap<>();
  /** Set before the operator stops: its caches are being emptied, so nothing a pass sees is true any more. */
  private volatile boolean stopping;
  private final PodReconciler podReconciler;
  private volatile ServiceReconciler serviceReconciler;
  private final KubernetesClient client;
  private final ReevaluationEventSource reevaluation = new ReevaluationEventSource();
  private volatile EventSourceContext<LabeledAppSet> eventSourceContext;
  private final EventRecorder events;
  private final StatusWriter statusWriter;
  private final Validate validate;
  private final OperatorMetrics metrics;
  private volatile ConventionsConfig conventions;
  private InformerEventSource<Pod, LabeledAppSet> pods;
  private InformerEventSource<Service, LabeledAppSet> services;
  private InformerEventSource<Endpoints, LabeledAppSet> endpoints;
  private InformerEventSource<Namespace, LabeledAppSet> namespaces;
  private InformerEventSource<ResourceQuota, LabeledAppSet> quotas;
  private InformerEventSource<GenericKubernetesResource, LabeledAppSet> disruptionBudgets;
  private volatile DisruptionBudgetReconciler budgetReconciler;

  /**
   * @param client the operator's client
   * @param podPool runs pod creates and deletes; its size bounds how many run at once
   */
  public LabeledAppSetReconciler(KubernetesClient client, ExecutorService podPool, OperatorMetrics metrics,
      ConventionsConfig conventions, Clock clock) {
    this(client, podPool, metrics, conventions, clock, new CreateRateLimiter(
        new OperatorConfig().podCreateBurst, new OperatorConfig().podCreateRate, System::nanoTime));
  }

  /** Every set is reconciled at least this often (JOSDK's maximum reconciliation interval). */
  public void resyncEvery(Duration period) {
    this.resync = period;
  }

  /** @param createLimiter the token bucket every pod create of every set goes through */
  public LabeledAppSetReconciler(KubernetesClient client, ExecutorService podPool, OperatorMetrics metrics,
      ConventionsConfig conventions, Clock clock, CreateRateLimiter createLimiter) {
    this.clock = clock;
    this.client = client;
    this.conventions = conventions;
    this.metrics = metrics;
    this.podReconciler = new PodReconciler(client, podPool, expectations, metrics, clock, createLimiter);
    this.serviceReconciler = new ServiceReconciler(client, conventions.inheritedNamespaceLabels);
    this.events = new EventRecorder(client);
    metrics.eventsDropped(events);
    this.statusWriter = new StatusWriter(client);
    this.validate = new Validate(new ServerDryRun(client, REFUSAL_TTL, metrics::dryRun));
  }

  /**
   * Which updates of a set trigger a reconcile: a spec change (generation), an annotation change
   * (pause), or a status this operator did not write. The operator's own status writes do not.
   */
  public boolean needsReconcile(LabeledAppSet newSet, LabeledAppSet oldSet) {
    return specOrAnnotationsChanged(newSet, oldSet) || written.statusChangedByOthers(newSet, oldSet);
  }

  static boolean specOrAnnotationsChanged(LabeledAppSet newSet, LabeledAppSet oldSet) {
    return !java.util.Objects.equals(newSet.getMetadata().getGeneration(), oldSet.getMetadata().getGeneration())
        || !java.util.Objects.equals(newSet.getMetadata().getAnnotations(), oldSet.getMetadata().getAnnotations());
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
   * events). JOSDK stops the informers while passes still run, and their emptied caches would
   * show every namespace and pod as gone.
   */
  public void stopping() {
    stopping = true;
  }

  /** Writes the events still waiting, then stops writing events (after the operator has stopped). */
  public void close() {
    events.close();
  }

  /** Drops what the operator remembers about a set that was deleted. */
  public void forget(ResourceID set) {
    String ns = set.getNamespace().orElse("");
    expectations.forget(PodExpectations.key(ns, set.getName()));
    lastWarning.remove(PodExpectations.key(ns, set.getName()));
    reportedUnreadable.remove(PodExpectations.key(ns, set.getName()));
    statusRefused.remove(PodExpectations.key(ns, set.getName()));
    validate.forget(ns, set.getName());
    var cache = eventSourceContext;
    if (cache != null) {
      // keep the statuses of sets that still exist
      java.util.Set<String> live = cache.getPrimaryCache().list().map(p -> p.getMetadata().getUid())
          .collect(Collectors.toSet());
      written.retain(live);
    }
    metrics.forget(ns, set.getName());
  }

  @Override
  public List<EventSource<?, LabeledAppSet>> prepareEventSources(EventSourceContext<LabeledAppSet> context) {
    this.eventSourceContext = context;
    Set<String> watched = context.getControllerConfiguration().getInformerConfig().getNamespaces();
    pods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, LabeledAppSet.class)
        .withName("pods")
        .withItemStore(CacheStores.slimPods(watched))
        .withLabelSelector(Labels.MANAGED_SELECTOR)
        .withNamespacesInheritedFromController()
        // a pod created and deleted again between two reconciles must not hold its set up until
        // the expectation expires
        .withOnDeleteFilter((pod, unknown) -> observeGone(pod))
        .build(), context);
    // a Service concerns the sets owning it and those naming it (one in conflict waits for it to go)
    SecondaryToPrimaryMapper<HasMetadata> namingOrOwning = object -> {
      Set<ResourceID> sets = context.getPrimaryCache().list(object.getMetadata().getNamespace())
          .filter(s -> Names.service(s).equals(object.getMetadata().getName()))
          .map(ResourceID::fromResource)
          .collect(Collectors.toCollection(java.util.HashSet::new));
      ServiceReconciler.setOwners(object)
          .forEach(r -> sets.add(new ResourceID(r.getName(), object.getMetadata().getNamespace())));
      return sets;
    };
    services = new InformerEventSource<>(InformerEventSourceConfiguration.from(Service.class, LabeledAppSet.class)
        .withName("services")
        .withItemStore(CacheStores.withoutManagedFields(watched))
        .withLabelSelector(Labels.MANAGED_SELECTOR)
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(namingOrOwning::toPrimaryResourceIDs)
        .build(), context);
    // the endpoints controller copies the Service's labels, so the same selector finds them; it copies
    // no ownerReferences, so the sets naming the Service are found by name
    endpoints = new InformerEventSource<>(InformerEventSourceConfiguration.from(Endpoints.class, LabeledAppSet.class)
        .withName("endpoints")
        .withItemStore(CacheStores.slimEndpoints(watched))
        .withLabelSelector(Labels.MANAGED_SELECTOR)
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(namingOrOwning::toPrimaryResourceIDs)
        .build(), context);
    // a namespace's labels and annotations, or its quotas, changing re-evaluates every set in it
    SecondaryToPrimaryMapper<HasMetadata> setsInNamespace = object -> context.getPrimaryCache()
        .list(object instanceof Namespace ? object.getMetadata().getName() : object.getMetadata().getNamespace())
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
    namespaces = new InformerEventSource<>(InformerEventSourceConfiguration.from(Namespace.class, LabeledAppSet.class)
        .withName("namespaces")
        .withItemStore(CacheStores.withoutManagedFields(Set.of(Constants.WATCH_ALL_NAMESPACES)))
        .withWatchAllNamespaces()
        .withSecondaryToPrimaryMapper(setsInNamespace::toPrimaryResourceIDs)
        .build(), context);
    quotas = new InformerEventSource<>(InformerEventSourceConfiguration.from(ResourceQuota.class, LabeledAppSet.class)
        .withName("resourcequotas")
        .withItemStore(CacheStores.withoutManagedFields(watched))
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(setsInNamespace::toPrimaryResourceIDs)
        .build(), context);
    // the server's PodDisruptionBudget version is asked once: policy/v1 or, before 1.21, policy/v1beta1
    budgetReconciler = new DisruptionBudgetReconciler(client, DisruptionBudgetReconciler.servedVersion(client));
    disruptionBudgets = new InformerEventSource<>(InformerEventSourceConfiguration
        .from(budgetReconciler.groupVersionKind(), LabeledAppSet.class)
        .withName("poddisruptionbudgets")
        .withItemStore(CacheStores.<GenericKubernetesResource>withoutManagedFields(watched))
        .withLabelSelector(Labels.MANAGED_SELECTOR)
        .withNamespacesInheritedFromController()
        .build(), context);
    return List.of(pods, services, endpoints, namespaces, quotas, disruptionBudgets, reevaluation);
  }

  private boolean observeGone(Pod pod) {
    String owner = controllerName(pod);
    if (owner != null) {
      expectations.observedGone(PodExpectations.key(pod.getMetadata().getNamespace(), owner), pod);
    }
    return true;
  }

  private static String controllerName(HasMetadata object) {
    List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
    if (refs == null) {
      return null;
    }
    return refs.stream()
        .filter(r -> Boolean.TRUE.equals(r.getController()) && "LabeledAppSet".equals(r.getKind()))
        .map(OwnerReference::getName).findFirst().orElse(null);
  }

  @Override
  public UpdateControl<LabeledAppSet> reconcile(LabeledAppSet set, Context<LabeledAppSet> context) {
    String ns = set.getMetadata().getNamespace();
    String name = set.getMetadata().getName();
    String key = PodExpectations.key(ns, name);
    if (stopping) {
      log.debug("Operator stopping: LabeledAppSet {}/{} is left for the next start", ns, name);
      return UpdateControl.noUpdate();
    }
    Instant now = clock.instant();
    // reconcile gets its own copy of the cached set: the last status written replaces one the
    // cache has not caught up with
    set.setStatus(written.current(set));
    // before the cache: a pod arriving between the two reads is then in at least one of them
    Set<String> creating = expectations.creating(key);
    List<Pod> answered = expectations.answered(key, now);
    List<Pod> cached = context.getSecondaryResources(Pod.class).stream()
        .filter(p -> PodState.isControlledBy(p, set))
        .toList();
    // the cache plus pods created by an earlier pass that it does not show yet: a status written
    // meanwhile counts every pod that exists
    List<Pod> owned = withAnswered(set, cached, answered, p -> pods.get(ResourceID.fromResource(p)).isPresent());
    Optional<Service> cachedService = services.get(new ResourceID(Names.service(set), ns));
    Service ownService = cachedService.filter(s -> ServiceReconciler.ownedBy(s, set)).orElse(null);
    Endpoints serviceEndpoints = endpoints.get(new ResourceID(Names.service(set), ns)).orElse(null);

    List<Problem> problems = new ArrayList<>();
    List<ConventionViolation> conventionViolations = new ArrayList<>();
    ConventionVerdict verdict = ConventionVerdict.NONE;
    String hash = "";
    PodPlan plan = null;
    Service service = ownService;
    boolean pending = false;
    boolean retryLater = false;
    List<String> changes = new ArrayList<>();
    PodReconciler.Result result = null;
    String serviceHandover = null;
    if (set.getReadingProblem() != null) {
      reportUnreadable(set, key);
    } else {
      reportedUnreadable.remove(key);
      statusRefused.remove(key);
    }
    Namespace namespace = namespaces.get(new ResourceID(ns)).orElse(null);
    if (namespace == null) {
      // a set exists only in a namespace that exists: the cache has not seen it yet, or is being
      // emptied by a stop. Not a verdict to report; look again shortly.
      log.debug("Namespace {} of LabeledAppSet {} not in the cache yet; retrying", ns, name);
      return UpdateControl.<LabeledAppSet>noUpdate().rescheduleAfter(NAMESPACE_RECHECK);
    }
    Validate.Verdict checked = Validate.check(set, namespace, conventions);
    List<ResourceQuota> namespaceQuotas = List.of();
    if (!checked.valid()) {
      problems.add(checked.problem());
    } else {
      verdict = checked.conventions();
      conventionViolations.addAll(verdict.violations());
      hash = checked.hash();
      plan = PodPlan.plan(set, owned, hash, expectations.pending(key, cached, now).plusCreates(creating),
          Rollout.deadlineExceeded(set, now), now);
      namespaceQuotas = quotas.list(ns, q -> true).toList();
      if (verdict.compliant()) {
        conventionViolations.addAll(QuotaPreflight.check(namespaceQuotas,
            DesiredPods.pod(set, 0, verdict), plan.createSlots().size()));
      }
      conventionViolations.forEach(v -> problems.add(new Problem(v.rule(), v.message())));
    }
    boolean paused = set.getMetadata().getAnnotations() != null
        && "true".equalsIgnoreCase(set.getMetadata().getAnnotations().get(PAUSED_ANNOTATION));
    if (stopping) {
      // the caches read above may already be emptied by the stop
      return UpdateControl.noUpdate();
    }
    // a dry-run the API server could not answer (5xx, timeout) writes nothing and is retried like a
    // failed create: the metrics of this pass are recorded first, the status by the pass that succeeds
    KubernetesClientException unanswered = null;
    try {
      if (problems.isEmpty() && !paused && !plan.createSlots().isEmpty() && noPodOf(hash, owned)) {
        // the first pod of this template: the API server has the last word before anything is written
        Pod first = DesiredPods.pod(set, plan.createSlots().get(0), verdict);
        validate.admission(set, checked, first, Validate.namespaceState(namespace, namespaceQuotas), now)
            .ifPresent(problems::add);
      }
      if (problems.isEmpty() && !paused) {
        // likewise the Service, before it or any pod is written
        var write = serviceReconciler.pendingWrite(set, verdict, cachedService, plan.counted());
        if (write.isPresent()) {
          validate.serviceAdmission(set, write.get(), Validate.namespaceState(namespace, namespaceQuotas), now)
              .ifPresent(problems::add);
        }
      }
    } catch (KubernetesClientException e) {
      metrics.apiError("dry_run", e.getCode());
      unanswered = e;
    }
    if (problems.isEmpty() && !paused && unanswered == null) {
      ServiceReconciler.Outcome outcome = serviceReconciler.reconcile(set, verdict, cachedService,
          context.getPrimaryCache().list(ns).toList(),
          services.list(ns, s -> ServiceReconciler.ownedBy(s, set)).toList(), plan.counted());
      service = outcome.service();
      serviceHandover = outcome.handover();
      changes.addAll(outcome.changes());
      if (outcome.problem() != null) {
        problems.add(outcome.problem());
      }
      DisruptionBudgetReconciler.Outcome budget = budgetReconciler.reconcile(set,
          disruptionBudgets.get(new ResourceID(Names.disruptionBudget(set), ns)));
      budget.change().ifPresent(c -> events.normal(set, "DisruptionBudgetSynced",
          Character.toUpperCase(c.charAt(0)) + c.substring(1)));
      if (budget.problem() != null) {
        problems.add(budget.problem());
      }
      if (!outcome.holdPods()) {
        result = podReconciler.execute(set, plan, verdict);
        problems.addAll(result.problems());
        retryLater = !result.problems().isEmpty();
        pending = plan.changesSomething() || expectations.pending(key, cached, clock.instant()).any();
      }
    }
    // a refused set keeps what runs: nothing is created, changed or deleted, and the status says so
    List<Pod> counted = plan != null && result != null ? plan.counted() : PodPlan.live(set, owned);
    if (result != null && !result.created().isEmpty()) {
      // this pass's creates exist: the status says so now, not once the cache shows them
      counted = concat(counted, result.created());
      owned = concat(owned, result.created());
    }

    List<Pod> observed = owned.stream()
        .filter(p -> !PodState.isTerminating(p) && Labels.matchesSelector(set, p.getMetadata().getLabels()))
        .toList();
    var observation = new StatusCalculator.Observation(counted, observed, service, serviceEndpoints, problems,
        conventionViolations, verdict.defaultsApplied(), hash, pending, paused, serviceHandover);
    LabeledAppSetStatus status = StatusCalculator.compute(set, observation,
        now.truncatedTo(ChronoUnit.SECONDS).toString(), now);
    if (stopping) {
      // what this pass wrote stands; its status and events would describe half-stopped caches
      return UpdateControl.noUpdate();
    }
    recordEvents(set, status, result, changes, conventionViolations);
    if (context.getPrimaryCache().get(ResourceID.fromResource(set)).isPresent()) {
      // a set deleted while this pass ran has had its series removed: do not bring them back
      metrics.recordStatus(set, status);
    }

    if (result != null && result.transientFailure() != null) {
      // JOSDK retries with backoff; the status is written by the pass that succeeds
      throw result.transientFailure();
    }
    if (unanswered != null) {
      throw unanswered;
    }
    UpdateControl<LabeledAppSet> control = UpdateControl.noUpdate();
    if (StatusCalculator.same(status, set.getStatus())) {
      log.trace("LabeledAppSet {}/{} is up to date", ns, name);
    } else {
      if (log.isDebugEnabled()) {
        log.debug("Writing status of LabeledAppSet {}/{}: {}", ns, name,
            String.join("; ", StatusCalculator.differences(set.getStatus(), status)));
      }
      written.writing(set, status);
      try {
        written.remember(set, status, statusWriter.write(set, status));
      } catch (RuntimeException e) {
        written.writeFailed(set);
        int code = e instanceof KubernetesClientException k ? k.getCode() : 0;
        if (code == 404) {
          // the set was deleted while this pass ran: nothing left to report on, nothing to retry
          log.debug("LabeledAppSet {}/{} is gone; its status is not written", ns, name);
          return UpdateControl.noUpdate();
        }
        if (code != 422) {
          throw e;
        }
        // a status write is validated with the whole stored object: a spec the current schema or its
        // CEL rules refuse (stored under an older CRD; servers before 1.30 do not ratchet CEL rules)
        // refuses every status until it is fixed. Not retried: the Warning event and the log line
        // (and for an unreadable set the metric) report it.
        String version = set.getMetadata().getUid() + "/" + set.getMetadata().getGeneration();
        if (!version.equals(statusRefused.put(key, version))) {
          log.warn("Status of LabeledAppSet {} cannot be written until its spec is fixed: {}", key, e.getMessage());
        }
        return UpdateControl.noUpdate();
      }
    }
    Optional<Duration> nextAvailable = StatusCalculator.nextAvailable(set, counted, now);
    if (result != null && result.createsDeferredFor() != null) {
      // back when the rate limiter has tokens again, not after the usual recheck
      control.rescheduleAfter(Duration.ofMillis(Math.max(10, Math.min(
          result.createsDeferredFor().toMillis(), PENDING_RECHECK.toMillis()))));
    } else if (pending) {
      control.rescheduleAfter(PENDING_RECHECK);
    } else if (nextAvailable.isPresent()) {
      // nothing else happens when a ready pod has been ready for minReadySeconds: look again then
      control.rescheduleAfter(nextAvailable.get());
    } else if (retryLater) {
      control.rescheduleAfter(FAILED_CREATE_RECHECK);
    } else if (!paused) {
      // wake up when the rollout's progress deadline passes, to say so
      Rollout.deadlineWakeUp(set.getSpec(), status.getLastProgressTime(), now, resync)
          .ifPresent(control::rescheduleAfter);
    }
    return control;
  }

  /**
   * Logs and counts a set the operator cannot read, once per version of its spec: its uid and
   * generation, which the operator's own status writes do not change (its resourceVersion they do).
   */
  private void reportUnreadable(LabeledAppSet set, String key) {
    String version = set.getMetadata().getUid() + "/" + set.getMetadata().getGeneration();
    if (!version.equals(reportedUnreadable.put(key, version))) {
      log.warn("LabeledAppSet {} (generation {}, resourceVersion {}) cannot be read: {}; reported as InvalidSpec,"
          + " its pods and Service are left as they are", key, set.getMetadata().getGeneration(),
          set.getMetadata().getResourceVersion(), set.getReadingProblem());
      metrics.unreadable("LabeledAppSet", set.getMetadata().getNamespace());
    }
  }

  private void recordEvents(LabeledAppSet set, LabeledAppSetStatus status, PodReconciler.Result result,
      List<String> changes, List<ConventionViolation> conventionViolations) {
    if (result != null) {
      if (!result.created().isEmpty()) {
        String reason = createReason(set, result);
        events.normal(set, "PodsCreated", "Created " + names(result.createdNames()) + " (" + reason + ")");
        metrics.podsCreated(set, reason, result.created().size());
      }
      result.deleted().stream().collect(Collectors.groupingBy(PodPlan.Deletion::reason)).forEach((reason, ds) -> {
        events.normal(set, "PodsDeleted", "Deleted " + names(ds.stream().map(d -> d.pod().getMetadata().getName()).toList())
            + " (" + reason + ")");
        metrics.podsDeleted(set, reason, ds.size());
      });
      if (!result.released().isEmpty()) {
        events.normal(set, "PodsReleased", "Released " + names(result.released()) + ": labels no longer match the selector");
      }
    }
    changes.forEach(c -> events.normal(set, "ServiceSynced", Character.toUpperCase(c.charAt(0)) + c.substring(1)));
    Condition ready = StatusCalculator.find(status, StatusCalculator.READY);
    Condition before = StatusCalculator.find(set.getStatus(), StatusCalculator.READY);
    boolean problem = ready != null && "False".equals(ready.getStatus())
        && !List.of("PodsNotReady", "ServiceMissing").contains(ready.getReason());
    String key = PodExpectations.key(set.getMetadata().getNamespace(), set.getMetadata().getName());
    String warning = problem ? ready.getReason() + ": " + ready.getMessage() : null;
    boolean newWarning = problem && (before == null || !ready.getReason().equals(before.getReason())
        || !ready.getMessage().equals(before.getMessage())) && !warning.equals(lastWarning.get(key));
    if (newWarning) {
      events.warning(set, ready.getReason(), ready.getMessage());
    }
    if (warning == null) {
      lastWarning.remove(key);
    } else {
      lastWarning.put(key, warning);
    }
    Condition conventionsNow = StatusCalculator.find(status, StatusCalculator.CONVENTIONS_MET);
    Condition conventionsBefore = StatusCalculator.find(set.getStatus(), StatusCalculator.CONVENTIONS_MET);
    if (newWarning && conventionsNow != null && "False".equals(conventionsNow.getStatus()) && (conventionsBefore == null
        || !conventionsNow.getMessage().equals(conventionsBefore.getMessage()))) {
      // counted when the set of violations changes, not on every reconcile that still sees them
      conventionViolations.stream().map(ConventionViolation::rule).distinct()
          .forEach(rule -> metrics.conventionViolation(set.getMetadata().getNamespace(), rule));
    }
  }

  private static String createReason(LabeledAppSet set, PodReconciler.Result result) {
    if (result.deleted().stream().anyMatch(d -> d.reason().equals("TemplateChanged"))) {
      return "TemplateChanged";
    }
    if (result.deleted().stream().anyMatch(d -> d.reason().equals("PodEnded"))) {
      return "PodEnded";
    }
    LabeledAppSetStatus previous = set.getStatus();
    boolean wasComplete = previous != null && previous.getObservedGeneration() != null
        && previous.getObservedGeneration().equals(set.getMetadata().getGeneration())
        && previous.getReplicas() != null && previous.getReplicas().equals(set.getSpec().getReplicas());
    return wasComplete ? "Heal" : "ScaleUp";
  }

  /**
   * {@code cached} and the answered pods of this set (this uid) the informer does not hold yet;
   * one it holds, even no longer the set's (released), is as the informer has it.
   */
  static List<Pod> withAnswered(LabeledAppSet set, List<Pod> cached, List<Pod> answered,
      java.util.function.Predicate<Pod> informerHolds) {
    if (answered.isEmpty()) {
      return cached;
    }
    List<Pod> all = new ArrayList<>(cached);
    answered.stream().filter(p -> !informerHolds.test(p) && PodState.isControlledBy(p, set)).forEach(all::add);
    return all;
  }

  /** No pod of {@code hash} exists: the API server has not yet been asked to create one. */
  private static boolean noPodOf(String hash, List<Pod> owned) {
    return owned.stream().noneMatch(p -> hash.equals(PodState.templateHash(p)));
  }

  private static List<Pod> concat(List<Pod> a, List<Pod> b) {
    List<Pod> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static String names(List<String> names) {
    return PodReconciler.describe(names);
  }
}

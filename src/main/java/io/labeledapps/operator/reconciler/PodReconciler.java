package io.labeledapps.operator.reconciler;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.Names;
import io.labeledapps.operator.model.StampedTemplate;
import io.labeledapps.operator.observability.OperatorMetrics;
import io.labeledapps.operator.status.PodState;
import io.labeledapps.operator.status.Problem;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import lombok.RequiredArgsConstructor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a {@link PodPlan}: creates and deletes run in parallel on a bounded pool (one at a
 * time is as slow as the ReplicaSet controller), sets taking turns on it ({@link PodWriters}), each
 * recorded as an expectation first. Creates beyond what the {@link CreateRateLimiter} grants are
 * left for a later pass.
 */
@RequiredArgsConstructor
public final class PodReconciler {
  private static final Logger log = LoggerFactory.getLogger(PodReconciler.class);
  private final KubernetesClient client;
  private final PodWriters pool;
  private final PodExpectations expectations;
  private final OperatorMetrics metrics;
  private final Clock clock;
  private final CreateRateLimiter createLimiter;

  /**
   * What a pass did.
   *
   * @param created pods created, as the API server answered
   * @param deleted deletions made, with reasons
   * @param problems failures retrying cannot fix (the API refused the pod)
   * @param transientFailure a failure worth retrying (server error, network), if any
   * @param createsDeferredFor when the rate limiter held creates back: how long until it has tokens
   *     for them (or for a batch of them); null when every planned create was sent
   */
  public record Result(
      List<Pod> created,
      List<PodPlan.Deletion> deleted,
      List<String> released,
      List<Problem> problems,
      KubernetesClientException transientFailure,
      Duration createsDeferredFor) {
    public List<String> createdNames() {
      return created.stream().map(p -> p.getMetadata().getName()).toList();
    }
  }

  /**
   * The most tokens a set waits for before its next pass: waiting for more would let a big set sit
   * idle although tokens are there, waiting for fewer would reconcile it for a handful of pods.
   */
  private static final int DEFERRED_BATCH = 20;

  /**
   * Carries out {@code plan}: releases, then deletes, then the creates the rate limiter grants,
   * each pod stamped from {@code desired}.
   */
  public Result execute(LabeledAppSet set, PodPlan plan, StampedTemplate desired) {
    String key = PodExpectations.key(set.getMetadata().getNamespace(), set.getMetadata().getName());
    List<String> released = releaseAll(set, key, plan.release());
    List<PodPlan.Deletion> deleted = Collections.synchronizedList(new ArrayList<>());
    List<Pod> created = Collections.synchronizedList(new ArrayList<>());
    List<KubernetesClientException> failures = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Void>> deletes = new ArrayList<>();
    for (PodPlan.Deletion d : plan.delete()) {
      expectations.expectDelete(key, d.pod().getMetadata().getUid(), clock.instant());
      deletes.add(
          CompletableFuture.runAsync(
              () -> delete(set, key, d, deleted, failures), pool.forSet(key)));
    }
    List<Integer> slots = plan.createSlots();
    int granted = createLimiter.tryAcquire(slots.size());
    Duration deferredFor =
        granted < slots.size()
            ? createLimiter.timeUntil(Math.min(slots.size() - granted, DEFERRED_BATCH))
            : null;
    if (deferredFor != null) {
      log.debug(
          "Rate limit: creating {} of {} missing pods of {}/{} now, the rest later",
          granted,
          slots.size(),
          set.getMetadata().getNamespace(),
          set.getMetadata().getName());
    }
    // deletes land first: a replacement created alongside would briefly exceed replicas + maxSurge
    CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new)).join();
    createAll(set, key, desired.pods(slots.subList(0, granted)), created, failures);
    logChanges(set, created, deleted);
    return result(created, deleted, released, failures, deferredFor);
  }

  private List<String> releaseAll(LabeledAppSet set, String key, List<Pod> pods) {
    List<String> released = new ArrayList<>();
    for (Pod pod : pods) {
      if (release(set, pod)) {
        released.add(pod.getMetadata().getName());
        // no longer the set's: the create's answer must not stand in for it any more
        expectations.createDone(key, pod.getMetadata().getName());
      }
    }
    return released;
  }

  private void delete(
      LabeledAppSet set,
      String key,
      PodPlan.Deletion d,
      List<PodPlan.Deletion> deleted,
      List<KubernetesClientException> failures) {
    String ns = set.getMetadata().getNamespace();
    String uid = d.pod().getMetadata().getUid();
    try {
      client.pods().inNamespace(ns).withName(d.pod().getMetadata().getName()).delete();
      deleted.add(d);
      log.debug("Deleted pod {}/{} ({})", ns, d.pod().getMetadata().getName(), d.reason());
    } catch (KubernetesClientException e) {
      expectations.deleteDone(key, uid);
      if (e.getCode() != 404) {
        metrics.apiError("delete_pod", e.getCode());
        failures.add(e);
      }
    }
  }

  /**
   * Creates {@code pods} in parallel on the pool, each expected first; returns when all are
   * answered.
   */
  private void createAll(
      LabeledAppSet set,
      String key,
      List<Pod> pods,
      List<Pod> created,
      List<KubernetesClientException> failures) {
    List<CompletableFuture<Void>> tasks = new ArrayList<>();
    Executor inTurn = pool.forSet(key);
    for (Pod pod : pods) {
      expectations.expectCreate(key, pod.getMetadata().getName(), clock.instant());
      tasks.add(CompletableFuture.runAsync(() -> create(set, key, pod, created, failures), inTurn));
    }
    CompletableFuture.allOf(tasks.toArray(CompletableFuture[]::new)).join();
  }

  /**
   * One line a pass: a line a pod would be 500 lines for one scale-up (each pod is in the debug
   * log).
   */
  private static void logChanges(
      LabeledAppSet set, List<Pod> created, List<PodPlan.Deletion> deleted) {
    String ns = set.getMetadata().getNamespace();
    if (!created.isEmpty()) {
      log.info(
          "LabeledAppSet {}/{}: created {}",
          ns,
          set.getMetadata().getName(),
          describe(created.stream().map(p -> p.getMetadata().getName()).toList()));
    }
    deleted.stream()
        .collect(Collectors.groupingBy(PodPlan.Deletion::reason))
        .forEach(
            (reason, ds) ->
                log.info(
                    "LabeledAppSet {}/{}: deleted {} ({})",
                    ns,
                    set.getMetadata().getName(),
                    describe(ds.stream().map(d -> d.pod().getMetadata().getName()).toList()),
                    reason));
  }

  /**
   * The failures sorted: a refusal (the same message once) is a problem, the first other failure is
   * retried.
   */
  private static Result result(
      List<Pod> created,
      List<PodPlan.Deletion> deleted,
      List<String> released,
      List<KubernetesClientException> failures,
      Duration deferredFor) {
    List<Problem> problems = new ArrayList<>();
    KubernetesClientException transientFailure = null;
    for (KubernetesClientException e : failures) {
      if (isPermanent(e)) {
        String message =
            e.getStatus() != null && e.getStatus().getMessage() != null
                ? e.getStatus().getMessage()
                : e.getMessage();
        if (problems.stream().noneMatch(p -> p.message().equals(message))) {
          problems.add(new Problem("FailedCreate", message));
        }
      } else if (transientFailure == null) {
        transientFailure = e;
      }
    }
    return new Result(
        List.copyOf(created),
        List.copyOf(deleted),
        released,
        problems,
        transientFailure,
        deferredFor);
  }

  private void create(
      LabeledAppSet set,
      String key,
      Pod pod,
      List<Pod> created,
      List<KubernetesClientException> failures) {
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    long sent = System.nanoTime();
    try {
      Pod answer = CacheStores.slimPod(client.pods().inNamespace(ns).resource(pod).create());
      createLimiter.answered(201, System.nanoTime() - sent, null);
      expectations.created(key, answer);
      created.add(answer);
      log.debug("Created pod {}/{}", ns, name);
    } catch (KubernetesClientException e) {
      createLimiter.answered(e.getCode(), System.nanoTime() - sent, retryAfter(e));
      expectations.createDone(key, name);
      if (e.getCode() == 409) {
        // ours from an earlier pass (the cache will show it), or a foreign pod holding the name
        Pod existing = client.pods().inNamespace(ns).withName(name).get();
        if (existing != null && !PodState.isControlledBy(existing, set)) {
          log.warn(
              "Pod {}/{} exists and is not controlled by set {}; using another name",
              ns,
              name,
              Names.service(set));
          expectations.nameTakenByForeignPod(key, name);
        }
      } else {
        metrics.apiError("create_pod", e.getCode());
        failures.add(e);
      }
    }
  }

  /** The Retry-After the API server sent with a refusal (in its Status details), or null. */
  static Duration retryAfter(KubernetesClientException e) {
    var status = e.getStatus();
    Integer seconds =
        status == null || status.getDetails() == null
            ? null
            : status.getDetails().getRetryAfterSeconds();
    return seconds == null || seconds <= 0 ? null : Duration.ofSeconds(seconds);
  }

  /**
   * Removes the set's ownerReference, so the pod outlives the set, as a ReplicaSet does. One JSON
   * patch on the cached pod, no read first: it tests that the reference at that index is still the
   * set's, so a pod whose references changed meanwhile is left for the next pass.
   */
  private boolean release(LabeledAppSet set, Pod pod) {
    String ns = pod.getMetadata().getNamespace();
    String uid = set.getMetadata().getUid();
    List<OwnerReference> refs = pod.getMetadata().getOwnerReferences();
    int index = refs == null ? -1 : refs.stream().map(OwnerReference::getUid).toList().indexOf(uid);
    if (index < 0) {
      return false;
    }
    String path = "/metadata/ownerReferences/" + index;
    String patch =
        "[{\"op\":\"test\",\"path\":\""
            + path
            + "/uid\",\"value\":\""
            + uid
            + "\"},"
            + "{\"op\":\"remove\",\"path\":\""
            + path
            + "\"}]";
    try {
      client.pods().inNamespace(ns).resource(pod).patch(PatchContext.of(PatchType.JSON), patch);
      log.info(
          "Released pod {}/{}: its labels no longer match the selector",
          ns,
          pod.getMetadata().getName());
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 422) {
        log.debug(
            "Pod {}/{} changed before it was released; the next pass sees it anew",
            ns,
            pod.getMetadata().getName());
      } else if (e.getCode() != 404) {
        throw e;
      }
      return false;
    }
  }

  /** {@code 3 pods: a-0, a-1, a-2}: the first ten names, sorted. */
  static String describe(List<String> names) {
    List<String> sorted = names.stream().sorted().toList();
    String shown = String.join(", ", sorted.subList(0, Math.min(10, sorted.size())));
    return sorted.size()
        + " pod"
        + (sorted.size() == 1 ? "" : "s")
        + ": "
        + shown
        + (sorted.size() > 10 ? ", ..." : "");
  }

  /** 4xx answers other than conflict and throttling will fail the same way next time. */
  static boolean isPermanent(KubernetesClientException e) {
    int code = e.getCode();
    return code >= 400 && code < 500 && code != 409 && code != 429;
  }
}

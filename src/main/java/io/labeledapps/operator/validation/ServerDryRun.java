package io.labeledapps.operator.validation;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.TemplateHash;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API server's last word on a pod template: a server-side dry-run create ({@code dryRun=All})
 * of one desired pod runs the same validation and admission (quota, LimitRange, Pod Security,
 * webhooks) as a real create, without writing anything; likewise for the Service the operator is
 * about to create or change. The answer is remembered per set, template hash and namespace state,
 * so a burst of 500 pods costs one dry-run, and a refused template is asked about again only when
 * the spec or the namespace changes, or after {@code refusalTtl} (what the operator does not watch,
 * such as LimitRanges, may have changed meanwhile).
 */
public final class ServerDryRun {
  private static final Logger log = LoggerFactory.getLogger(ServerDryRun.class);
  private final KubernetesClient client;
  private final Duration refusalTtl;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();
  private final Consumer<String> answered;

  /**
   * The server's answer on one template in one namespace state.
   *
   * @param refusal null when the server accepts the pod
   */
  public record Answer(
      String uid, String hash, String namespaceState, Refusal refusal, Instant at) {}

  /**
   * A 4xx answer: nothing a retry fixes.
   *
   * @param reason {@code InvalidSpec}, {@code QuotaExceeded} or {@code AdmissionRefused}
   * @param message the API server's own message
   */
  public record Refusal(String reason, String message) {}

  /**
   * @param answered told each answer: {@code accepted} or the refusal's reason (for a metric)
   */
  public ServerDryRun(KubernetesClient client, Duration refusalTtl, Consumer<String> answered) {
    this.client = client;
    this.refusalTtl = refusalTtl;
    this.answered = answered;
  }

  /**
   * Whether the API server would create {@code pod}, a pod of template {@code hash} of {@code set};
   * asks it only when no answer for this template and namespace state is remembered.
   *
   * @param namespaceState what, in the namespace, admission depends on (resource versions)
   * @throws KubernetesClientException a 5xx, 429 or network failure: transient, to be retried
   */
  public Optional<Refusal> check(
      LabeledAppSet set, String hash, String namespaceState, Pod pod, Instant now) {
    return remembered(
        "pod",
        set,
        hash,
        namespaceState,
        now,
        () -> {
          client
              .pods()
              .inNamespace(pod.getMetadata().getNamespace())
              .resource(pod)
              .dryRun()
              .create();
          return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        });
  }

  /**
   * Whether the API server would write {@code service} (create it, or update the existing one to
   * it); asked once per Service content and namespace state.
   */
  public Optional<Refusal> checkService(
      LabeledAppSet set, Service service, boolean create, String namespaceState, Instant now) {
    String hash =
        TemplateHash.of(
            Arrays.asList(
                service.getMetadata().getLabels(),
                service.getMetadata().getAnnotations(),
                service.getMetadata().getOwnerReferences(),
                service.getSpec(),
                create));
    return remembered(
        "service",
        set,
        hash,
        namespaceState,
        now,
        () -> {
          var resource =
              client
                  .services()
                  .inNamespace(service.getMetadata().getNamespace())
                  .resource(service)
                  .dryRun();
          if (create) {
            resource.create();
          } else {
            resource.update();
          }
          return "Service "
              + service.getMetadata().getNamespace()
              + "/"
              + service.getMetadata().getName();
        });
  }

  private Optional<Refusal> remembered(
      String kind,
      LabeledAppSet set,
      String hash,
      String namespaceState,
      Instant now,
      Supplier<String> ask) {
    String key = kind + ":" + set.getMetadata().getNamespace() + "/" + set.getMetadata().getName();
    String uid = String.valueOf(set.getMetadata().getUid());
    Answer known = answers.get(key);
    if (known != null
        && known.uid().equals(uid)
        && known.hash().equals(hash)
        && known.namespaceState().equals(namespaceState)
        && (known.refusal() == null || now.isBefore(known.at().plus(refusalTtl)))) {
      return Optional.ofNullable(known.refusal());
    }
    Refusal refusal = ask(kind, ask);
    answers.put(key, new Answer(uid, hash, namespaceState, refusal, now));
    answered.accept(refusal == null ? "accepted" : refusal.reason());
    return Optional.ofNullable(refusal);
  }

  /** Drops the answer remembered for a deleted set. */
  public void forget(String namespace, String name) {
    answers.remove("pod:" + namespace + "/" + name);
    answers.remove("service:" + namespace + "/" + name);
  }

  /** Dry-run requests sent so far (for tests and benchmarks). */
  public long requests() {
    return requests.get();
  }

  private Refusal ask(String kind, Supplier<String> dryRun) {
    requests.incrementAndGet();
    try {
      String what = dryRun.get();
      log.debug("Dry-run of {} accepted", what);
      return null;
    } catch (KubernetesClientException e) {
      return answer(kind, e);
    }
  }

  /**
   * The refusal the failed dry-run of a {@code kind} stands for, or null when it is none; throws
   * what is no answer to the question (a server error, throttling), for JOSDK to retry.
   */
  private static Refusal answer(String kind, KubernetesClientException e) {
    int code = e.getCode();
    if (code == 409) {
      // one of that name exists: the real write will say whose it is
      return null;
    }
    String text =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : e.getMessage();
    if (text != null && text.toLowerCase(Locale.ROOT).contains("does not support dry run")) {
      // a webhook with side effects (admissionregistration v1beta1's default) refuses every
      // dry-run: the question cannot be asked, which is no refusal; the real write gets the
      // webhook's answer
      log.info(
          "The API server cannot dry-run a {} of a LabeledAppSet ({}); writing without asking",
          kind,
          text);
      return null;
    }
    if (code < 400 || code >= 500 || code == 429) {
      throw e;
    }
    Refusal refusal = refusal(kind, code, text);
    log.info(
        "The API server refuses a {} of a LabeledAppSet ({}): {}",
        kind,
        refusal.reason(),
        refusal.message());
    return refusal;
  }

  /**
   * The condition reason for a 4xx answer with {@code message} to the dry-run of a {@code kind}.
   */
  static Refusal refusal(String kind, int code, String message) {
    String lower = message == null ? "" : message.toLowerCase(Locale.ROOT);
    String reason;
    if (code == 403 && (lower.contains("exceeded quota") || lower.contains("failed quota"))) {
      reason = "QuotaExceeded";
    } else if (lower.contains("admission webhook")) {
      reason = "AdmissionRefused";
    } else if (code == 422 || code == 400) {
      reason = "InvalidSpec";
    } else {
      // Pod Security, LimitRange, a webhook, a namespace being deleted
      reason = "AdmissionRefused";
    }
    return new Refusal(
        reason,
        "the API server refuses the "
            + ("pod".equals(kind) ? "pods (dry-run create)" : "Service (dry-run)")
            + ": "
            + message);
  }
}

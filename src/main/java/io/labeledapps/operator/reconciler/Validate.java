package io.labeledapps.operator.reconciler;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.conventions.ConventionVerdict;
import io.labeledapps.operator.conventions.ConventionViolation;
import io.labeledapps.operator.conventions.Conventions;
import io.labeledapps.operator.conventions.ConventionsConfig;
import io.labeledapps.operator.conventions.QuotaPreflight;
import io.labeledapps.operator.model.StampedTemplate;
import io.labeledapps.operator.status.Problem;
import io.labeledapps.operator.validation.PodRules;
import io.labeledapps.operator.validation.ServerDryRun;
import io.labeledapps.operator.validation.SpecValidator;
import io.labeledapps.operator.validation.Violation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Validate stage, run on every pass before any write: the spec's own rules, the namespace
 * conventions, Kubernetes' pod rules on the pod template the operator would write (after the
 * conventions' defaults), and, before the first pod of a template is created, the API server's
 * answer to a dry-run create of one such pod.
 */
public final class Validate {
  /**
   * Longest InvalidSpec message: every problem is listed, but a status stays small enough to write.
   */
  static final int MAX_MESSAGE = 8 * 1024;

  private final ServerDryRun dryRun;

  public Validate(ServerDryRun dryRun) {
    this.dryRun = dryRun;
  }

  /**
   * What the rules say about a set.
   *
   * @param violations every problem with the spec, by field path; empty when it may be written
   * @param conventions the namespace's verdict ({@link ConventionVerdict#NONE} when the spec is
   *     invalid)
   * @param pods the pod template to write, hashed (null when the spec is invalid)
   * @param quotaViolations the quotas the planned creates would exceed
   * @param admissionProblems what the API server's dry-run refused
   * @param unanswered a dry-run the API server could not answer (5xx, timeout), or null
   */
  public record Verdict(
      List<Violation> violations,
      ConventionVerdict conventions,
      StampedTemplate pods,
      List<ConventionViolation> quotaViolations,
      List<Problem> admissionProblems,
      KubernetesClientException unanswered) {
    static Verdict of(
        List<Violation> violations, ConventionVerdict conventions, StampedTemplate pods) {
      return new Verdict(violations, conventions, pods, List.of(), List.of(), null);
    }

    /**
     * This verdict with the API server's word: the problems its dry-run found and, when it did not
     * answer, the failure (else null).
     */
    Verdict answered(List<Problem> refused, KubernetesClientException failure) {
      return new Verdict(violations, conventions, pods, quotaViolations, refused, failure);
    }

    public boolean valid() {
      return violations.isEmpty();
    }

    /** The pod template to write (null when the spec is invalid). */
    public PodTemplateSpec template() {
      return pods == null ? null : pods.template();
    }

    /** The template's hash ("" when the spec is invalid). */
    public String hash() {
      return pods == null ? "" : pods.hash();
    }

    /** The conventions' violations and the quotas' ("" when the spec is invalid). */
    public List<ConventionViolation> conventionViolations() {
      List<ConventionViolation> all = new ArrayList<>(conventions.violations());
      all.addAll(quotaViolations);
      return all;
    }

    /**
     * What the user must fix, in order: the spec, the conventions and quotas, the API server's
     * word.
     */
    public List<Problem> problems() {
      if (!valid()) {
        return List.of(problem());
      }
      List<Problem> all = new ArrayList<>();
      conventionViolations().forEach(v -> all.add(new Problem(v.rule(), v.message())));
      all.addAll(admissionProblems);
      return all;
    }

    /** The InvalidSpec problem listing every violation, or null. */
    public Problem problem() {
      if (valid()) {
        return null;
      }
      StringBuilder message = new StringBuilder("spec is invalid: ");
      for (int i = 0; i < violations.size(); i++) {
        String next = (i == 0 ? "" : "; ") + violations.get(i);
        if (message.length() + next.length() > MAX_MESSAGE) {
          message.append("; and ").append(violations.size() - i).append(" more");
          break;
        }
        message.append(next);
      }
      return new Problem("InvalidSpec", message.toString());
    }
  }

  /** The rules on what a pass observed. Pure. */
  static Verdict check(Observed seen) {
    return check(seen.set(), seen.namespace(), seen.conventions());
  }

  /** The rules on {@code set} in {@code namespace} (null when the operator cannot see it). Pure. */
  public static Verdict check(LabeledAppSet set, Namespace namespace, ConventionsConfig config) {
    List<Violation> violations = SpecValidator.validate(set);
    if (!violations.isEmpty()) {
      return Verdict.of(violations, ConventionVerdict.NONE, null);
    }
    ConventionVerdict conventions = Conventions.evaluate(set, namespace, config);
    StampedTemplate pods = StampedTemplate.of(set, conventions);
    violations = PodRules.check(pods.template());
    if (!violations.isEmpty()) {
      return Verdict.of(violations, ConventionVerdict.NONE, null);
    }
    return Verdict.of(List.of(), conventions, pods);
  }

  /**
   * The quotas the plan's creates would exceed, judged from the namespace's cached quotas. Pure.
   */
  static Verdict quotas(Observed seen, Verdict verdict, Plan plan) {
    if (!verdict.valid() || !verdict.conventions().compliant()) {
      return verdict;
    }
    List<ConventionViolation> exceeded =
        QuotaPreflight.check(
            seen.quotas(), verdict.pods().pod(0), plan.pods().createSlots().size());
    return new Verdict(
        verdict.violations(), verdict.conventions(), verdict.pods(), exceeded, List.of(), null);
  }

  /**
   * The API server's last word before anything is written: a dry-run create of the first pod of a
   * template no pod has yet, then of the Service write the plan makes. Asked only while nothing
   * else refuses the set and it is not paused; an unanswered dry-run is recorded, not thrown.
   */
  Verdict admit(Observed seen, Verdict verdict, Plan plan) {
    if (!verdict.problems().isEmpty() || seen.paused()) {
      return verdict;
    }
    String namespaceState = namespaceState(seen.namespace(), seen.quotas());
    List<Problem> refused = new ArrayList<>();
    try {
      if (!plan.pods().createSlots().isEmpty() && seen.noPodOf(verdict.hash())) {
        Pod first = verdict.pods().pod(plan.pods().createSlots().get(0));
        admission(seen.set(), verdict, first, namespaceState, seen.now()).ifPresent(refused::add);
      }
      if (refused.isEmpty() && plan.serviceWrite().isPresent()) {
        serviceAdmission(seen.set(), plan.serviceWrite().get(), namespaceState, seen.now())
            .ifPresent(refused::add);
      }
    } catch (KubernetesClientException e) {
      return verdict.answered(refused, e);
    }
    return verdict.answered(refused, null);
  }

  /**
   * The API server's word on {@code pod}, the first pod of {@code verdict}'s template this pass
   * creates: asked once per template and namespace state.
   *
   * @param namespaceState see {@link #namespaceState}
   */
  public Optional<Problem> admission(
      LabeledAppSet set, Verdict verdict, Pod pod, String namespaceState, Instant now) {
    return dryRun
        .check(set, verdict.hash(), namespaceState, pod, now)
        .map(r -> new Problem(r.reason(), r.message()));
  }

  /**
   * The API server's word on the Service write this pass would make, asked once per content and
   * namespace state.
   */
  public Optional<Problem> serviceAdmission(
      LabeledAppSet set, ServiceReconciler.Write write, String namespaceState, Instant now) {
    return dryRun
        .checkService(set, write.service(), write.create(), namespaceState, now)
        .map(r -> new Problem(r.reason(), r.message()));
  }

  /**
   * What admission depends on in a namespace, as the informers hold it: the namespace's and its
   * quotas' resource versions.
   */
  public static String namespaceState(Namespace namespace, List<ResourceQuota> quotas) {
    String ns = namespace == null ? "-" : namespace.getMetadata().getResourceVersion();
    return ns
        + "|"
        + quotas.stream()
            .sorted(Comparator.comparing(q -> q.getMetadata().getName()))
            .map(q -> q.getMetadata().getName() + "=" + q.getMetadata().getResourceVersion())
            .collect(Collectors.joining(","));
  }

  /** Forgets what was remembered about a deleted set. */
  public void forget(String namespace, String name) {
    dryRun.forget(namespace, name);
  }
}

package io.labeledapps.operator.reconciler;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.conventions.ConventionVerdict;
import io.labeledapps.operator.conventions.Conventions;
import io.labeledapps.operator.conventions.ConventionsConfig;
import io.labeledapps.operator.model.DesiredPods;
import io.labeledapps.operator.model.TemplateHash;
import io.labeledapps.operator.validation.PodRules;
import io.labeledapps.operator.validation.ServerDryRun;
import io.labeledapps.operator.validation.SpecValidator;
import io.labeledapps.operator.validation.Violation;
import java.time.Instant;
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
  /** Longest InvalidSpec message: every problem is listed, but a status stays small enough to write. */
  static final int MAX_MESSAGE = 8 * 1024;
  private final ServerDryRun dryRun;

  public Validate(ServerDryRun dryRun) {
    this.dryRun = dryRun;
  }

  /**
   * What the rules say about a set.
   *
   * @param violations every problem with the spec, by field path; empty when it may be written
   * @param conventions the namespace's verdict ({@link ConventionVerdict#NONE} when the spec is invalid)
   * @param template the pod template to write (null when the spec is invalid)
   * @param hash the template's hash ("" when the spec is invalid)
   */
  public record Verdict(List<Violation> violations, ConventionVerdict conventions, PodTemplateSpec template,
      String hash) {
    public boolean valid() {
      return violations.isEmpty();
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

  /** The rules on {@code set} in {@code namespace} (null when the operator cannot see it). Pure. */
  public static Verdict check(LabeledAppSet set, Namespace namespace, ConventionsConfig config) {
    List<Violation> violations = SpecValidator.validate(set);
    if (!violations.isEmpty()) {
      return new Verdict(violations, ConventionVerdict.NONE, null, "");
    }
    ConventionVerdict conventions = Conventions.evaluate(set, namespace, config);
    PodTemplateSpec template = DesiredPods.template(set, conventions);
    violations = PodRules.check(template);
    if (!violations.isEmpty()) {
      return new Verdict(violations, ConventionVerdict.NONE, null, "");
    }
    return new Verdict(List.of(), conventions, template, TemplateHash.of(template));
  }

  /**
   * The API server's word on {@code pod}, the first pod of {@code verdict}'s template this pass
   * creates: asked once per template and namespace state.
   *
   * @param namespaceState see {@link #namespaceState}
   */
  public Optional<Problem> admission(LabeledAppSet set, Verdict verdict, Pod pod, String namespaceState,
      Instant now) {
    return dryRun.check(set, verdict.hash(), namespaceState, pod, now)
        .map(r -> new Problem(r.reason(), r.message()));
  }

  /** The API server's word on the Service write this pass would make, asked once per content and namespace state. */
  public Optional<Problem> serviceAdmission(LabeledAppSet set, ServiceReconciler.Write write, String namespaceState,
      Instant now) {
    return dryRun.checkService(set, write.service(), write.create(), namespaceState, now)
        .map(r -> new Problem(r.reason(), r.message()));
  }

  /**
   * What admission depends on in a namespace, as the informers hold it: the namespace's and its
   * quotas' resource versions.
   */
  public static String namespaceState(Namespace namespace, List<ResourceQuota> quotas) {
    String ns = namespace == null ? "-" : namespace.getMetadata().getResourceVersion();
    return ns + "|" + quotas.stream()
        .sorted(Comparator.comparing(q -> q.getMetadata().getName()))
        .map(q -> q.getMetadata().getName() + "=" + q.getMetadata().getResourceVersion())
        .collect(Collectors.joining(","));
  }

  /** Forgets what was remembered about a deleted set. */
  public void forget(String namespace, String name) {
    dryRun.forget(namespace, name);
  }
}

package io.labeledapps.operator.reconciler;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.conventions.ConventionVerdict;
import io.labeledapps.operator.model.DesiredService;
import io.labeledapps.operator.model.Names;
import io.labeledapps.operator.model.Labels;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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

  /** The Service after this pass, and a problem the user must fix, if any. */
  public record Outcome(Service service, Problem problem, List<String> changes) {}

  /**
   * @param cached the set's Service from the informer cache (any Service of that name carrying the
   *     operator's managed-by label), if present
   */
  public Outcome reconcile(LabeledAppSet set, ConventionVerdict verdict, Optional<Service> cached) {
    String ns = set.getMetadata().getNamespace();
    Optional<Service> desired = DesiredService.of(set, verdict);
    Optional<Service> ours = cached.filter(s -> PodState.isControlledBy(s, set));
    if (cached.isPresent() && ours.isEmpty() && desired.isPresent()) {
      return new Outcome(null, conflict(set), List.of());
    }
    if (desired.isEmpty()) {
      if (ours.isPresent()) {
        client.services().inNamespace(ns).resource(ours.get()).delete();
        log.info("Deleted Service {}/{} (spec.service removed)", ns, Names.service(set));
        return new Outcome(null, null, List.of("deleted Service " + Names.service(set)));
      }
      return new Outcome(null, null, List.of());
    }
    if (ours.isEmpty()) {
      try {
        Service created = client.services().inNamespace(ns).resource(desired.get()).create();
        log.info("Created Service {}/{}", ns, created.getMetadata().getName());
        return new Outcome(created, null, List.of("created Service " + Names.service(set)));
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          Service existing = client.services().inNamespace(ns).withName(Names.service(set)).get();
          if (existing != null && !PodState.isControlledBy(existing, set)) {
            return new Outcome(null, conflict(set), List.of());
          }
          return new Outcome(existing, null, List.of());
        }
        if (e.getCode() == 422 || e.getCode() == 400 || e.getCode() == 403) {
          return new Outcome(null, new Problem("ServiceFailed", "the API server refused Service "
              + Names.service(set) + ": " + e.getStatus().getMessage()), List.of());
        }
        throw e;
      }
    }
    Service actual = ours.get();
    if (matches(desired.get(), actual, ownedLabelKeys)) {
      return new Outcome(actual, null, List.of());
    }
    Service merged = merge(desired.get(), actual, ownedLabelKeys);
    try {
      Service updated = client.services().inNamespace(ns).resource(merged).update();
      log.info("Updated Service {}/{} to match the spec", ns, actual.getMetadata().getName());
      return new Outcome(updated, null, List.of("updated Service " + Names.service(set)));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 422 || e.getCode() == 400) {
        return new Outcome(actual, new Problem("ServiceFailed", "the API server refused the update of Service "
            + Names.service(set) + ": " + e.getStatus().getMessage()), List.of());
      }
      throw e;
    }
  }

  /**
   * The Service this pass would create ({@code create} true) or update to, if it writes one: what the
   * Validate stage asks the API server about before anything is written.
   */
  public record Write(Service service, boolean create) {}

  /** See {@link Write}; empty when the Service is as desired, is to be deleted, or is not the set's. */
  public Optional<Write> pendingWrite(LabeledAppSet set, ConventionVerdict verdict, Optional<Service> cached) {
    Optional<Service> desired = DesiredService.of(set, verdict);
    if (desired.isEmpty() || (cached.isPresent() && !PodState.isControlledBy(cached.get(), set))) {
      return Optional.empty();
    }
    if (cached.isEmpty()) {
      return Optional.of(new Write(desired.get(), true));
    }
    return matches(desired.get(), cached.get(), ownedLabelKeys) ? Optional.empty()
        : Optional.of(new Write(merge(desired.get(), cached.get(), ownedLabelKeys), false));
  }

  private static Problem conflict(LabeledAppSet set) {
    return new Problem("ServiceConflict", "Service " + Names.service(set)
        + " already exists and is not controlled by this set; rename or delete it");
  }

  /** True when {@code actual} carries everything the operator owns in {@code desired}. */
  static boolean matches(Service desired, Service actual) {
    return matches(desired, actual, Labels.RESERVED);
  }

  /** As {@link #matches(Service, Service)}, and no label of {@code ownedKeys} that desired lacks. */
  static boolean matches(Service desired, Service actual, Set<String> ownedKeys) {
    var d = desired.getSpec();
    var a = actual.getSpec();
    Map<String, String> labels = actual.getMetadata().getLabels() == null ? Map.of() : actual.getMetadata().getLabels();
    if (!labels.entrySet().containsAll(desired.getMetadata().getLabels().entrySet())) {
      return false;
    }
    if (ownedKeys.stream().anyMatch(k -> labels.containsKey(k) && !desired.getMetadata().getLabels().containsKey(k))) {
      return false;
    }
    if (!Objects.equals(d.getType(), a.getType()) || !Objects.equals(d.getSelector(), a.getSelector())
        || !Objects.equals(d.getExternalTrafficPolicy(), a.getExternalTrafficPolicy())) {
      return false;
    }
    if (a.getPorts() == null || d.getPorts().size() != a.getPorts().size()) {
      return false;
    }
    for (int i = 0; i < d.getPorts().size(); i++) {
      ServicePort dp = d.getPorts().get(i);
      ServicePort ap = a.getPorts().get(i);
      if (!Objects.equals(dp.getName(), ap.getName()) || !Objects.equals(dp.getPort(), ap.getPort())
          || !Objects.equals(dp.getProtocol(), ap.getProtocol())
          || !Objects.equals(dp.getTargetPort(), ap.getTargetPort())
          || (dp.getNodePort() != null && !Objects.equals(dp.getNodePort(), ap.getNodePort()))
          || (!"NodePort".equals(d.getType()) && ap.getNodePort() != null)) {
        return false;
      }
    }
    return true;
  }

  /** {@code actual} with the operator's fields set from {@code desired}; allocated fields kept. */
  static Service merge(Service desired, Service actual) {
    return merge(desired, actual, Labels.RESERVED);
  }

  /** As {@link #merge(Service, Service)}, dropping labels of {@code ownedKeys} that desired lacks. */
  static Service merge(Service desired, Service actual, Set<String> ownedKeys) {
    boolean nodePort = "NodePort".equals(desired.getSpec().getType());
    Map<String, String> labels = new LinkedHashMap<>();
    if (actual.getMetadata().getLabels() != null) {
      labels.putAll(actual.getMetadata().getLabels());
    }
    labels.keySet().removeIf(k -> ownedKeys.contains(k) && !desired.getMetadata().getLabels().containsKey(k));
    labels.putAll(desired.getMetadata().getLabels());
    List<ServicePort> ports = new ArrayList<>();
    for (ServicePort dp : desired.getSpec().getPorts()) {
      Integer allocated = actual.getSpec().getPorts() == null ? null : actual.getSpec().getPorts().stream()
          .filter(ap -> Objects.equals(ap.getName(), dp.getName()) && Objects.equals(ap.getPort(), dp.getPort()))
          .map(ServicePort::getNodePort).filter(Objects::nonNull).findFirst().orElse(null);
      ports.add(new ServicePortBuilder(dp)
          .withNodePort(!nodePort ? null : dp.getNodePort() != null ? dp.getNodePort() : allocated)
          .build());
    }
    // @formatter:off
    return new ServiceBuilder(actual)
        .editMetadata()
          .withLabels(labels)
        .endMetadata()
        .editSpec()
          .withType(desired.getSpec().getType())
          .withSelector(desired.getSpec().getSelector())
          .withPorts(ports)
          .withExternalTrafficPolicy(desired.getSpec().getExternalTrafficPolicy())
        .endSpec()
        .build();
    // @formatter:on
  }
}

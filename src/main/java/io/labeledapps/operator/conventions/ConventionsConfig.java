package io.labeledapps.operator.conventions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.ArrayList;
import java.util.List;

/**
 * The platform's namespace conventions, the {@code conventions:} section of the operator's
 * configuration. Namespace labels and annotations refine some of them per namespace.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public class ConventionsConfig {
  /** Label selector a namespace must match to host sets; empty means every namespace. */
  public String namespaceSelector = "labeledapps.io/enabled=true";
  /** Namespace labels stamped on every pod and Service of the sets in that namespace. */
  public List<String> inheritedNamespaceLabels = new ArrayList<>(List.of("team", "env"));
  /** Label keys every pod must carry. */
  public List<String> requiredPodLabels = new ArrayList<>(List.of("app"));
  /** Service types sets may request, unless the namespace label {@code labeledapps.io/service-types} narrows it. */
  public List<String> allowedServiceTypes = new ArrayList<>(List.of("ClusterIP", "NodePort"));
  /** Requests and limits given to containers that set none (namespace annotations override). */
  public Resources defaults = Resources.defaults();
  /** Highest limits a container may have (namespace annotations override); empty means none. */
  public Resources ceilings = new Resources();

  /** Quantities as Kubernetes writes them ({@code 100m}, {@code 128Mi}); null means unset. */
  @JsonIgnoreProperties(ignoreUnknown = false)
  public static class Resources {
    public String cpuRequest;
    public String memoryRequest;
    public String cpuLimit;
    public String memoryLimit;

    static Resources defaults() {
      Resources r = new Resources();
      r.cpuRequest = "100m";
      r.memoryRequest = "128Mi";
      r.memoryLimit = "256Mi";
      return r;
    }
  }

  /** Conventions that enforce nothing: every namespace, no labels, no defaults. */
  public static ConventionsConfig permissive() {
    ConventionsConfig c = new ConventionsConfig();
    c.namespaceSelector = "";
    c.inheritedNamespaceLabels = new ArrayList<>();
    c.requiredPodLabels = new ArrayList<>();
    c.defaults = new Resources();
    return c;
  }
}

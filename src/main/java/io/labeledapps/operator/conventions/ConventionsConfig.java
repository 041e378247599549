package io.labeledapps.operator.conventions;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.ArrayList;
import java.util.List;

/**
 * The platform's namespace conventions, the {@code conventions:} section of the operator's
 * configuration. Namespace labels and annotations refine some of them per namespace. A key written
 * without a value ({@code ceilings:} with its lines commented out) means empty, not absent.
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public class ConventionsConfig {
  /** Label selector a namespace must match to host sets; empty means every namespace. */
  public String namespaceSelector = "labeledapps.io/enabled=true";

  /** Namespace labels stamped on every pod and Service of the sets in that namespace. */
  @JsonSetter(nulls = Nulls.AS_EMPTY)
  public List<String> inheritedNamespaceLabels = new ArrayList<>(List.of("team", "env"));

  /** Label keys every pod must carry. */
  @JsonSetter(nulls = Nulls.AS_EMPTY)
  public List<String> requiredPodLabels = new ArrayList<>(List.of("app"));

  /**
   * Service types sets may request, unless the namespace label {@code labeledapps.io/service-types}
   * narrows it.
   */
  @JsonSetter(nulls = Nulls.AS_EMPTY)
  public List<String> allowedServiceTypes = new ArrayList<>(List.of("ClusterIP", "NodePort"));

  /** Requests and limits given to containers that set none (namespace annotations override). */
  @JsonSetter(nulls = Nulls.AS_EMPTY)
  public Resources defaults = Resources.defaults();

  /** Highest limits a container may have (namespace annotations override); empty means none. */
  @JsonSetter(nulls = Nulls.AS_EMPTY)
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

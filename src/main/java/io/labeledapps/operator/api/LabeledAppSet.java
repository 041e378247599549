package io.labeledapps.operator.api;

import static io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type.DATE;
import static io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type.INTEGER;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A set of identically labeled pods and, optionally, the Service that selects exactly them. The CRD
 * in {@code crds/} is generated from this class and the classes it references.
 *
 * <p>The {@code @ValidationRule}s here and on the spec classes become the CRD's CEL rules ({@code
 * x-kubernetes-validations}), which API servers from 1.25 on enforce at admission; the operator
 * applies the same rules itself ({@code validation.SpecValidator}) for servers that ignore them.
 */
@Group(LabeledAppSet.GROUP)
@Version(LabeledAppSet.VERSION)
@Kind("LabeledAppSet")
@Plural("labeledappsets")
@Singular("labeledappset")
@ShortNames("las")
@Categories("all")
@AdditionalPrinterColumn(name = "Desired", jsonPath = ".spec.replicas", type = INTEGER)
@AdditionalPrinterColumn(name = "Current", jsonPath = ".status.replicas", type = INTEGER)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.readyReplicas", type = INTEGER)
@AdditionalPrinterColumn(name = "Available", jsonPath = ".status.availableReplicas", type = INTEGER)
@AdditionalPrinterColumn(name = "Service", jsonPath = ".spec.service.type")
@AdditionalPrinterColumn(
    name = "External-IP",
    jsonPath = ".status.service.externalIP",
    priority = 1)
@AdditionalPrinterColumn(name = "Status", jsonPath = LabeledAppSet.READY + ".reason")
@AdditionalPrinterColumn(name = "Phases", jsonPath = ".status.phaseSummary")
@AdditionalPrinterColumn(
    name = "Message",
    jsonPath = LabeledAppSet.READY + ".message",
    priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = DATE)
@ValidationRule(value = "has(self.spec)", message = "spec is required")
@ValidationRule(
    value = "self.metadata.name.size() <= " + Syntax.MAX_NAME_LENGTH,
    message =
        "metadata.name must be at most "
            + Syntax.MAX_NAME_LENGTH
            + " characters so that pod names and label values stay valid")
@ValidationRule(
    value =
        "!has(self.spec) || !has(self.spec.service) || has(self.spec.service.name)"
            + " || self.metadata.name.matches('"
            + Syntax.DNS_1035_LABEL
            + "')",
    message =
        "metadata.name must start with a letter and hold only lowercase letters, digits and '-'"
            + " to name the set's Service (or set spec.service.name)")
@ValidationRule(
    value =
        "!has(self.spec) || !has(self.spec.labels) || ("
            + "(!('app.kubernetes.io/name' in self.spec.labels) || self.spec.labels['app.kubernetes.io/name'] == self.metadata.name)"
            + " && (!('app.kubernetes.io/instance' in self.spec.labels) || self.spec.labels['app.kubernetes.io/instance'] == self.metadata.name)"
            + " && (!('app.kubernetes.io/managed-by' in self.spec.labels)"
            + " || self.spec.labels['app.kubernetes.io/managed-by'] == 'labeledappset-operator'))",
    message =
        "spec.labels may not give the app.kubernetes.io labels the operator sets other values")
public class LabeledAppSet extends CustomResource<LabeledAppSetSpec, LabeledAppSetStatus>
    implements Namespaced {
  public static final String GROUP = "labeledapps.io";
  public static final String VERSION = "v1alpha1";

  /** The printer columns' path to the Ready condition. */
  static final String READY = ".status.conditions[?(@.type==\"Ready\")]";

  /**
   * Set only on a stand-in for a stored set whose JSON could not be read; never sent to the server.
   */
  @JsonIgnore private ReadingProblem readingProblem;

  @Override
  @JsonPropertyDescription("The desired state: how many pods, their template and their Service.")
  public LabeledAppSetSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription("What the operator observed; written only when it changes.")
  public LabeledAppSetStatus getStatus() {
    return super.getStatus();
  }

  @Override
  protected LabeledAppSetSpec initSpec() {
    return new LabeledAppSetSpec();
  }

  /**
   * Why the stored set could not be read, or null when it was read whole. When set, this object is
   * a stand-in holding the stored metadata (and status, when that could be read) and an empty spec.
   */
  @JsonIgnore
  public ReadingProblem getReadingProblem() {
    return readingProblem;
  }

  @JsonIgnore
  public void setReadingProblem(ReadingProblem readingProblem) {
    this.readingProblem = readingProblem;
  }
}

package io.labeledapps.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the user asks for: the pods' template, how many of them, and their Service. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LabeledAppSetSpec {

  @JsonPropertyDescription("Number of pods. Defaults to 1; 0 keeps the Service but no pods.")
  @Default("1")
  @Min(0)
  @SpecReplicas
  private Integer replicas = 1;

  @JsonPropertyDescription("Labels put on every pod, in addition to the standard app.kubernetes.io labels.")
  private Map<String, String> labels = new LinkedHashMap<>();

  @JsonPropertyDescription("Annotations put on every pod.")
  private Map<String, String> annotations = new LinkedHashMap<>();

  @JsonPropertyDescription("Node labels a node must carry for the pods to be scheduled on it.")
  private Map<String, String> nodeSelector = new LinkedHashMap<>();

  @JsonPropertyDescription("The pods' containers; at least one.")
  @Required
  @Size(min = 1)
  private List<ContainerSpec> containers = new ArrayList<>();

  @JsonPropertyDescription("Containers run to completion, in order, before the containers start.")
  private List<ContainerSpec> initContainers = new ArrayList<>();

  @JsonPropertyDescription("The Service selecting exactly this set's pods; omit it for no Service.")
  private ServiceSpec service;

  @JsonPropertyDescription("How pods with an old template are replaced when the template changes.")
  private UpdateStrategy updateStrategy;

  @JsonPropertyDescription("Seconds a template rollout may go without progress before Progressing turns False"
      + " with reason ProgressDeadlineExceeded and the rollout stops. Default 600.")
  @Min(1)
  private Integer progressDeadlineSeconds;

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<ContainerSpec> getContainers() {
    return containers;
  }

  public void setContainers(List<ContainerSpec> containers) {
    this.containers = containers;
  }

  public List<ContainerSpec> getInitContainers() {
    return initContainers;
  }

  public void setInitContainers(List<ContainerSpec> initContainers) {
    this.initContainers = initContainers;
  }

  public UpdateStrategy getUpdateStrategy() {
    return updateStrategy;
  }

  public void setUpdateStrategy(UpdateStrategy updateStrategy) {
    this.updateStrategy = updateStrategy;
  }

  public Integer getProgressDeadlineSeconds() {
    return progressDeadlineSeconds;
  }

  public void setProgressDeadlineSeconds(Integer progressDeadlineSeconds) {
    this.progressDeadlineSeconds = progressDeadlineSeconds;
  }

  public ServiceSpec getService() {
    return service;
  }

  public void setService(ServiceSpec service) {
    this.service = service;
  }
}

package io.labeledapps.operator.api.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Schema of a container's lifecycle hooks. */
public class LifecycleSchema {
  @JsonPropertyDescription(
      "Runs right after the container is created; the container is not running until it ends.")
  public Handler postStart;

  @JsonPropertyDescription(
      "Runs before the container is stopped, e.g. to drain connections; the pod's"
          + " terminationGracePeriodSeconds bounds it.")
  public Handler preStop;

  /** Schema of a lifecycle hook: exactly one of exec, httpGet, tcpSocket. */
  @ValidationRule(
      value = "[has(self.exec), has(self.httpGet), has(self.tcpSocket)].exists_one(h, h)",
      message = "a lifecycle hook needs exactly one handler: exec, httpGet or tcpSocket")
  public static class Handler {
    @JsonPropertyDescription("Runs a command in the container.")
    public ProbeSchema.Exec exec;

    @JsonPropertyDescription("An HTTP GET against the container.")
    public ProbeSchema.HttpGet httpGet;

    @JsonPropertyDescription(
        "Opens a TCP connection to the container (deprecated by Kubernetes; kept for compatibility).")
    public ProbeSchema.TcpSocket tcpSocket;
  }
}

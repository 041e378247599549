package io.labeledapps.operator.api.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.labeledapps.operator.api.Syntax;
import java.util.List;

/**
 * Schema of a container probe: exactly one of exec, httpGet, tcpSocket, plus timing. The timings
 * have Kubernetes' lower bounds (a 0 that Kubernetes would read as "the default" is refused: leave
 * the field out).
 */
public class ProbeSchema {
  @JsonPropertyDescription("Runs a command in the container; exit status 0 is success.")
  public Exec exec;

  @JsonPropertyDescription(
      "An HTTP GET against the container; a status from 200 to 399 is success.")
  public HttpGet httpGet;

  @JsonPropertyDescription("Opens a TCP connection to the container; connecting is success.")
  public TcpSocket tcpSocket;

  @JsonPropertyDescription(
      "Seconds after the container starts before the first probe, 0 or more. Default 0.")
  @Min(0)
  public Integer initialDelaySeconds;

  @JsonPropertyDescription("Seconds between probes, at least 1. Default 10.")
  @Min(1)
  public Integer periodSeconds;

  @JsonPropertyDescription("Seconds after which a probe times out, at least 1. Default 1.")
  @Min(1)
  public Integer timeoutSeconds;

  @JsonPropertyDescription(
      "Consecutive successes after a failure to count as success. Default 1 (must be 1 for liveness and startup).")
  @Min(1)
  public Integer successThreshold;

  @JsonPropertyDescription("Consecutive failures to count as failure, at least 1. Default 3.")
  @Min(1)
  public Integer failureThreshold;

  @JsonPropertyDescription(
      "Grace period for the pod's termination after a liveness or startup failure, in seconds, at least 1.")
  @Min(1)
  public Long terminationGracePeriodSeconds;

  /** Schema of an exec probe. */
  public static class Exec {
    @JsonPropertyDescription(
        "The command and its arguments; not run in a shell. At least one entry.")
    @Required
    @Size(min = 1, max = Syntax.MAX_ARGS)
    public List<@Size(max = Syntax.MAX_TEXT) String> command;
  }

  /** HTTP or HTTPS. */
  public enum Scheme {
    HTTP,
    HTTPS
  }

  /** What an HTTP GET and a TCP socket probe connect to. */
  public abstract static class Endpoint {
    @JsonPropertyDescription(
        "Container port: a number (1-65535) or the name of one of the container's ports.")
    @Required
    @Min(1)
    @Max(65535)
    @Size(max = 15)
    @Pattern(Syntax.PORT_NAME)
    public IntOrString port;

    @JsonPropertyDescription("Host to connect to; defaults to the pod IP.")
    @Size(max = 253)
    public String host;
  }

  /** Schema of an HTTP GET probe. */
  public static class HttpGet extends Endpoint {
    @JsonPropertyDescription("Path to request, e.g. /healthz.")
    @Size(max = 2048)
    public String path;

    @JsonPropertyDescription("HTTP or HTTPS. Default HTTP.")
    public Scheme scheme;

    @JsonPropertyDescription("Extra request headers.")
    @Size(max = 32)
    public List<Header> httpHeaders;
  }

  /** Schema of an HTTP header. */
  public static class Header {
    @JsonPropertyDescription("Header name: letters, digits and '-'.")
    @Required
    @Size(min = 1, max = Syntax.MAX_NAME)
    @Pattern(Syntax.HTTP_HEADER_NAME)
    public String name;

    @JsonPropertyDescription("Header value.")
    @Size(max = 4096)
    public String value;
  }

  /** Schema of a TCP socket probe. */
  public static class TcpSocket extends Endpoint {}
}

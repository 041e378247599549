package io.labeledapps.operator.api.schema;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;

/** Schema of a container probe: exactly one of exec, httpGet, tcpSocket, plus timing. */
public class ProbeSchema {
  @JsonPropertyDescription("Runs a command in the container; exit status 0 is success.")
  public Exec exec;
  @JsonPropertyDescription("An HTTP GET against the container; a status from 200 to 399 is success.")
  public HttpGet httpGet;
  @JsonPropertyDescription("Opens a TCP connection to the container; connecting is success.")
  public TcpSocket tcpSocket;
  @JsonPropertyDescription("Seconds after the container starts before the first probe. Default 0.")
  public Integer initialDelaySeconds;
  @JsonPropertyDescription("Seconds between probes. Default 10.")
  public Integer periodSeconds;
  @JsonPropertyDescription("Seconds after which a probe times out. Default 1.")
  public Integer timeoutSeconds;
  @JsonPropertyDescription("Consecutive successes after a failure to count as success. Default 1 (must be 1 for liveness and startup).")
  public Integer successThreshold;
  @JsonPropertyDescription("Consecutive failures to count as failure. Default 3.")
  public Integer failureThreshold;
  @JsonPropertyDescription("Grace period for the pod's termination after a liveness or startup failure, in seconds.")
  public Long terminationGracePeriodSeconds;

  /** Schema of an exec probe. */
  public static class Exec {
    @JsonPropertyDescription("The command and its arguments; not run in a shell.")
    public List<String> command;
  }

  /** Schema of an HTTP GET probe. */
  public static class HttpGet {
    @JsonPropertyDescription("Path to request, e.g. /healthz.")
    public String path;
    @JsonPropertyDescription("Container port: a number or the name of one of the container's ports.")
    public IntOrString port;
    @JsonPropertyDescription("Host to connect to; defaults to the pod IP.")
    public String host;
    @JsonPropertyDescription("HTTP or HTTPS. Default HTTP.")
    public String scheme;
    @JsonPropertyDescription("Extra request headers.")
    public List<Header> httpHeaders;
  }

  /** Schema of an HTTP header. */
  public static class Header {
    @JsonPropertyDescription("Header name.")
    public String name;
    @JsonPropertyDescription("Header value.")
    public String value;
  }

  /** Schema of a TCP socket probe. */
  public static class TcpSocket {
    @JsonPropertyDescription("Container port: a number or the name of one of the container's ports.")
    public IntOrString port;
    @JsonPropertyDescription("Host to connect to; defaults to the pod IP.")
    public String host;
  }
}

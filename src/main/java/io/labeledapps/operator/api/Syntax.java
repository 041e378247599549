package io.labeledapps.operator.api;

/**
 * The patterns and bounds the CRD schema and its CEL rules use, in one place so that
 * {@code validation.SpecValidator} applies exactly the same ones on servers that ignore CEL.
 * The patterns are anchored and use only what RE2 (the API server, CEL) and java.util.regex read alike.
 */
public final class Syntax {
  /** A DNS-1123 label: container names, Service port names. At most 63 characters. */
  public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
  /** A DNS-1035 label, what a Service name must be. */
  public static final String DNS_1035_LABEL = "^[a-z]([-a-z0-9]*[a-z0-9])?$";
  /** A container port name (IANA service name): at most 15 characters; also needs a letter and no "--". */
  public static final String PORT_NAME = "^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$";
  /** A DNS-1123 subdomain: ServiceAccount and PriorityClass names. At most 253 characters. */
  public static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  /** A label value: empty, or at most 63 alphanumerics, '-', '_', '.', starting and ending alphanumeric. */
  public static final String LABEL_VALUE = "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";
  /** An image reference has no whitespace; an empty one is no image. */
  public static final String IMAGE = "^\\S+$";

  /** Longest set name whose pod names ({@code <set>-<slot>}) and label values stay valid. */
  public static final int MAX_NAME_LENGTH = 52;
  public static final int MAX_REPLICAS = 10_000;
  /*
   * List bounds. API servers that enforce CEL estimate each rule's worst-case cost from them and refuse
   * a CRD whose rules could cost too much (10^7 per rule). The dearest rules compare every container
   * port with every other: containers^2 * ports^2 = 16^2 * 16^2 comparisons, about 10^6.
   */
  public static final int MAX_CONTAINERS = 16;
  public static final int MAX_PORTS = 16;
  /** Volumes: every mount of every container is looked up among them by name. */
  public static final int MAX_VOLUMES = 64;
  /** Mounts of one container, compared pairwise by path. */
  public static final int MAX_VOLUME_MOUNTS = 32;
  /** Files of one volume, sources of a projected volume. */
  public static final int MAX_VOLUME_ITEMS = 64;
  public static final int MAX_ENV = 256;
  public static final int MAX_ENV_FROM = 16;
  /** Tolerations, topology spread constraints, image pull secrets. */
  public static final int MAX_SCHEDULING_ITEMS = 32;
  /** Service ports are compared pairwise only, and with every container port by name. */
  public static final int MAX_SERVICE_PORTS = 32;

  /** CEL: container ports {@code p} and {@code q} clash (same number and protocol). */
  static final String SAME_PORT = "q.containerPort == p.containerPort && q.protocol == p.protocol";

  private Syntax() {}
}

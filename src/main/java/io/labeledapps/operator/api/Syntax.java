package io.labeledapps.operator.api;

/**
 * The patterns and bounds the CRD schema and its CEL rules use, in one place so that {@code
 * validation.SpecValidator} applies exactly the same ones on servers that ignore CEL. The patterns
 * are anchored and use only what RE2 (the API server, CEL) and java.util.regex read alike.
 */
public final class Syntax {
  /** A DNS-1123 label: container names, Service port names. At most 63 characters. */
  public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

  /** A DNS-1035 label, what a Service name must be. */
  public static final String DNS_1035_LABEL = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

  /**
   * A container port name (IANA service name): at most 15 characters; also needs a letter and no
   * "--".
   */
  public static final String PORT_NAME = "^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$";

  /**
   * A label value: empty, or at most 63 alphanumerics, '-', '_', '.', starting and ending
   * alphanumeric.
   */
  public static final String LABEL_VALUE = "^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$";

  /** An image reference has no whitespace; an empty one is no image. */
  public static final String IMAGE = "^\\S+$";

  /**
   * An IPv4 or IPv6 CIDR such as 203.0.113.0/24 or 2001:db8::/32 (the operator checks the numbers).
   */
  public static final String CIDR =
      "^([0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*/[0-9]{1,3})$";

  /**
   * A qualified name such as example.com/internal-vip: optional DNS prefix and '/', then a name.
   */
  public static final String QUALIFIED_NAME =
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";

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

  public static final int MAX_ENV_FROM = 16;

  /** Tolerations, topology spread constraints, image pull secrets. */
  public static final int MAX_SCHEDULING_ITEMS = 32;

  /** Service ports are compared pairwise only, and with every container port by name. */
  public static final int MAX_SERVICE_PORTS = 32;

  /** Entries of spec.service.loadBalancerSourceRanges. */
  public static final int MAX_SOURCE_RANGES = 32;

  /** Entries of spec.service.annotations. */
  public static final int MAX_SERVICE_ANNOTATIONS = 32;

  /*
   * Kubernetes' own grammars (pkg/apis/core/validation, apimachinery's validation and quantity parser), for
   * the schema. Where Kubernetes sets no length, the bound is the operator's (see crd.SchemaBounds).
   */
  /**
   * A DNS-1123 subdomain (ConfigMap, Secret, ServiceAccount and PriorityClass names): at most 253
   * characters.
   */
  public static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

  /**
   * An environment variable name as every supported server accepts it (IsEnvVarName before 1.32).
   */
  public static final String ENV_VAR_NAME = "^[-._a-zA-Z][-._a-zA-Z0-9]*$";

  /**
   * A ConfigMap or Secret key (IsConfigMapKey): at most 253 of these characters, not ".", "..", nor
   * "..x".
   */
  public static final String CONFIG_MAP_KEY = "^\\.?[-_a-zA-Z0-9][-._a-zA-Z0-9]*$";

  /** An HTTP header name (IsHTTPHeaderName). */
  public static final String HTTP_HEADER_NAME = "^[-A-Za-z0-9]+$";

  /**
   * The pod fields an environment variable may take its value from
   * (validEnvDownwardAPIFieldPathExpressions).
   */
  public static final String ENV_FIELD_PATH =
      "^(metadata\\.(name|namespace|uid)|spec\\.(nodeName|serviceAccountName)"
          + "|status\\.(hostIP|podIP|podIPs)|metadata\\.(labels|annotations)\\['[-A-Za-z0-9_./]+'\\])$";

  /**
   * The container resources an environment variable may take its value from
   * (validContainerResourceFieldPathExpressions).
   */
  public static final String ENV_RESOURCE =
      "^(limits|requests)\\.(cpu|memory|ephemeral-storage|hugepages-[-A-Za-z0-9.]+)$";

  /** Kubernetes' quantity grammar (resource.Quantity), as its own CRDs publish it. */
  public static final String QUANTITY =
      "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]"
          + "|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";

  /** A quantity without a minus sign: resource requests and limits may not be negative. */
  public static final String NONNEGATIVE_QUANTITY =
      "^\\+?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]"
          + "|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";

  /**
   * A label key (a qualified name): an optional DNS-subdomain prefix and '/', then a name of at
   * most 63 alphanumerics, '-', '_', '.', starting and ending alphanumeric. Written with {@code
   * [.]}, not a backslash, so that it reads the same inside a CEL string literal. The prefix's
   * 253-character limit is beyond a pattern; the whole key's 317 is a rule of its own.
   */
  public static final String LABEL_KEY =
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
          + "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";

  /** An annotation key: a label key whose prefix Kubernetes lowercases before checking it. */
  public static final String ANNOTATION_KEY =
      "^([A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?([.][A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*/)?"
          + "[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";

  /**
   * A resource a container may request (validateContainerResourceName): cpu, memory,
   * ephemeral-storage, hugepages-&lt;size&gt;, or a domain-prefixed extended resource such as
   * example.com/gpu.
   */
  public static final String RESOURCE_NAME =
      "^(cpu|memory|ephemeral-storage|hugepages-[-A-Za-z0-9.]+"
          + "|[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*/[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)$";

  /* CEL, on a map: every key no longer than a qualified name matches the pattern (the length first, so that the
   * regex only ever runs on short keys; longer keys are another rule's). */
  public static final String LABEL_KEYS_RULE =
      "self.all(k, size(k) > 317 || k.matches('" + LABEL_KEY + "'))";
  public static final String ANNOTATION_KEYS_RULE =
      "self.all(k, size(k) > 317 || k.matches('" + ANNOTATION_KEY + "'))";
  public static final String RESOURCE_NAMES_RULE =
      "self.all(k, size(k) > 317 || k.matches('" + RESOURCE_NAME + "'))";

  /** Longest quantity string; Kubernetes sets none, and no real quantity comes near. */
  public static final int MAX_QUANTITY_LENGTH = 64;

  /**
   * Resources a container may name in requests or limits (cpu, memory, ephemeral-storage,
   * hugepages, extended).
   */
  public static final int MAX_RESOURCES = 16;

  /** Entries of labels, annotations and nodeSelector. */
  public static final int MAX_MAP_ENTRIES = 64;

  /** Longest annotation value: the API server allows all annotations 256 KiB together. */
  public static final int MAX_ANNOTATION_VALUE = 256 * 1024;

  /** Environment variables per container, and command or args entries. */
  public static final int MAX_ENV = 256;

  public static final int MAX_ARGS = 256;

  /** Longest env var value, command or args entry: long enough for an inline script. */
  public static final int MAX_TEXT = 32 * 1024;

  /** Longest env var name or HTTP header name (Kubernetes sets none). */
  public static final int MAX_NAME = 1024;

  /** CEL: container ports {@code p} and {@code q} clash (same number and protocol). */
  static final String SAME_PORT = "q.containerPort == p.containerPort && q.protocol == p.protocol";

  private Syntax() {}
}

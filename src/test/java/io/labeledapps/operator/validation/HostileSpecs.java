package io.labeledapps.operator.validation;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiConsumer;

/**
 * Random and adversarial LabeledAppSets, as the JSON trees a careless or hostile user would apply:
 * a small valid set, then a few mutations drawn from what broke the operator before (bad quantities
 * and resource names, env names and sources, probe contents, label and annotation syntax and size,
 * ports) and what breaks parsers (wrong types, nulls, boundaries 0/-1/2^31/2^63, huge strings and
 * maps, unicode, duplicates). Deterministic for a given {@link Random} seed, so a failure is
 * reproduced from the seed the tests print.
 */
public final class HostileSpecs {
  public static final BigInteger TWO_31 = BigInteger.TWO.pow(31);
  public static final BigInteger TWO_63 = BigInteger.TWO.pow(63);

  /**
   * What may go into a spec.
   *
   * @param wrongTypes values of the wrong JSON type (the schema refuses them; the operator cannot
   *     read them)
   * @param unreadable what a CRD without bounds admits but the operator's Java types cannot read:
   *     integers above int32 in fields without a maximum, map keys longer than Jackson's
   *     50,000-character name limit, an empty quantity (fabric8: "Invalid quantity string format");
   *     such an object stops an operator whose informers cannot read it (issue 15 items 1 and 2)
   */
  public record Options(boolean wrongTypes, boolean unreadable) {}

  /**
   * One generated set.
   *
   * @param mutations what was done to the valid base, for the failure message
   */
  public record Spec(String name, Map<String, Object> object, List<String> mutations) {
    @SuppressWarnings("unchecked")
    public Map<String, Object> spec() {
      return (Map<String, Object>) object.get("spec");
    }
  }

  private final Random random;
  private final Options options;

  public HostileSpecs(Random random, Options options) {
    this.random = random;
    this.options = options;
  }

  /** A set named {@code name}: the valid base and one to three mutations. */
  public Spec next(String name) {
    Map<String, Object> container =
        map(
            "name",
            "web",
            "image",
            "nginx:1.27",
            "ports",
            list(map("name", "http", "containerPort", 8080)));
    Map<String, Object> spec =
        map("replicas", 1, "labels", map("app", name), "containers", list(container));
    if (random.nextBoolean()) {
      spec.put(
          "service", map("ports", list(map("name", "http", "port", 80, "targetPort", "http"))));
    }
    Map<String, Object> object =
        map(
            "apiVersion",
            "labeledapps.io/v1alpha1",
            "kind",
            "LabeledAppSet",
            "metadata",
            map("name", name),
            "spec",
            spec);
    List<String> done = new ArrayList<>();
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      int which = random.nextInt(MUTATIONS.size());
      MUTATIONS.get(which).accept(this, new Target(object, spec, container, done));
    }
    return new Spec(name, object, done);
  }

  /** What a mutation changes, and where it writes down what it did. */
  private record Target(
      Map<String, Object> object,
      Map<String, Object> spec,
      Map<String, Object> container,
      List<String> done) {
    void did(String what, Object value) {
      String shown = String.valueOf(value);
      done.add(
          what
              + "="
              + (shown.length() > 80
                  ? shown.substring(0, 60) + "...(" + shown.length() + ")"
                  : shown));
    }
  }

  private static final List<BiConsumer<HostileSpecs, Target>> MUTATIONS =
      List.of(
          HostileSpecs::quantity,
          HostileSpecs::quantity,
          HostileSpecs::resourceName,
          HostileSpecs::requestAboveLimit,
          HostileSpecs::envName,
          HostileSpecs::envSource,
          HostileSpecs::probe,
          HostileSpecs::probe,
          HostileSpecs::labels,
          HostileSpecs::annotations,
          HostileSpecs::ports,
          HostileSpecs::integers,
          HostileSpecs::nulls,
          HostileSpecs::duplicates,
          HostileSpecs::strings,
          HostileSpecs::wrongType);

  static final List<Object> QUANTITIES =
      List.of(
          "lots",
          "1ki",
          "Ti",
          "Ki",
          "-1",
          "-100m",
          "1e99",
          "0",
          "100m",
          "1.5",
          "1Gi",
          "128Mi",
          "9223372036854775808",
          "8Ei",
          "",
          ".5",
          "5.",
          "1e3",
          "１",
          "½",
          "1 Gi",
          " 1",
          "0.0001",
          "1n",
          "2Ei",
          "1e-3",
          1,
          0,
          1.5,
          "+1",
          "1E",
          "1Mi2",
          "∞");
  static final List<String> RESOURCE_NAMES =
      List.of(
          "cpu",
          "memory",
          "ephemeral-storage",
          "foo",
          "storage",
          "example.com/gpu",
          "hugepages-2Mi",
          "hugepages-x",
          "kubernetes.io/thing",
          "Bad_Domain/x",
          "requests.x/y",
          "example.com/",
          "/gpu",
          "nvidia.com/gpu",
          "CPU",
          "cpu ",
          "é/x");
  static final List<String> ENV_NAMES =
      List.of(
          "A",
          "_X",
          "my.env-name",
          "1ST",
          "MY VAR",
          "..x",
          ".",
          "..",
          "é",
          "A=B",
          "-dash",
          "x".repeat(300),
          "",
          "TAB\t",
          "$HOME",
          "a.b.c");
  static final List<Object> TIMINGS = List.of(0, -1, 1, 10, Integer.MAX_VALUE, Integer.MIN_VALUE);
  static final List<String> HEADER_NAMES =
      List.of("X-Trace", "X Bad", "", "Ünicode", "a:b", "Content-Type", "x_y");
  static final List<String> LABEL_KEYS =
      List.of(
          "team",
          "example.com/team",
          "bad key",
          "-x",
          "x/",
          "/x",
          "a/b/c",
          "UPPER.example.com/x",
          "é",
          "x".repeat(63),
          "x".repeat(64),
          "example.com/" + "x".repeat(64),
          "kubernetes.io/x");
  static final List<String> LABEL_VALUES =
      List.of("", "v", "x".repeat(63), "x".repeat(64), "bad value", "-x", "é", "a.b_c-d", "x/y");
  static final List<Object> PORTS = List.of(0, -1, 1, 65535, 65536, 8080, 80, Integer.MAX_VALUE);

  private static Map<String, Object> resources(Target t) {
    return section(t.container(), "resources");
  }

  /** {@code parent[key]} as a map; one a wrong-type mutation replaced is replaced back. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(Map<String, Object> parent, String key) {
    if (!(parent.get(key) instanceof Map)) {
      parent.put(key, new LinkedHashMap<>());
    }
    return (Map<String, Object>) parent.get(key);
  }

  /** {@code parent[key]} as a list; one a wrong-type mutation replaced is replaced back. */
  @SuppressWarnings("unchecked")
  private static List<Object> listAt(Map<String, Object> parent, String key) {
    if (!(parent.get(key) instanceof List)) {
      parent.put(key, new ArrayList<>());
    }
    return (List<Object>) parent.get(key);
  }

  private void quantity(Target t) {
    String section = random.nextBoolean() ? "requests" : "limits";
    String name = pick(List.of("cpu", "memory", "ephemeral-storage"));
    Object value = pick(QUANTITIES);
    if ("".equals(value) && !options.unreadable()) {
      value = "0";
    }
    section(resources(t), section).put(name, value);
    t.did("resources." + section + "." + name, value);
  }

  private void resourceName(Target t) {
    String name = pick(RESOURCE_NAMES);
    Object value = pick(List.of("1", "2", "4Mi", "500m"));
    section(resources(t), "limits").put(name, value);
    if (random.nextBoolean()) {
      Object request = random.nextBoolean() ? value : pick(List.of("1", "2", "2Mi"));
      section(resources(t), "requests").put(name, request);
      t.did("resources.requests." + name, request);
    }
    t.did("resources.limits." + name, value);
  }

  private void requestAboveLimit(Target t) {
    String name = pick(List.of("cpu", "memory"));
    Object request = pick(List.of("2", "1Gi", "1G", "500m", "100Mi"));
    Object limit = pick(List.of("1", "1Gi", "1G", "500m", "2"));
    section(resources(t), "requests").put(name, request);
    section(resources(t), "limits").put(name, limit);
    t.did("resources." + name + " request/limit", request + "/" + limit);
  }

  private List<Object> env(Target t) {
    return listAt(t.container(), "env");
  }

  private void envName(Target t) {
    String name = pick(ENV_NAMES);
    env(t).add(map("name", name, "value", pick(List.of("v", "", "é✓", "$(A)", "x".repeat(1000)))));
    t.did("env.name", name);
  }

  private void envSource(Target t) {
    Map<String, Object> from = new LinkedHashMap<>();
    List<Map<String, Object>> sources =
        List.of(
            map(
                "fieldRef",
                map(
                    "fieldPath",
                    pick(
                        List.of(
                            "metadata.name",
                            "status.podIP",
                            "spec.containers",
                            "",
                            "metadata.labels['app']",
                            "metadata.labels['bad key']")))),
            map(
                "secretKeyRef",
                map(
                    "name",
                    pick(List.of("db", "Bad_Name", "")),
                    "key",
                    pick(List.of("pass", "a/b", "", "..")))),
            map(
                "configMapKeyRef",
                map("name", "cfg", "key", pick(List.of("k", "k.v", "x".repeat(254))))),
            map(
                "resourceFieldRef",
                map(
                    "resource",
                    pick(List.of("limits.memory", "limits.gpu", "requests.cpu")),
                    "divisor",
                    pick(List.of("1", "1Mi", "1m", "3")))));
    int n = random.nextInt(3);
    for (int i = 0; i < n; i++) {
      from.putAll(pick(sources));
    }
    Map<String, Object> env = map("name", "FROM", "valueFrom", from);
    if (random.nextInt(4) == 0) {
      env.put("value", "also");
    }
    env(t).add(env);
    t.did("env.valueFrom", env);
  }

  private void probe(Target t) {
    String kind = pick(List.of("livenessProbe", "readinessProbe", "startupProbe"));
    Map<String, Object> probe = new LinkedHashMap<>();
    int handlers = random.nextInt(4) == 0 ? random.nextInt(3) : 1;
    List<String> all = new ArrayList<>(List.of("exec", "httpGet", "tcpSocket"));
    for (int i = 0; i < handlers; i++) {
      String h = all.remove(random.nextInt(all.size()));
      switch (h) {
        case "exec" ->
            probe.put(
                "exec",
                random.nextBoolean() ? map("command", list("true")) : map("command", list()));
        case "httpGet" ->
            probe.put(
                "httpGet",
                map(
                    "port",
                    pick(List.of("http", 8080, 0, 70000, "nope")),
                    "httpHeaders",
                    list(map("name", pick(HEADER_NAMES), "value", "v"))));
        default -> probe.put("tcpSocket", map("port", pick(List.of("http", 8080, -1))));
      }
    }
    String timing =
        pick(
            List.of(
                "initialDelaySeconds",
                "periodSeconds",
                "timeoutSeconds",
                "successThreshold",
                "failureThreshold"));
    Object value =
        options.unreadable() && random.nextInt(3) == 0
            ? pick(List.of(TWO_31, TWO_63))
            : pick(TIMINGS);
    probe.put(timing, value);
    t.container().put(kind, probe);
    t.did(kind, probe);
  }

  @SuppressWarnings("unchecked")
  private void labels(Target t) {
    String where = pick(List.of("labels", "nodeSelector"));
    Map<String, Object> map = section(t.spec(), where);
    if (where.equals("labels") && random.nextInt(4) == 0) {
      for (int i = 0; i < 300; i++) {
        map.put("k" + i, "v" + i);
      }
      t.did(where, "300 entries");
      return;
    }
    String key = pick(LABEL_KEYS);
    String value = pick(LABEL_VALUES);
    if (where.equals("nodeSelector")) {
      // the fake nodes carry disk=ssd|hdd: a valid selector matching no node would leave the pod
      // unschedulable, neither refused nor converged; so either one that schedules or a bad one
      boolean schedules = random.nextBoolean();
      key =
          schedules
              ? "disk"
              : pick(List.of("bad key", "-x", "x/", "/x", "a/b/c", "é", "x".repeat(64)));
      value = schedules ? "ssd" : value;
    }
    map.put(key, value);
    t.did(where + "[" + key + "]", value);
  }

  private void annotations(Target t) {
    Map<String, Object> map = section(t.spec(), "annotations");
    int kib = pick(List.of(1, 100, 250, 255, 257, 300));
    int parts = 1 + random.nextInt(3);
    for (int i = 0; i < parts; i++) {
      map.put("note-" + i, "é".repeat(kib * 1024 / parts / 2));
    }
    String key = pick(List.of("example.com/x", "bad key", "a/b/c", "x".repeat(64), "ok"));
    map.put(key, "v");
    t.did("annotations", kib + " KiB in " + parts + " values, key " + key);
  }

  @SuppressWarnings("unchecked")
  private void ports(Target t) {
    List<Object> ports = listAt(t.container(), "ports");
    Object number = pick(PORTS);
    Object name = pick(List.of("http", "metrics", "a--b", "UPPER", "x".repeat(16), "123", "ok-1"));
    ports.add(map("name", name, "containerPort", number));
    t.did("ports", name + ":" + number);
  }

  private void integers(Target t) {
    String field = pick(List.of("replicas", "progressDeadlineSeconds"));
    List<Object> values = new ArrayList<>(List.of(0, -1, 1, 2, 10_001, Integer.MAX_VALUE));
    if (options.unreadable() || field.equals("replicas")) {
      values.addAll(List.of(TWO_31, TWO_63, TWO_63.negate()));
    }
    Object value = pick(values);
    t.spec().put(field, value);
    t.did(field, value);
  }

  @SuppressWarnings("unchecked")
  private void nulls(Target t) {
    switch (random.nextInt(4)) {
      case 0 -> {
        listAt(t.spec(), "containers").add(null);
        t.did("containers[+]", null);
      }
      case 1 -> {
        section(t.spec(), "labels").put("team", null);
        t.did("labels[team]", null);
      }
      case 2 -> {
        env(t).add(null);
        t.did("env[+]", null);
      }
      default -> {
        t.container().put("image", null);
        t.did("image", null);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void duplicates(Target t) {
    switch (random.nextInt(3)) {
      case 0 -> {
        listAt(t.spec(), "containers").add(map("name", "web", "image", "busybox"));
        t.did("containers", "a second 'web'");
      }
      case 1 -> {
        env(t).add(map("name", "DUP", "value", "1"));
        env(t).add(map("name", "DUP", "value", "2"));
        t.did("env", "DUP twice");
      }
      default -> {
        (listAt(t.container(), "ports")).add(map("name", "http2", "containerPort", 8080));
        t.did("ports", "8080 twice");
      }
    }
  }

  private void strings(Target t) {
    switch (random.nextInt(4)) {
      case 0 -> {
        String image =
            pick(List.of("nginx:é", "nginx 1", "", "x".repeat(5000), "busybox@sha256:bad"));
        t.container().put("image", image);
        t.did("image", image);
      }
      case 1 -> {
        String name = pick(List.of("Web", "w".repeat(64), "we_b", "é", "-web"));
        t.container().put("name", name);
        t.did("container name", name);
      }
      case 2 -> {
        List<Object> command = list("sh", "-c", "é✓".repeat(random.nextInt(2000)), "\u0000");
        t.container().put("command", command);
        t.did("command", command);
      }
      default -> {
        int length = options.unreadable() ? 60_000 : 40_000;
        String key = "k".repeat(length);
        section(t.spec(), "annotations").put(key, "v");
        t.did("annotation key of", length);
      }
    }
  }

  private void wrongType(Target t) {
    if (!options.wrongTypes()) {
      strings(t);
      return;
    }
    String what;
    switch (random.nextInt(5)) {
      case 0 -> {
        t.spec().put("replicas", "three");
        what = "replicas: three";
      }
      case 1 -> {
        t.spec().put("labels", list("app"));
        what = "labels: [app]";
      }
      case 2 -> {
        section(t.spec(), "labels").put("tier", 1);
        what = "labels.tier: 1";
      }
      case 3 -> {
        t.container().put("env", "A=B");
        what = "env: A=B";
      }
      default -> {
        t.container().put("ports", map("containerPort", "http"));
        what = "ports: {containerPort: http}";
      }
    }
    t.did("wrong type", what);
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  private static List<Object> list(Object... values) {
    return new ArrayList<>(java.util.Arrays.asList(values));
  }
}

package io.labeledapps.operator.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.api.LabeledAppSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpecValidatorTest {

  /** A valid set named {@code name}; {@code spec} is indented under {@code spec:}. */
  private static LabeledAppSet set(String name, String spec) {
    return Serialization.unmarshal(
        """
        apiVersion: labeledapps.io/v1alpha1
        kind: LabeledAppSet
        metadata:
          name: %s
          namespace: apps
        spec:
        %s
        """
            .formatted(name, spec.indent(2)),
        LabeledAppSet.class);
  }

  private static LabeledAppSet set(String spec) {
    return set("web", spec);
  }

  private static final String WEB =
      """
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - {name: http, containerPort: 8080}
      """;

  /** {@link #WEB} and {@code more}, as the spec of set web. */
  private static LabeledAppSet web(String more) {
    return set(WEB + more);
  }

  private static List<String> fields(LabeledAppSet set) {
    return SpecValidator.validate(set).stream().map(Violation::field).toList();
  }

  private static void assertViolations(List<String> expectedFields, LabeledAppSet set) {
    List<Violation> violations = SpecValidator.validate(set);
    assertEquals(
        expectedFields, violations.stream().map(Violation::field).toList(), violations.toString());
  }

  private static void assertValid(LabeledAppSet set) {
    assertViolations(List.of(), set);
  }

  @Test
  void minimalSetIsValid() {
    assertValid(set(WEB));
  }

  // containers

  @Test
  void noContainers() {
    assertViolations(List.of("spec.containers"), set("containers: []"));
    LabeledAppSet none = set(WEB);
    none.getSpec().setContainers(null);
    assertViolations(List.of("spec.containers"), none);
  }

  @Test
  void missingImage() {
    assertViolations(List.of("spec.containers[0].image"), set("containers: [{name: web}]"));
    assertViolations(
        List.of("spec.containers[0].image"), set("containers: [{name: web, image: ' '}]"));
    assertViolations(
        List.of("spec.initContainers[0].image"), set(WEB + "initContainers: [{name: init}]"));
  }

  @Test
  void duplicateContainerNames() {
    assertViolations(
        List.of("spec.containers[1].name"),
        set(
            """
        containers:
          - {name: web, image: nginx:1.27}
          - {name: web, image: busybox:1.36}
        """));
  }

  @Test
  void duplicateContainerNameAcrossInitAndMain() {
    assertViolations(
        List.of("spec.containers[0].name"),
        set(WEB + "initContainers: [{name: web, image: busybox}]"));
  }

  @Test
  void containerNameNotADnsLabel() {
    assertViolations(
        List.of("spec.containers[0].name"), set("containers: [{name: Web_1, image: nginx}]"));
    assertViolations(List.of("spec.containers[0].name"), set("containers: [{image: nginx}]"));
  }

  @Test
  void duplicateContainerPortAcrossTwoContainers() {
    List<Violation> violations =
        SpecValidator.validate(
            set(
                """
        containers:
          - name: web
            image: nginx:1.27
            ports: [{name: http, containerPort: 8080}]
          - name: sidecar
            image: envoy:1.30
            ports: [{name: admin, containerPort: 9901}, {name: proxy, containerPort: 8080}]
        """));
    assertEquals(
        List.of("spec.containers[1].ports[1].containerPort"),
        violations.stream().map(Violation::field).toList());
    assertTrue(
        violations.get(0).problem().contains("spec.containers[0].ports[0]"),
        violations.get(0).problem());
  }

  @Test
  void duplicateContainerPortAcrossInitAndMain() {
    assertViolations(
        List.of("spec.containers[0].ports[0].containerPort"),
        web(
            """
        initContainers:
          - name: init
            image: busybox
            ports: [{containerPort: 8080}]
        """));
  }

  @Test
  void samePortNumberWithAnotherProtocolIsFine() {
    assertValid(
        set(
            """
        containers:
          - name: dns-tcp
            image: coredns
            ports: [{name: dns-tcp, containerPort: 53}]
          - name: dns-udp
            image: coredns
            ports: [{name: dns-udp, containerPort: 53, protocol: UDP}]
        """));
  }

  @Test
  void portNameDeclaredTwiceInOneContainer() {
    assertViolations(
        List.of("spec.containers[0].ports[1].name"),
        set(
            """
        containers:
          - name: web
            image: nginx
            ports: [{name: http, containerPort: 80}, {name: http, containerPort: 81}]
        """));
  }

  // probes

  @Test
  void httpGetProbePortNameNotDeclared() {
    assertViolations(
        List.of("spec.containers[0].livenessProbe.httpGet.port"),
        web(
            """
            livenessProbe:
              httpGet: {path: /, port: metrics}
        """));
  }

  @Test
  void tcpSocketProbePortNameNotDeclared() {
    assertViolations(
        List.of("spec.containers[0].readinessProbe.tcpSocket.port"),
        web(
            """
            readinessProbe:
              tcpSocket: {port: htp}
        """));
  }

  @Test
  void probePortNameMustBeTheContainersOwn() {
    assertViolations(
        List.of("spec.containers[1].startupProbe.httpGet.port"),
        web(
            """
          - name: sidecar
            image: busybox
            startupProbe:
              httpGet: {port: http}
        """));
  }

  @Test
  void probesOnDeclaredPortNamesOrNumbersAreFine() {
    assertValid(
        web(
            """
            livenessProbe:
              httpGet: {path: /, port: http}
            readinessProbe:
              tcpSocket: {port: 8080}
            startupProbe:
              exec: {command: [cat, /tmp/ok]}
        """));
  }

  @Test
  void probeNeedsExactlyOneHandler() {
    assertViolations(
        List.of("spec.containers[0].livenessProbe"),
        web(
            """
            livenessProbe:
              exec: {command: ["true"]}
              tcpSocket: {port: http}
        """));
    assertViolations(
        List.of("spec.containers[0].readinessProbe"),
        web(
            """
            readinessProbe:
              periodSeconds: 5
        """));
  }

  // service

  @Test
  void serviceTargetPortNameNotDeclared() {
    assertViolations(
        List.of("spec.service.ports[0].targetPort"),
        web(
            """
        service:
          ports: [{port: 80, targetPort: web}]
        """));
  }

  @Test
  void serviceTargetPortNameOfAnInitContainerIsNotEnough() {
    assertViolations(
        List.of("spec.service.ports[0].targetPort"),
        web(
            """
        initContainers:
          - name: init
            image: busybox
            ports: [{name: warmup, containerPort: 7000}]
        service:
          ports: [{port: 80, targetPort: warmup}]
        """));
  }

  @Test
  void serviceTargetPortOfAnyContainerIsFine() {
    assertValid(
        set(
            """
        containers:
          - name: web
            image: nginx
            ports: [{name: http, containerPort: 80}]
          - name: metrics
            image: exporter
            ports: [{name: metrics, containerPort: 9113}]
        service:
          ports:
            - {name: http, port: 80, targetPort: http}
            - {name: metrics, port: 9113, targetPort: metrics}
            - {name: alt, port: 8080, targetPort: 80}
        """));
  }

  @Test
  void nodePortWithoutTypeNodePort() {
    assertViolations(
        List.of("spec.service.ports[0].nodePort"),
        web(
            """
        service:
          ports: [{port: 80, targetPort: http, nodePort: 30080}]
        """));
    assertViolations(
        List.of("spec.service.ports[0].nodePort"),
        web(
            """
        service:
          type: ClusterIP
          ports: [{port: 80, targetPort: http, nodePort: 30080}]
        """));
  }

  @Test
  void externalTrafficPolicyWithoutTypeNodePort() {
    assertViolations(
        List.of("spec.service.externalTrafficPolicy"),
        web(
            """
        service:
          externalTrafficPolicy: Local
          ports: [{port: 80, targetPort: http}]
        """));
  }

  @Test
  void nodePortWithExternalTrafficPolicyIsFine() {
    assertValid(
        web(
            """
        service:
          type: NodePort
          externalTrafficPolicy: Local
          ports: [{port: 80, targetPort: http, nodePort: 30000}, {name: b, port: 81, nodePort: 32767}]
        """
                .replace("{port: 80", "{name: a, port: 80")));
  }

  @ParameterizedTest
  @ValueSource(ints = {80, 29999, 32768, 65535})
  void nodePortOutOfRange(int nodePort) {
    assertViolations(
        List.of("spec.service.ports[0].nodePort"),
        web(
            """
        service:
          type: NodePort
          ports: [{port: 80, targetPort: http, nodePort: %d}]
        """
                .formatted(nodePort)));
  }

  @Test
  void sameNodePortTwice() {
    assertViolations(
        List.of("spec.service.ports[1].nodePort"),
        web(
            """
        service:
          type: NodePort
          ports:
            - {name: a, port: 80, nodePort: 30080}
            - {name: b, port: 81, nodePort: 30080}
        """));
  }

  @Test
  void multiPortServiceWithoutNames() {
    assertViolations(
        List.of("spec.service.ports[0].name", "spec.service.ports[1].name"),
        web(
            """
        service:
          ports: [{port: 80}, {port: 443}]
        """));
    assertViolations(
        List.of("spec.service.ports[1].name"),
        web(
            """
        service:
          ports: [{name: http, port: 80}, {port: 443}]
        """));
  }

  @Test
  void singlePortServiceNeedsNoName() {
    assertValid(set(WEB + "service:\n  ports: [{port: 80}]\n"));
  }

  @Test
  void duplicateServicePortNameOrNumber() {
    assertViolations(
        List.of("spec.service.ports[1].name"),
        web(
            """
        service:
          ports: [{name: http, port: 80}, {name: http, port: 81}]
        """));
    assertViolations(
        List.of("spec.service.ports[1].port"),
        web(
            """
        service:
          ports: [{name: a, port: 80}, {name: b, port: 80}]
        """));
  }

  @Test
  void serviceWithoutPorts() {
    assertViolations(List.of("spec.service.ports"), set(WEB + "service: {ports: []}\n"));
  }

  // labels

  @Test
  void reservedLabelOverride() {
    assertViolations(
        List.of("spec.labels[app.kubernetes.io/managed-by]"),
        set(WEB + "labels: {app.kubernetes.io/managed-by: helm}\n"));
    assertViolations(
        List.of("spec.labels[app.kubernetes.io/instance]"),
        set(WEB + "labels: {app.kubernetes.io/instance: other}\n"));
    assertViolations(
        List.of("spec.labels[app.kubernetes.io/name]"),
        set(WEB + "labels: {app.kubernetes.io/name: other}\n"));
  }

  @Test
  void reservedLabelWithTheOperatorsOwnValueIsFine() {
    assertValid(
        web(
            """
        labels:
          app.kubernetes.io/name: web
          app.kubernetes.io/instance: web
          app.kubernetes.io/managed-by: labeledappset-operator
        """));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "'bad key'",
        "-app",
        "app-",
        "'a/b/c'",
        "Example.com/tier",
        "/tier",
        "'example.com/'",
        "a234567890123456789012345678901234567890123456789012345678901234"
      })
  void invalidLabelKey(String key) {
    String unquoted = key.replace("'", "");
    assertViolations(
        List.of("spec.labels[" + unquoted + "]"), set(WEB + "labels: {" + key + ": ok}\n"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "'has space'",
        "-lead",
        "trail-",
        "'a/b'",
        "a234567890123456789012345678901234567890123456789012345678901234"
      })
  void invalidLabelValue(String value) {
    assertViolations(List.of("spec.labels[tier]"), set(WEB + "labels: {tier: " + value + "}\n"));
  }

  @Test
  void validLabelKeysAndValues() {
    assertValid(
        web(
            """
        labels:
          example.com/tier: front
          a.b_c-D: A.b_c-9
          empty: ''
          x: a23456789012345678901234567890123456789012345678901234567890123
        """));
  }

  @Test
  void invalidNodeSelectorKey() {
    assertViolations(
        List.of("spec.nodeSelector[bad key]"), set(WEB + "nodeSelector: {'bad key': 'true'}\n"));
  }

  // name and replicas

  @Test
  void nameTooLong() {
    String longest = "a".repeat(SpecValidator.MAX_NAME_LENGTH);
    assertEquals(52, longest.length());
    assertValid(set(longest, WEB + "service: {ports: [{port: 80}]}\n"));
    assertViolations(List.of("metadata.name"), set(longest + "b", WEB));
  }

  @Test
  void nameNotStartingWithALetterWhenAServiceIsWanted() {
    assertViolations(
        List.of("metadata.name"), set("1web", WEB + "service: {ports: [{port: 80}]}\n"));
    assertViolations(
        List.of("metadata.name"), set("web.v2", WEB + "service: {ports: [{port: 80}]}\n"));
  }

  @Test
  void nameNotStartingWithALetterIsFineWithoutAService() {
    assertValid(set("1web", WEB));
  }

  @Test
  void negativeReplicas() {
    assertViolations(List.of("spec.replicas"), set(WEB + "replicas: -1\n"));
    assertValid(set(WEB + "replicas: 0\n"));
  }

  // all at once

  @Test
  void reportsEveryViolationAtOnce() {
    LabeledAppSet set =
        set(
            "9" + "x".repeat(60),
            """
        replicas: -2
        labels: {app.kubernetes.io/managed-by: helm, 'bad key': v}
        containers:
          - name: web
            ports: [{name: http, containerPort: 80}]
            livenessProbe: {httpGet: {port: health}}
          - name: web
            image: nginx
            ports: [{containerPort: 80}]
        service:
          externalTrafficPolicy: Local
          ports:
            - {port: 80, targetPort: nope, nodePort: 30080}
            - {port: 81}
        """);
    List<String> fields = fields(set);
    assertEquals(
        List.of(
            "metadata.name",
            "metadata.name",
            "spec.replicas",
            "spec.labels[bad key]",
            "spec.labels[app.kubernetes.io/managed-by]",
            "spec.containers[0].image",
            "spec.containers[0].livenessProbe.httpGet.port",
            "spec.containers[1].name",
            "spec.containers[1].ports[0].containerPort",
            "spec.service.externalTrafficPolicy",
            "spec.service.ports[0].name",
            "spec.service.ports[0].targetPort",
            "spec.service.ports[0].nodePort",
            "spec.service.ports[1].name"),
        fields);
  }

  @Test
  void violationReadsAsFieldAndProblem() {
    Violation v = SpecValidator.validate(set("containers: []")).get(0);
    assertEquals("spec.containers: " + v.problem(), v.toString());
    assertFalse(v.problem().isBlank());
  }

  // the shipped examples and the golden inputs

  static Stream<Path> validSets() throws IOException {
    List<Path> files = new java.util.ArrayList<>();
    for (Path dir :
        List.of(Path.of("deploy", "examples"), Path.of("src", "test", "resources", "model"))) {
      try (Stream<Path> list = Files.list(dir)) {
        list.filter(p -> p.getFileName().toString().endsWith(".yaml"))
            .filter(p -> !p.getFileName().toString().startsWith("out-"))
            .sorted()
            .forEach(files::add);
      }
    }
    assertTrue(
        files.stream().anyMatch(p -> p.startsWith(Path.of("deploy"))),
        "no examples in deploy/examples");
    return files.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validSets")
  void examplesAreValid(Path file) throws IOException {
    LabeledAppSet set = Serialization.unmarshal(Files.readString(file), LabeledAppSet.class);
    assertEquals("LabeledAppSet", set.getKind());
    assertFalse(set.getSpec().getContainers().isEmpty());
    assertValid(set);
  }

  /** CIDRs as Kubernetes judges them (IPv4 and IPv6, prefix in range, no leading zeros). */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource(
      delimiter = '|',
      value = {
        "0.0.0.0/0|true",
        "203.0.113.0/24|true",
        "10.1.2.3/32|true",
        "2001:db8::/32|true",
        "::/0|true",
        "::ffff:10.0.0.0/104|true",
        "1:2:3:4:5:6:7:8/128|true",
        "10.0.0.0|false",
        "300.0.0.0/8|false",
        "10.0.0.0/33|false",
        "010.0.0.0/8|false",
        "10.0.0/8|false",
        "2001:db8:::/32|false",
        "1:2:3:4:5:6:7:8:9/64|false",
        "2001:db8::/129|false",
        "12345::/16|false",
        "example.com/24|false",
        "''|false"
      })
  void cidrsAsKubernetesJudgesThem(String cidr, boolean valid) {
    assertEquals(valid, SpecValidator.validCidr(cidr), cidr);
  }
}

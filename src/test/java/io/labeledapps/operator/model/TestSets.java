package io.labeledapps.operator.model;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.ServicePortSpec;
import io.labeledapps.operator.api.ServiceSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** LabeledAppSets for tests, read from YAML the way the API server hands them to the operator. */
public final class TestSets {
  public static final String NAMESPACE = "apps";
  public static final String UID = "0b6c2a3e-1111-4222-8333-944455556666";

  private TestSets() {}

  public static LabeledAppSet fromYaml(String yaml) {
    return Serialization.unmarshal(yaml, LabeledAppSet.class);
  }

  /** A set read from a classpath resource, e.g. {@code model/in-full.yaml}. */
  public static LabeledAppSet fromResource(String resource) {
    try (InputStream in = TestSets.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + resource);
      }
      return Serialization.unmarshal(in, LabeledAppSet.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A set that has nothing but its name, namespace and uid, as events and requests name it. */
  public static LabeledAppSet named(String name, String namespace, String uid) {
    LabeledAppSet set = new LabeledAppSet();
    set.getMetadata().setName(name);
    set.getMetadata().setNamespace(namespace);
    set.getMetadata().setUid(uid);
    return set;
  }

  /** A set {@code name} in {@link #NAMESPACE}, generation 1, whose spec is {@code spec} (YAML). */
  public static LabeledAppSet withSpec(String name, String spec) {
    return fromYaml(
        """
        apiVersion: labeledapps.io/v1alpha1
        kind: LabeledAppSet
        metadata:
          name: %s
          namespace: %s
          uid: %s
          generation: 1
        spec:
        %s
        """
            .formatted(name, NAMESPACE, UID, spec.indent(2)));
  }

  /** {@code replicas} pods of one nginx container with an http port, and no Service. */
  public static LabeledAppSet web(String name, int replicas) {
    return withSpec(
        name,
        """
        replicas: %d
        labels:
          app: web
        containers:
          - name: web
            image: nginx:1.27
            ports:
              - name: http
                containerPort: 80
        """
            .formatted(replicas));
  }

  /** A Service of {@code type} with one port a name: the first 80, the next 81, and so on. */
  public static ServiceSpec service(ServiceSpec.Type type, String... portNames) {
    ServiceSpec service = new ServiceSpec();
    service.setType(type);
    for (int i = 0; i < portNames.length; i++) {
      service.getPorts().add(new ServicePortSpec(portNames[i], 80 + i, null));
    }
    return service;
  }
}

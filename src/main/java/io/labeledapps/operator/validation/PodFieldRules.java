package io.labeledapps.operator.validation;

import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.labeledapps.operator.api.ContainerSpec;
import io.labeledapps.operator.api.DisruptionBudget;
import io.labeledapps.operator.api.LabeledAppSetSpec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * The CEL rules on the pod fields (volumes, mounts, env sources, lifecycle hooks, the disruption
 * budget), with the same messages, for API servers that ignore CEL. Each rule is a small function
 * reporting what it finds.
 */
public final class PodFieldRules {
  private PodFieldRules() {}

  /** Every rule below, in a stable order. */
  public static void check(LabeledAppSetSpec spec, BiConsumer<String, String> report) {
    volumes(spec.getVolumes(), report);
    Set<String> declared = new HashSet<>();
    if (spec.getVolumes() != null) {
      spec.getVolumes().stream()
          .filter(Objects::nonNull)
          .map(Volume::getName)
          .forEach(declared::add);
    }
    forEachContainer("spec.initContainers", spec.getInitContainers(), declared, report);
    forEachContainer("spec.containers", spec.getContainers(), declared, report);
    disruptionBudget(spec.getDisruptionBudget(), report);
    nonNegative("spec.minReadySeconds", spec.getMinReadySeconds(), report);
    nonNegative(
        "spec.terminationGracePeriodSeconds", spec.getTerminationGracePeriodSeconds(), report);
  }

  private static void forEachContainer(
      String path,
      List<ContainerSpec> containers,
      Set<String> volumes,
      BiConsumer<String, String> report) {
    ListItems.eachPresent(
        path,
        containers,
        (at, c) -> {
          volumeMounts(at, c.getVolumeMounts(), volumes, report);
          env(at, c.getEnv(), report);
          envFrom(at, c.getEnvFrom(), report);
          if (c.getLifecycle() != null) {
            hook(at + ".lifecycle.postStart", c.getLifecycle().getPostStart(), report);
            hook(at + ".lifecycle.preStop", c.getLifecycle().getPreStop(), report);
          }
        });
  }

  /** Names unique; exactly one source each (a pruned hostPath leaves none). */
  static void volumes(List<Volume> volumes, BiConsumer<String, String> report) {
    Map<String, String> names = new HashMap<>();
    ListItems.each(
        "spec.volumes",
        volumes,
        report,
        (at, v) -> {
          if (v.getName() != null && names.putIfAbsent(v.getName(), at) != null) {
            report.accept(
                at + ".name",
                "volume names must be unique: '"
                    + v.getName()
                    + "' is also the name of "
                    + names.get(v.getName()));
          }
          long sources =
              present(
                  v.getConfigMap(),
                  v.getSecret(),
                  v.getEmptyDir(),
                  v.getPersistentVolumeClaim(),
                  v.getProjected(),
                  v.getDownwardAPI());
          if (sources != 1) {
            report.accept(
                at,
                "a volume needs exactly one source: configMap, secret, emptyDir, persistentVolumeClaim,"
                    + " projected or downwardAPI (found "
                    + sources
                    + "; other sources such as hostPath are not allowed)");
          }
        });
  }

  /** Each mount names a declared volume; mount paths unique within the container. */
  static void volumeMounts(
      String at, List<VolumeMount> mounts, Set<String> volumes, BiConsumer<String, String> report) {
    Set<String> paths = new HashSet<>();
    ListItems.eachPresent(
        at + ".volumeMounts",
        mounts,
        (mat, m) -> {
          if (m.getName() != null && !volumes.contains(m.getName())) {
            report.accept(
                mat + ".name",
                "a volumeMount names a volume that spec.volumes does not declare: '"
                    + m.getName()
                    + "'");
          }
          if (m.getMountPath() != null && !paths.add(m.getMountPath())) {
            report.accept(
                mat + ".mountPath",
                "mount paths must be unique within a container: '"
                    + m.getMountPath()
                    + "' is mounted twice");
          }
        });
  }

  /**
   * valueFrom names exactly one source and excludes value (the CEL rules of EnvVarSchema, same
   * messages).
   */
  static void env(String at, List<EnvVar> env, BiConsumer<String, String> report) {
    ListItems.eachPresent(
        at + ".env",
        env,
        (eat, e) -> {
          if (e.getValueFrom() != null) {
            oneSource(eat, e, report);
          }
        });
  }

  /**
   * The variable at {@code at}, which has a valueFrom: that names exactly one source, and there is
   * no value besides.
   */
  static void oneSource(String at, EnvVar e, BiConsumer<String, String> report) {
    EnvVarSource s = e.getValueFrom();
    long sources =
        present(
            s.getConfigMapKeyRef(), s.getSecretKeyRef(), s.getFieldRef(), s.getResourceFieldRef());
    if (sources != 1) {
      report.accept(
          at + ".valueFrom",
          "valueFrom needs exactly one of configMapKeyRef,"
              + " secretKeyRef, fieldRef or resourceFieldRef (found "
              + sources
              + ")");
    }
    if (e.getValue() != null && !e.getValue().isEmpty()) {
      report.accept(at, "an environment variable takes value or valueFrom, not both");
    }
  }

  /** An envFrom entry names exactly one of configMapRef and secretRef. */
  static void envFrom(String at, List<EnvFromSource> envFrom, BiConsumer<String, String> report) {
    ListItems.eachPresent(
        at + ".envFrom",
        envFrom,
        (eat, e) -> {
          if ((e.getConfigMapRef() == null) == (e.getSecretRef() == null)) {
            report.accept(
                eat, "an envFrom entry names exactly one source: configMapRef or secretRef");
          }
        });
  }

  /** A lifecycle hook has exactly one handler. */
  static void hook(String at, LifecycleHandler hook, BiConsumer<String, String> report) {
    if (hook == null) {
      return;
    }
    long handlers = present(hook.getExec(), hook.getHttpGet(), hook.getTcpSocket());
    if (handlers != 1) {
      report.accept(
          at,
          "a lifecycle hook needs exactly one handler: exec, httpGet or tcpSocket (found "
              + handlers
              + ")");
    }
  }

  /** Exactly one of maxUnavailable and minAvailable, each a number or a percentage. */
  static void disruptionBudget(DisruptionBudget budget, BiConsumer<String, String> report) {
    if (budget == null) {
      return;
    }
    if ((budget.getMaxUnavailable() == null) == (budget.getMinAvailable() == null)) {
      report.accept(
          "spec.disruptionBudget",
          "disruptionBudget needs exactly one of maxUnavailable and minAvailable");
    }
    intOrPercent("spec.disruptionBudget.maxUnavailable", budget.getMaxUnavailable(), report);
    intOrPercent("spec.disruptionBudget.minAvailable", budget.getMinAvailable(), report);
  }

  private static void intOrPercent(
      String at, IntOrString value, BiConsumer<String, String> report) {
    if (value == null) {
      return;
    }
    boolean ok =
        value.getIntVal() != null
            ? value.getIntVal() >= 0
            : value.getStrVal() != null && value.getStrVal().matches("[0-9]+%");
    if (!ok) {
      report.accept(
          at,
          "must be a number or a percentage like '25%', got '"
              + (value.getIntVal() != null ? value.getIntVal() : value.getStrVal())
              + "'");
    }
  }

  private static void nonNegative(String at, Number value, BiConsumer<String, String> report) {
    if (value != null && value.longValue() < 0) {
      report.accept(at, "must be 0 or more, got " + value);
    }
  }

  /** How many of {@code fields} are set: a field that takes exactly one of them wants 1. */
  private static long present(Object... fields) {
    return Stream.of(fields).filter(Objects::nonNull).count();
  }
}

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
    if (containers == null) {
      return;
    }
    for (int i = 0; i < containers.size(); i++) {
      ContainerSpec c = containers.get(i);
      if (c == null) {
        continue;
      }
      String at = path + "[" + i + "]";
      volumeMounts(at, c.getVolumeMounts(), volumes, report);
      env(at, c.getEnv(), report);
      envFrom(at, c.getEnvFrom(), report);
      if (c.getLifecycle() != null) {
        hook(at + ".lifecycle.postStart", c.getLifecycle().getPostStart(), report);
        hook(at + ".lifecycle.preStop", c.getLifecycle().getPreStop(), report);
      }
    }
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
              Stream.of(
                      v.getConfigMap(),
                      v.getSecret(),
                      v.getEmptyDir(),
                      v.getPersistentVolumeClaim(),
                      v.getProjected(),
                      v.getDownwardAPI())
                  .filter(Objects::nonNull)
                  .count();
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
    if (mounts == null) {
      return;
    }
    Set<String> paths = new HashSet<>();
    for (int j = 0; j < mounts.size(); j++) {
      VolumeMount m = mounts.get(j);
      if (m == null) {
        continue;
      }
      String mat = at + ".volumeMounts[" + j + "]";
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
    }
  }

  /**
   * valueFrom names exactly one source and excludes value (the CEL rules of EnvVarSchema, same
   * messages).
   */
  static void env(String at, List<EnvVar> env, BiConsumer<String, String> report) {
    if (env == null) {
      return;
    }
    for (int j = 0; j < env.size(); j++) {
      EnvVar e = env.get(j);
      if (e == null || e.getValueFrom() == null) {
        continue;
      }
      EnvVarSource s = e.getValueFrom();
      long sources =
          Stream.of(
                  s.getConfigMapKeyRef(),
                  s.getSecretKeyRef(),
                  s.getFieldRef(),
                  s.getResourceFieldRef())
              .filter(Objects::nonNull)
              .count();
      if (sources != 1) {
        report.accept(
            at + ".env[" + j + "].valueFrom",
            "valueFrom needs exactly one of configMapKeyRef,"
                + " secretKeyRef, fieldRef or resourceFieldRef (found "
                + sources
                + ")");
      }
      if (e.getValue() != null && !e.getValue().isEmpty()) {
        report.accept(
            at + ".env[" + j + "]", "an environment variable takes value or valueFrom, not both");
      }
    }
  }

  /** An envFrom entry names exactly one of configMapRef and secretRef. */
  static void envFrom(String at, List<EnvFromSource> envFrom, BiConsumer<String, String> report) {
    if (envFrom == null) {
      return;
    }
    for (int j = 0; j < envFrom.size(); j++) {
      EnvFromSource e = envFrom.get(j);
      if (e == null || (e.getConfigMapRef() == null) != (e.getSecretRef() == null)) {
        continue;
      }
      report.accept(
          at + ".envFrom[" + j + "]",
          "an envFrom entry names exactly one source: configMapRef or secretRef");
    }
  }

  /** A lifecycle hook has exactly one handler. */
  static void hook(String at, LifecycleHandler hook, BiConsumer<String, String> report) {
    if (hook == null) {
      return;
    }
    long handlers =
        Stream.of(hook.getExec(), hook.getHttpGet(), hook.getTcpSocket())
            .filter(Objects::nonNull)
            .count();
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
}

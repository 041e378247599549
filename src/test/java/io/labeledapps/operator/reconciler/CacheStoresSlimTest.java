package io.labeledapps.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.TestDesired;
import io.labeledapps.operator.model.TestSets;
import io.labeledapps.operator.status.PodDiagnosis;
import io.labeledapps.operator.status.PodState;
import io.labeledapps.operator.status.ServiceRouted;
import io.labeledapps.operator.status.StatusCalculator;
import io.labeledapps.operator.status.StatusFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The pods and Endpoints the caches keep are slimmed ({@link CacheStores#slimPod}, {@link
 * CacheStores#slimEndpoints}): what reconciling reads gives the same answers from a slimmed object
 * as from the object the API server sent, and what it never reads is gone.
 */
class CacheStoresSlimTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code pod} as a 1.20 API server returns it: defaulted spec, full status, managedFields. */
  private static Pod asServed(Pod pod) {
    pod.getMetadata()
        .setManagedFields(
            List.of(
                new ManagedFieldsEntryBuilder()
                    .withManager("kubelet")
                    .withOperation("Update")
                    .withApiVersion("v1")
                    .withFieldsType("FieldsV1")
                    .build()));
    pod.getMetadata().setResourceVersion("4711");
    pod.getSpec()
        .getContainers()
        .forEach(
            c -> {
              c.setTerminationMessagePath("/dev/termination-log");
              c.setTerminationMessagePolicy("File");
              c.setImagePullPolicy("IfNotPresent");
              c.setVolumeMounts(
                  plus(
                      c.getVolumeMounts(),
                      new VolumeMountBuilder()
                          .withName("default-token-abcde")
                          .withMountPath("/var/run/secrets/kubernetes.io/serviceaccount")
                          .withReadOnly(true)
                          .build()));
            });
    pod.getSpec()
        .setVolumes(
            plus(
                pod.getSpec().getVolumes(),
                new VolumeBuilder()
                    .withName("default-token-abcde")
                    .withNewSecret()
                    .withSecretName("default-token-abcde")
                    .withDefaultMode(420)
                    .endSecret()
                    .build()));
    pod.getSpec()
        .setTolerations(
            plus(
                pod.getSpec().getTolerations(),
                new TolerationBuilder()
                    .withKey("node.kubernetes.io/not-ready")
                    .withOperator("Exists")
                    .withEffect("NoExecute")
                    .withTolerationSeconds(300L)
                    .build()));
    pod.getSpec().setDnsPolicy("ClusterFirst");
    pod.getSpec().setSchedulerName("default-scheduler");
    pod.getSpec().setServiceAccountName("default");
    if (pod.getStatus() != null) {
      pod.getStatus().setHostIP("10.0.0.1");
      pod.getStatus().setPodIP("10.244.0.7");
      pod.getStatus().setPodIPs(List.of(new PodIPBuilder().withIp("10.244.0.7").build()));
      pod.getStatus().setQosClass("BestEffort");
      pod.getStatus().setStartTime("2024-05-01T10:00:01Z");
      List<io.fabric8.kubernetes.api.model.PodCondition> conditions =
          new ArrayList<>(pod.getStatus().getConditions());
      conditions.add(TestPods.condition("Initialized", "True", null));
      conditions.add(TestPods.condition("ContainersReady", "True", null));
      conditions.forEach(c -> c.setLastTransitionTime("2024-05-01T10:00:02Z"));
      pod.getStatus().setConditions(conditions);
      if (pod.getStatus().getContainerStatuses() == null
          || pod.getStatus().getContainerStatuses().isEmpty()) {
        pod.getStatus()
            .setContainerStatuses(
                List.of(
                    web(true, 0)
                        .withImageID("docker-pullable://nginx@sha256:0123")
                        .withContainerID("docker://abc")
                        .withStarted(true)
                        .withNewState()
                        .withNewRunning()
                        .withStartedAt("2024-05-01T10:00:02Z")
                        .endRunning()
                        .endState()
                        .build()));
      }
    }
    return pod;
  }

  /** The status of container web (nginx:1.27), ready or not, restarted {@code restarts} times. */
  private static ContainerStatusBuilder web(boolean ready, int restarts) {
    return new ContainerStatusBuilder()
        .withName("web")
        .withImage("nginx:1.27")
        .withReady(ready)
        .withRestartCount(restarts);
  }

  private static <T> List<T> plus(List<T> list, T item) {
    List<T> more = list == null ? new ArrayList<>() : new ArrayList<>(list);
    more.add(item);
    return more;
  }

  private static Pod crashLooping(LabeledAppSet set, int slot) {
    Pod pod = TestPods.notReady(set, slot);
    pod.getStatus()
        .setContainerStatuses(
            List.of(
                web(false, 5)
                    .withNewState()
                    .withNewWaiting()
                    .withReason("CrashLoopBackOff")
                    .withMessage("back-off 5m0s restarting failed container")
                    .endWaiting()
                    .endState()
                    .withNewLastState()
                    .withNewTerminated()
                    .withExitCode(1)
                    .withReason("Error")
                    .endTerminated()
                    .endLastState()
                    .build()));
    return pod;
  }

  private static Pod unschedulable(LabeledAppSet set, int slot) {
    Pod pod = TestPods.unschedulable(set, slot);
    pod.getSpec().setNodeSelector(Map.of("disk", "nvme"));
    pod.getStatus()
        .getConditions()
        .get(0)
        .setMessage("0/2 nodes are available: 2 node(s) didn't match node selector.");
    return pod;
  }

  /** Every kind of pod the plan and status tell apart, as the server sends them. */
  private static List<Pod> served(LabeledAppSet set) {
    List<Pod> pods =
        List.of(
            TestPods.ready(set, 0),
            crashLooping(set, 1),
            unschedulable(set, 2),
            TestPods.ended(set, 3, "Failed"),
            TestPods.terminating(TestPods.ready(set, 4)),
            TestPods.old(TestPods.ready(set, 5)),
            TestPods.relabeled(TestPods.ready(set, 6)),
            TestPods.ready(set, 7),
            TestPods.ready(set, 8));
    pods.forEach(CacheStoresSlimTest::asServed);
    return pods;
  }

  private static List<Pod> slimmed(List<Pod> pods) {
    // a copy first: slimming must not depend on the object it is given staying as it was
    return pods.stream()
        .map(p -> CacheStores.slimPod(io.fabric8.kubernetes.client.utils.Serialization.clone(p)))
        .toList();
  }

  private static String plan(LabeledAppSet set, List<Pod> pods) {
    PodPlan plan =
        PodPlan.plan(
            set,
            pods,
            TestDesired.templateHash(set),
            PodExpectations.Pending.NONE,
            false,
            java.time.Instant.parse("2024-05-01T10:05:00Z"));
    return "counted "
        + TestPods.names(plan.counted())
        + " release "
        + TestPods.names(plan.release())
        + " delete "
        + plan.delete().stream()
            .map(d -> d.pod().getMetadata().getName() + ":" + d.reason())
            .toList()
        + " create "
        + plan.createSlots();
  }

  private static String status(LabeledAppSet set, List<Pod> pods) throws Exception {
    List<Pod> live = pods.stream().filter(p -> !PodState.isTerminating(p)).toList();
    var observation = StatusFacts.of(live, live, TestDesired.templateHash(set));
    return JSON.writeValueAsString(
        StatusCalculator.compute(
            set,
            observation,
            "2024-05-01T10:05:00Z",
            java.time.Instant.parse("2024-05-01T10:05:00Z")));
  }

  @Test
  void aSlimmedPodGivesTheSamePlanStatusAndDiagnosis() throws Exception {
    for (int minReadySeconds : new int[] {0, 600}) {
      LabeledAppSet set = TestSets.web("web", 6);
      set.getMetadata().setGeneration(3L);
      set.getSpec().setMinReadySeconds(minReadySeconds);
      List<Pod> full = served(set);
      List<Pod> slim = slimmed(full);

      assertEquals(plan(set, full), plan(set, slim), "minReadySeconds " + minReadySeconds);
      assertEquals(status(set, full), status(set, slim), "minReadySeconds " + minReadySeconds);
      for (int i = 0; i < full.size(); i++) {
        Pod f = full.get(i);
        Pod s = slim.get(i);
        String name = f.getMetadata().getName();
        assertEquals(PodDiagnosis.problem(f), PodDiagnosis.problem(s), name);
        assertEquals(PodState.isReady(f), PodState.isReady(s), name);
        assertEquals(PodState.isScheduled(f), PodState.isScheduled(s), name);
        assertEquals(PodState.isUnschedulable(f), PodState.isUnschedulable(s), name);
        assertEquals(PodState.isTerminating(f), PodState.isTerminating(s), name);
        assertEquals(PodState.phase(f), PodState.phase(s), name);
        assertEquals(PodState.templateHash(f), PodState.templateHash(s), name);
        assertEquals(
            PodState.availableAt(f, minReadySeconds),
            PodState.availableAt(s, minReadySeconds),
            name);
        assertEquals(PodState.isControlledBy(f, set), PodState.isControlledBy(s, set), name);
        assertEquals(f.getMetadata().getLabels(), s.getMetadata().getLabels(), name);
        assertEquals(
            f.getMetadata().getOwnerReferences(), s.getMetadata().getOwnerReferences(), name);
        assertEquals(f.getMetadata().getUid(), s.getMetadata().getUid(), name);
        assertEquals(
            f.getMetadata().getResourceVersion(), s.getMetadata().getResourceVersion(), name);
      }
      // the diagnoses above are not all null: the comparison covers the interesting cases
      assertEquals("CrashLoopBackOff", PodDiagnosis.problem(slim.get(1)));
      assertTrue(
          PodDiagnosis.problem(slim.get(2)).contains("nodeSelector disk=nvme"),
          PodDiagnosis.problem(slim.get(2)));
    }
  }

  @Test
  void whatReconcilingNeverReadsIsGone() throws Exception {
    Pod full = served(TestSets.web("web", 1)).get(1);
    Pod slim = CacheStores.slimPod(full);
    String json = JSON.writeValueAsString(slim);
    for (String gone :
        List.of(
            "managedFields",
            "containers\":[{",
            "volumes\":[{",
            "tolerations\":[{",
            "nginx",
            "default-token",
            "podIP",
            "hostIP",
            "qosClass",
            "startTime",
            "Initialized",
            "ContainersReady",
            "lastState",
            "restartCount",
            "back-off",
            "dnsPolicy",
            "schedulerName",
            "serviceAccountName")) {
      assertFalse(json.contains(gone), gone + " still cached: " + json);
    }
    assertTrue(
        json.length() * 2 < JSON.writeValueAsString(full).length(),
        "slimmed "
            + json.length()
            + " characters, served "
            + JSON.writeValueAsString(full).length());
  }

  /**
   * The fabric8 objects reachable from {@code object} whose map of unknown fields is not the one
   * shared empty map, as paths.
   */
  private static List<String> ownMaps(Object object, String path) throws Exception {
    List<String> own = new ArrayList<>();
    if (object instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        own.addAll(ownMaps(list.get(i), path + "[" + i + "]"));
      }
      return own;
    }
    if (object == null
        || !object.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
      return own;
    }
    for (java.lang.reflect.Field field : object.getClass().getDeclaredFields()) {
      if (java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
        continue;
      }
      field.setAccessible(true);
      Object value = field.get(object);
      if (field.getName().equals("additionalProperties")) {
        if (value != CacheStores.NONE) {
          own.add(path);
        }
      } else {
        own.addAll(ownMaps(value, path + "." + field.getName()));
      }
    }
    return own;
  }

  @Test
  void slimCopiesShareOneEmptyMapOfUnknownFieldsAndStillEqualFreshObjects() throws Exception {
    LabeledAppSet set = TestSets.web("web", 3);
    for (Pod full : served(set)) {
      Pod slim = CacheStores.slimPod(full);
      assertEquals(List.of(), ownMaps(slim, "pod"), full.getMetadata().getName());
      // objects with maps of their own (as the server's are) still equal the slim ones
      assertFalse(ownMaps(full, "pod").isEmpty());
      assertEquals(
          full.getMetadata().getOwnerReferences(),
          slim.getMetadata().getOwnerReferences(),
          full.getMetadata().getName());
      Pod fresh = io.fabric8.kubernetes.client.utils.Serialization.clone(slim);
      assertEquals(JSON.writeValueAsString(fresh), JSON.writeValueAsString(slim));
      assertEquals(fresh.getStatus().getConditions(), slim.getStatus().getConditions());
    }
    // the walk sees the objects a running container and an owner add, too
    Pod ready = CacheStores.slimPod(served(set).get(0));
    assertNotNull(ready.getStatus().getContainerStatuses().get(0).getState().getRunning());
    assertFalse(ready.getMetadata().getOwnerReferences().isEmpty());
    Pod waiting = CacheStores.slimPod(served(set).get(1));
    assertNotNull(waiting.getStatus().getContainerStatuses().get(0).getState().getWaiting());
  }

  @Test
  void endpointsKeepTheirReadyAddressesAndTheirPods() throws Exception {
    Endpoints full =
        new EndpointsBuilder()
            .withNewMetadata()
            .withName("web")
            .withNamespace("apps")
            .withResourceVersion("9")
            .addToLabels("app.kubernetes.io/managed-by", "labeledappset-operator")
            .withManagedFields(
                new ManagedFieldsEntryBuilder().withManager("kube-controller-manager").build())
            .endMetadata()
            .withSubsets(
                new EndpointSubsetBuilder()
                    .withAddresses(
                        new EndpointAddressBuilder()
                            .withIp("10.244.0.7")
                            .withNodeName("node-1")
                            .withNewTargetRef()
                            .withKind("Pod")
                            .withName("web-0")
                            .withNamespace("apps")
                            .withUid("u0")
                            .withResourceVersion("77")
                            .endTargetRef()
                            .build(),
                        new EndpointAddressBuilder()
                            .withIp("10.244.0.8")
                            .withNodeName("node-1")
                            .withNewTargetRef()
                            .withKind("Pod")
                            .withName("web-1")
                            .withNamespace("apps")
                            .withUid("u1")
                            .endTargetRef()
                            .build())
                    .withNotReadyAddresses(
                        new EndpointAddressBuilder()
                            .withIp("10.244.0.9")
                            .withNewTargetRef()
                            .withKind("Pod")
                            .withName("web-2")
                            .endTargetRef()
                            .build())
                    .withPorts(
                        new EndpointPortBuilder()
                            .withName("http")
                            .withPort(8080)
                            .withProtocol("TCP")
                            .build())
                    .build())
            .build();
    Endpoints slim =
        CacheStores.slimEndpoints(io.fabric8.kubernetes.client.utils.Serialization.clone(full));

    assertEquals(
        ServiceRouted.readyEndpoints(full, null), ServiceRouted.readyEndpoints(slim, null));
    assertEquals(
        ServiceRouted.readyEndpoints(full, Set.of("web-1", "web-2")),
        ServiceRouted.readyEndpoints(slim, Set.of("web-1", "web-2")));
    assertEquals(2, ServiceRouted.readyEndpoints(slim, null));
    assertEquals("9", slim.getMetadata().getResourceVersion());
    assertEquals(full.getMetadata().getLabels(), slim.getMetadata().getLabels());
    assertNull(slim.getMetadata().getManagedFields());
    assertNull(slim.getSubsets().get(0).getPorts());
    assertNull(slim.getSubsets().get(0).getNotReadyAddresses());
    assertNull(slim.getSubsets().get(0).getAddresses().get(0).getNodeName());
    assertNull(slim.getSubsets().get(0).getAddresses().get(0).getTargetRef().getUid());
    assertEquals(List.of(), ownMaps(slim, "endpoints"));
    assertEquals(
        io.fabric8.kubernetes.client.utils.Serialization.clone(slim)
            .getSubsets()
            .get(0)
            .getAddresses(),
        slim.getSubsets().get(0).getAddresses());
  }

  @Test
  void theStoresSlimWhatTheyKeep() {
    Set<String> one = Set.of("apps");
    ItemStore<Pod> pods = CacheStores.slimPods(one);
    assertNotNull(pods);
    Pod pod = served(TestSets.web("web", 1)).get(0);
    pods.put(pods.getKey(pod), pod);
    Pod cached = pods.values().findFirst().orElseThrow();
    assertNull(cached.getSpec().getContainers());
    assertEquals("4711", cached.getMetadata().getResourceVersion());
    assertEquals(pod.getMetadata().getName(), cached.getMetadata().getName());
    // several namespaces: JOSDK's own stores (see CacheStoresTest)
    assertNull(CacheStores.slimPods(Set.of("apps", "web")));
    assertNull(CacheStores.slimEndpoints(Set.of("apps", "web")));
  }
}

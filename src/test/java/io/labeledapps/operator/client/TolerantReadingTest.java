package io.labeledapps.operator.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.ReadingProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the operator's client makes of JSON the Java types cannot hold, compared with fabric8's
 * default.
 */
class TolerantReadingTest {
  private static final TypeReference<DefaultKubernetesResourceList<LabeledAppSet>> SET_LIST =
      new TypeReference<>() {};
  private final List<TolerantReading.Skipped> skipped = new ArrayList<>();
  private final OperatorSerialization tolerant = OperatorSerialization.create();
  private final KubernetesSerialization plain = new KubernetesSerialization();

  TolerantReadingTest() {
    tolerant.onSkipped(skipped::add);
  }

  static String set(String name, String spec, String status) {
    return """
        {"apiVersion":"labeledapps.io/v1alpha1","kind":"LabeledAppSet",
         "metadata":{"name":"%s","namespace":"ns","uid":"uid-%s","resourceVersion":"7","generation":3},
         "spec":%s%s}"""
        .formatted(name, name, spec, status == null ? "" : ",\"status\":" + status);
  }

  static String list(String kind, String... items) {
    return "{\"apiVersion\":\"v1\",\"kind\":\""
        + kind
        + "\",\"metadata\":{\"resourceVersion\":\"9\"},\"items\":["
        + String.join(",", items)
        + "]}";
  }

  static String pod(String name, String extraMetadata, String spec) {
    return """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"ns","resourceVersion":"5"%s},
         "spec":%s}"""
        .formatted(name, extraMetadata, spec);
  }

  static final String HEALTHY_SPEC =
      "{\"replicas\":2,\"containers\":[{\"name\":\"web\",\"image\":\"nginx\"}]}";
  static final String POD_SPEC = "{\"containers\":[{\"name\":\"web\",\"image\":\"nginx\"}]}";

  @Test
  void aSetWithAnIntegerAboveInt32IsAStandInNamingTheFieldAndTheRestOfTheListIsRead() {
    String json =
        list(
            "LabeledAppSetList",
            set("good", HEALTHY_SPEC, null),
            set(
                "big",
                "{\"progressDeadlineSeconds\":2147483648,\"containers\":[{\"name\":\"web\",\"image\":\"nginx\"}]}",
                "{\"observedGeneration\":2,\"replicas\":1}"),
            set("after", HEALTHY_SPEC, null));

    assertThrows(
        KubernetesClientException.class,
        () -> plain.unmarshal(stream(json), SET_LIST),
        "fabric8's default fails the whole list: what stopped the informer");

    List<LabeledAppSet> sets = tolerant.unmarshal(stream(json), SET_LIST).getItems();
    assertEquals(
        List.of("good", "big", "after"),
        sets.stream().map(s -> s.getMetadata().getName()).toList());
    assertNull(sets.get(0).getReadingProblem());
    assertEquals(2, sets.get(0).getSpec().getReplicas());
    LabeledAppSet big = sets.get(1);
    assertEquals(
        new ReadingProblem("spec.progressDeadlineSeconds", "2147483648 is out of range of int32"),
        big.getReadingProblem());
    assertEquals(
        "spec.progressDeadlineSeconds: 2147483648 is out of range of int32",
        big.getReadingProblem().toString());
    assertEquals("uid-big", big.getMetadata().getUid());
    assertEquals("7", big.getMetadata().getResourceVersion());
    assertEquals(3L, big.getMetadata().getGeneration());
    assertNotNull(big.getSpec(), "an empty spec, as for a set stored without one");
    assertTrue(big.getSpec().getContainers() == null || big.getSpec().getContainers().isEmpty());
    assertEquals(
        2L,
        big.getStatus().getObservedGeneration(),
        "the stored status, which could be read, is kept");
    assertTrue(skipped.isEmpty(), "a set is not skipped: it is reported");
  }

  @Test
  void wrongTypesAreNamedByPathAndExpectedType() {
    assertEquals(
        "spec.replicas: must be int32, got \"three\"",
        readOne("{\"replicas\":\"three\"}").getReadingProblem().toString());
    assertEquals(
        "spec.containers[1].ports[0].containerPort: 99999999999 is out of range of int32",
        readOne(
                "{\"containers\":[{\"name\":\"a\",\"image\":\"x\"},{\"name\":\"b\",\"image\":\"x\","
                    + "\"ports\":[{\"containerPort\":99999999999}]}]}")
            .getReadingProblem()
            .toString());
    assertEquals(
        "spec.containers: must be a list, got \"web\"",
        readOne("{\"containers\":\"web\"}").getReadingProblem().toString());
    String label = "k".repeat(70);
    ReadingProblem inMap =
        readOne("{\"labels\":{\"" + label + "\":{\"nested\":true}}}").getReadingProblem();
    assertEquals("spec.labels[" + "k".repeat(60) + "...(70 characters)]", inMap.field());
    assertEquals("must be a string, got an object", inMap.problem());
  }

  @Test
  void anUnreadableStatusAloneIsDroppedSoThatAFreshOneIsWritten() {
    LabeledAppSet set =
        tolerant.unmarshal(set("s", HEALTHY_SPEC, "{\"replicas\":\"many\"}"), LabeledAppSet.class);
    assertNull(set.getReadingProblem(), "the spec was read: the set is reconciled as usual");
    assertEquals(2, set.getSpec().getReplicas());
    assertNull(set.getStatus());
  }

  @Test
  void aNameLongerThanJacksonsDefaultLimitIsRead() {
    // a managedFields entry names a list item by its key: an env var name of 60,000 characters
    String key = "k:{\\\"name\\\":\\\"" + "E".repeat(60_000) + "\\\"}";
    String managed =
        ",\"managedFields\":[{\"manager\":\"kubectl\",\"operation\":\"Update\",\"apiVersion\":\"v1\","
            + "\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:spec\":{\"f:containers\":{\""
            + key
            + "\":{}}}}}]";
    String json = list("PodList", pod("long", managed, POD_SPEC), pod("other", "", POD_SPEC));

    KubernetesClientException plainFailure =
        assertThrows(
            KubernetesClientException.class, () -> plain.unmarshal(stream(json), PodList.class));
    assertTrue(
        String.valueOf(plainFailure.getCause()).contains("exceeds the maximum allowed (50000"),
        "Jackson's default name limit: " + plainFailure.getCause());

    PodList pods = tolerant.unmarshal(stream(json), PodList.class);
    assertEquals(
        List.of("long", "other"),
        pods.getItems().stream().map(p -> p.getMetadata().getName()).toList());
    assertTrue(skipped.isEmpty());
  }

  @Test
  void aPodThatCannotBeReadIsLeftOutOfTheListAndReported() {
    String json =
        list(
            "PodList",
            pod("a", "", POD_SPEC),
            pod(
                "bad",
                "",
                "{\"containers\":[{\"name\":\"web\",\"image\":\"nginx\",\"ports\":[{\"containerPort\":\"http\"}]}]}"),
            pod("c", "", POD_SPEC));
    PodList pods = tolerant.unmarshal(stream(json), PodList.class);
    assertEquals(
        List.of("a", "c"), pods.getItems().stream().map(p -> p.getMetadata().getName()).toList());
    assertEquals(1, skipped.size());
    assertEquals("Pod", skipped.get(0).kind());
    assertEquals("ns", skipped.get(0).namespace());
    assertEquals("bad", skipped.get(0).name());
    assertEquals(
        "spec.containers[0].ports[0].containerPort: must be int32, got \"http\"",
        skipped.get(0).problem());
  }

  @ParameterizedTest
  @CsvSource({
    "ServiceList, Service, io.fabric8.kubernetes.api.model.ServiceList",
    "EndpointsList, Endpoints, io.fabric8.kubernetes.api.model.EndpointsList",
    "NamespaceList, Namespace, io.fabric8.kubernetes.api.model.NamespaceList",
    "ResourceQuotaList, ResourceQuota, io.fabric8.kubernetes.api.model.ResourceQuotaList"
  })
  void everyInformersKindLeavesAnUnreadableObjectOut(
      String listKind, String kind, Class<?> listType) throws Exception {
    String good =
        "{\"apiVersion\":\"v1\",\"kind\":\""
            + kind
            + "\",\"metadata\":{\"name\":\"good\",\"namespace\":\"ns\"}}";
    String bad =
        "{\"apiVersion\":\"v1\",\"kind\":\""
            + kind
            + "\",\"metadata\":{\"name\":\"bad\",\"namespace\":\"ns\","
            + "\"generation\":\"many\"}}";
    String json = list(listKind, bad, good);
    assertThrows(KubernetesClientException.class, () -> plain.unmarshal(stream(json), listType));
    KubernetesResourceList<?> read =
        (KubernetesResourceList<?>) tolerant.unmarshal(stream(json), listType);
    assertEquals(
        List.of("good"),
        read.getItems().stream().map(o -> ((HasMetadata) o).getMetadata().getName()).toList());
    assertEquals(
        List.of(kind + " ns/bad: metadata.generation: must be int64, got \"many\""),
        skipped.stream()
            .map(x -> x.kind() + " " + x.namespace() + "/" + x.name() + ": " + x.problem())
            .toList());
  }

  @Test
  void aWatchEventWhoseObjectCannotBeReadLeavesItOutOfTheCache() {
    String bad = pod("bad", "", "{\"containers\":\"oops\"}");
    assertThrows(
        KubernetesClientException.class,
        () -> plain.unmarshal("{\"type\":\"ADDED\",\"object\":" + bad + "}", WatchEvent.class));

    WatchEvent added =
        tolerant.unmarshal("{\"type\":\"ADDED\",\"object\":" + bad + "}", WatchEvent.class);
    assertEquals(
        "BOOKMARK",
        added.getType(),
        "the informer moves on to its resourceVersion and caches nothing");
    assertEquals("5", ((HasMetadata) added.getObject()).getMetadata().getResourceVersion());
    WatchEvent modified =
        tolerant.unmarshal("{\"type\":\"MODIFIED\",\"object\":" + bad + "}", WatchEvent.class);
    assertEquals("DELETED", modified.getType(), "a readable copy cached before is taken out");
    assertEquals("bad", ((HasMetadata) modified.getObject()).getMetadata().getName());
    assertEquals(2, skipped.size());
    assertEquals(
        "spec.containers: must be a list, got \"oops\"",
        skipped.get(0).problem(),
        "the path is the object's, not the event's");

    WatchEvent readable =
        tolerant.unmarshal(
            "{\"type\":\"MODIFIED\",\"object\":" + pod("ok", "", POD_SPEC) + "}", WatchEvent.class);
    assertEquals("MODIFIED", readable.getType());
    assertInstanceOf(Pod.class, readable.getObject());
  }

  @Test
  void aWatchEventOfAnUnreadableSetCarriesItsStandIn() {
    WatchEvent event =
        tolerant.unmarshal(
            "{\"type\":\"MODIFIED\",\"object\":"
                + set("big", "{\"replicas\":4294967296}", null)
                + "}",
            WatchEvent.class);
    assertEquals("MODIFIED", event.getType());
    // as fabric8's watch manager hands the event's object to the informer: converted to the watched
    // type
    LabeledAppSet set = tolerant.convertValue(event.getObject(), LabeledAppSet.class);
    assertEquals("big", set.getMetadata().getName());
    assertEquals(
        "spec.replicas: 4294967296 is out of range of int32", set.getReadingProblem().toString());
  }

  @Test
  void unknownFieldsOfTheSpecAreNamed() {
    assertEquals(
        "spec.extra: is not a known field",
        readOne("{\"replicas\":1,\"extra\":true}").getReadingProblem().toString());
  }

  @Test
  void nestingAsDeepAsTheApiServerAllowsIsRead() {
    // an unknown field of a pod is kept as plain Java maps and lists, 10,000 levels deep
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    String json = list("PodList", pod("deep", ",\"extra\":" + deep, POD_SPEC));
    assertThrows(
        KubernetesClientException.class,
        () -> plain.unmarshal(stream(json), PodList.class),
        "Jackson's default nesting limit is 1,000");
    // on a thread with a small stack (256 KiB, a quarter of the JVM's default): nothing recurses
    // per level
    AtomicReference<Object> result = new AtomicReference<>();
    Thread reader =
        new Thread(
            null,
            () -> {
              try {
                result.set(tolerant.unmarshal(stream(json), PodList.class));
              } catch (Throwable t) {
                result.set(t);
              }
            },
            "small-stack",
            256 * 1024);
    reader.start();
    assertTrue(join(reader), "reader finished");
    PodList pods = assertInstanceOf(PodList.class, result.get());
    assertEquals("deep", pods.getItems().get(0).getMetadata().getName());
    assertTrue(skipped.isEmpty());
  }

  @Test
  void theClonerKeepsTheReadingProblem() {
    LabeledAppSet set = readOne("{\"replicas\":\"three\"}");
    LabeledAppSet copy = tolerant.cloner().clone(set);
    assertEquals(set.getReadingProblem(), copy.getReadingProblem());
    assertEquals("s", copy.getMetadata().getName());
  }

  private static boolean join(Thread thread) {
    try {
      thread.join(java.time.Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !thread.isAlive();
  }

  private LabeledAppSet readOne(String spec) {
    return tolerant.unmarshal(set("s", spec, null), LabeledAppSet.class);
  }

  private static java.io.InputStream stream(String json) {
    return new java.io.ByteArrayInputStream(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}

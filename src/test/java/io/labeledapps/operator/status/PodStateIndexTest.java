package io.labeledapps.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The key of the pod cache's index by controller: a pass finds its set's pods by it. */
class PodStateIndexTest {
  private static Pod owned(Boolean controller, String... uids) {
    PodBuilder b = new PodBuilder().withNewMetadata().withName("p").endMetadata();
    for (String uid : uids) {
      b.editMetadata()
          .addToOwnerReferences(
              new OwnerReferenceBuilder()
                  .withUid(uid)
                  .withKind("LabeledAppSet")
                  .withName("s")
                  .withApiVersion("labeledapps.io/v1alpha1")
                  .withController(controller)
                  .build())
          .endMetadata();
    }
    return b.build();
  }

  @Test
  void aPodIsIndexedUnderItsControllersUid() {
    assertEquals(List.of("set-uid"), PodState.controllerUids(owned(true, "set-uid")));
  }

  @Test
  void ownersThatAreNotTheControllerAreNotKeys() {
    assertEquals(List.of(), PodState.controllerUids(owned(false, "other")));
    assertEquals(List.of(), PodState.controllerUids(owned(null, "other")));
  }

  @Test
  void aPodWithoutOwnersOrMetadataHasNoKey() {
    assertEquals(
        List.of(),
        PodState.controllerUids(new PodBuilder().withNewMetadata().endMetadata().build()));
    assertEquals(List.of(), PodState.controllerUids(new Pod()));
  }
}

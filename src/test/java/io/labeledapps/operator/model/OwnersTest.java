package io.labeledapps.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class OwnersTest {
  @Test
  void setOwnerUidsAreTheUidsOfEveryLabeledAppSetOwnerOnce() {
    Service shared =
        new ServiceBuilder()
            .withNewMetadata()
            .withName("web")
            .addToOwnerReferences(owner("LabeledAppSet", "web", "uid-1", true))
            .addToOwnerReferences(owner("LabeledAppSet", "web-canary", "uid-2", false))
            .addToOwnerReferences(owner("LabeledAppSet", "web-again", "uid-1", false))
            .addToOwnerReferences(owner("ReplicaSet", "rs", "uid-3", false))
            .endMetadata()
            .build();
    assertEquals(List.of("uid-1", "uid-2"), Owners.setOwnerUids(shared));
  }

  @Test
  void anObjectWithoutOwnersOrMetadataHasNoKeys() {
    assertEquals(
        List.of(),
        Owners.setOwnerUids(
            new ServiceBuilder().withNewMetadata().withName("x").endMetadata().build()));
    Service bare = new Service();
    bare.setMetadata(null);
    assertEquals(List.of(), Owners.setOwnerUids(bare));
  }

  private static io.fabric8.kubernetes.api.model.OwnerReference owner(
      String kind, String name, String uid, boolean controller) {
    return new OwnerReferenceBuilder()
        .withApiVersion("labeledapps.io/v1alpha1")
        .withKind(kind)
        .withName(name)
        .withUid(uid)
        .withController(controller)
        .build();
  }
}

package io.labeledapps.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.labeledapps.operator.api.LabeledAppSet;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {
  private final LabeledAppSet web = TestSets.web("web", 1);

  @Test
  void podNameIsSetNameDashSlot() {
    assertEquals("web-0", Names.pod(web, 0));
    assertEquals("web-12", Names.pod(web, 12));
  }

  @Test
  void serviceIsNamedAfterTheSet() {
    assertEquals("web", Names.service(web));
  }

  @Test
  void serviceIndexKeyIsNamespaceSlashTheServiceTheSetNames() {
    assertEquals(List.of(TestSets.NAMESPACE + "/web"), Names.serviceKeys(web));
    LabeledAppSet canary =
        TestSets.withSpec(
            "web-canary",
            """
            replicas: 1
            containers:
              - name: web
                image: nginx:1.27
            service:
              name: web
            """);
    // a set naming a shared Service is found under that Service's key, not its own name
    assertEquals(Names.serviceKeys(web), Names.serviceKeys(canary));
    assertEquals(Names.serviceKey(TestSets.NAMESPACE, "web"), Names.serviceKeys(canary).get(0));
  }

  @Test
  void aSetWithoutNamespaceOrNameHasNoServiceIndexKey() {
    assertEquals(List.of(), Names.serviceKeys(TestSets.named("web", null, "u")));
    assertEquals(List.of(), Names.serviceKeys(TestSets.named(null, "ns", "u")));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 9, 10, 42, 999_999_999})
  void slotOfReadsBackThePodName(int slot) {
    assertEquals(OptionalInt.of(slot), Names.slotOf(web, Names.pod(web, slot)));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "web", // no dash
        "web-", // no slot
        "web0", // no dash before the slot
        "web-a", // not a number
        "web-1a",
        "web--1", // a sign is not a digit
        "web-+1",
        "web- 1",
        "web-1-0", // pod 0 of a set named web-1
        "web-canary-3", // pod 3 of a set named web-canary
        "api-0", // another set
        "webapp-0", // a set whose name starts with web
        "WEB-1",
        "web-1234567890", // more digits than an int holds: not ours, and no exception
        "web-99999999999999999999"
      })
  void slotOfIsEmptyForNamesThatAreNotTheSetsPods(String podName) {
    assertEquals(OptionalInt.empty(), Names.slotOf(web, podName));
  }

  @Test
  void slotOfForASetWhoseNameEndsInADigitOrHasDashes() {
    LabeledAppSet canary = TestSets.web("web-canary", 1);
    assertEquals(OptionalInt.of(3), Names.slotOf(canary, "web-canary-3"));
    assertEquals(OptionalInt.empty(), Names.slotOf(canary, "web-3"));
    LabeledAppSet web1 = TestSets.web("web-1", 1);
    assertEquals(OptionalInt.of(0), Names.slotOf(web1, "web-1-0"));
    assertEquals(OptionalInt.empty(), Names.slotOf(web1, "web-10"));
  }
}

package io.labeledapps.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class NamesLeadingZeroTest {
  @Test
  void aSlotWithALeadingZeroIsNotOneOfTheSetsPodNames() {
    // Names.pod never makes "web-01"; slotOf's javadoc promises a slot only for the set's pod names
    assertEquals(OptionalInt.empty(), Names.slotOf(TestSets.web("web", 1), "web-01"));
  }
}

package io.labeledapps.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.api.ServiceSpec;
import io.labeledapps.operator.model.TestSets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What the Observe stage copies out of the caches each pass. */
class ObserveTest {
  private final List<String> listed = new ArrayList<>();

  private Function<String, Stream<LabeledAppSet>> cache(List<LabeledAppSet> sets) {
    return ns -> {
      listed.add(ns);
      return sets.stream().filter(s -> ns.equals(s.getMetadata().getNamespace()));
    };
  }

  private static LabeledAppSet naming(String name, String service) {
    LabeledAppSet set = TestSets.web(name, 1);
    ServiceSpec spec = new ServiceSpec();
    spec.setName(service);
    set.getSpec().setService(spec);
    return set;
  }

  @Test
  void aSetNamingASharedServiceSeesEverySetOfItsNamespace() {
    LabeledAppSet a = naming("a", "shared");
    LabeledAppSet b = TestSets.web("b", 1);
    List<LabeledAppSet> all = List.of(a, b);

    assertEquals(all, Observe.neighbours(a, cache(all)));
    assertEquals(List.of(TestSets.NAMESPACE), listed);
  }

  @Test
  void aSetWithAServiceOfItsOwnCopiesNoNeighbours() {
    LabeledAppSet a = naming("a", "shared");
    LabeledAppSet b = TestSets.web("b", 1);

    assertEquals(List.of(), Observe.neighbours(b, cache(List.of(a, b))));
    assertEquals(List.of(), listed, "the namespace's sets are not even listed");
  }
}

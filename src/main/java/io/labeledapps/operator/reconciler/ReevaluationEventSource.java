package io.labeledapps.operator.reconciler;

import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.labeledapps.operator.api.LabeledAppSet;
import java.util.Set;
import java.util.stream.Stream;

/** Asks for a reconcile of sets for a reason no watched object carries: a configuration change. */
final class ReevaluationEventSource extends AbstractEventSource<Void, LabeledAppSet> {

  ReevaluationEventSource() {
    super(Void.class, "reevaluation");
  }

  void reevaluate(Stream<ResourceID> sets) {
    if (isRunning()) {
      sets.forEach(id -> getEventHandler().handleEvent(new Event(id)));
    }
  }

  @Override
  public Set<Void> getSecondaryResources(LabeledAppSet primary) {
    return Set.of();
  }
}

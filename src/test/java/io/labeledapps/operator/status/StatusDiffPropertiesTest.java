package io.labeledapps.operator.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerStatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.labeledapps.operator.api.LabeledAppSetStatus;
import io.labeledapps.operator.api.ServiceStatus;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link StatusDiff#same} compares field by field; a status is written when it says they differ. It
 * must answer what comparing the two statuses' JSON answers (what the API server stores), for
 * statuses as computed and as read back: else a status would be written on every pass, or a change
 * never.
 */
class StatusDiffPropertiesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Property(tries = 300)
  void sameIsTheirJsonBeingEqual(
      @ForAll("statuses") LabeledAppSetStatus a, @ForAll("statuses") LabeledAppSetStatus b) {
    boolean json = MAPPER.valueToTree(a).equals(MAPPER.valueToTree(b));
    if (StatusDiff.same(a, b) != json) {
      throw new AssertionError(
          "same says "
              + !json
              + " for\n"
              + Serialization.asJson(a)
              + "\nand\n"
              + Serialization.asJson(b));
    }
  }

  @Property(tries = 200)
  void aStatusReadBackIsTheSame(@ForAll("statuses") LabeledAppSetStatus a) {
    LabeledAppSetStatus readBack =
        Serialization.unmarshal(Serialization.asJson(a), LabeledAppSetStatus.class);
    if (!StatusDiff.same(a, readBack) || !StatusDiff.same(readBack, a)) {
      throw new AssertionError("read back differs: " + Serialization.asJson(a));
    }
  }

  @Provide
  Arbitrary<LabeledAppSetStatus> statuses() {
    Arbitrary<Integer> count = Arbitraries.integers().between(0, 2).injectNull(0.2);
    Arbitrary<String> word = Arbitraries.of("a", "b", "Ready", "").injectNull(0.2);
    Arbitrary<List<io.fabric8.kubernetes.api.model.Condition>> conditions =
        Combinators.combine(
                Arbitraries.of("Ready", "Progressing"), Arbitraries.of("True", "False"), word)
            .as(
                (type, status, message) ->
                    new ConditionBuilder()
                        .withType(type)
                        .withStatus(status)
                        .withMessage(message)
                        .build())
            .list()
            .ofMaxSize(2)
            .injectNull(0.3);
    Arbitrary<ServiceStatus> service =
        Combinators.combine(
                word,
                Arbitraries.integers().between(30000, 30001).list().ofMaxSize(1).injectNull(0.5))
            .as(
                (name, ports) -> {
                  ServiceStatus s = new ServiceStatus();
                  s.setName(name);
                  s.setNodePorts(ports);
                  return s;
                })
            .injectNull(0.4);
    Arbitrary<io.fabric8.kubernetes.api.model.LoadBalancerStatus> balancer =
        word.map(
                ip ->
                    new LoadBalancerStatusBuilder()
                        .withIngress(new LoadBalancerIngressBuilder().withIp(ip).build())
                        .build())
            .injectNull(0.6);
    Arbitrary<Map<String, Integer>> phases =
        Arbitraries.maps(Arbitraries.of("Running", "Pending"), Arbitraries.integers().between(0, 1))
            .ofMaxSize(2)
            .injectNull(0.3);
    return Combinators.combine(count, count, word, conditions, service, balancer, phases)
        .as(
            (replicas, ready, summary, conds, svc, lb, podPhases) -> {
              LabeledAppSetStatus s = new LabeledAppSetStatus();
              s.setReplicas(replicas);
              s.setReadyReplicas(ready);
              s.setPhaseSummary(summary);
              s.setConditions(conds);
              s.setService(svc);
              s.setLoadBalancer(lb);
              s.setPodPhases(podPhases);
              return s;
            });
  }
}

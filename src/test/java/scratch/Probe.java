package scratch;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.labeledapps.operator.LabeledAppSetOperator;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.model.DesiredPods;
import io.labeledapps.operator.observability.OperatorMetrics;
import io.labeledapps.operator.reconciler.*;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.*;
import java.util.*;
import java.util.concurrent.*;

public class Probe {
  public static void main(String[] a) throws Exception {
    KubernetesClient c = LabeledAppSetOperator.newClient();
    String ns = "las-probe-" + UUID.randomUUID().toString().substring(0, 5);
    c.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    while (c.serviceAccounts().inNamespace(ns).withName("default").get() == null) Thread.sleep(100);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    int n = Integer.parseInt(a[0]);
    try {
      for (String name : List.of("w1", "a", "b")) {
        LabeledAppSet set = io.labeledapps.operator.bench.Benchmark.benchSetForProbe(ns, name, name.equals("w1") ? 32 : n);
        set.getMetadata().setUid(UUID.randomUUID().toString());
        long t0 = System.nanoTime();
        List<Pod> pods = new ArrayList<>();
        pods.addAll(DesiredPods.pods(set, java.util.stream.IntStream.range(0, set.getSpec().getReplicas()).boxed().toList()));
        long t1 = System.nanoTime();
        PodReconciler r = new PodReconciler(c, pool, new PodExpectations(Duration.ofSeconds(60)),
            new OperatorMetrics(new SimpleMeterRegistry()), Clock.systemUTC(), new CreateRateLimiter(100000, 1000, System::nanoTime));
        long t2 = System.nanoTime();
        var res = r.execute(set, PodPlan.plan(set, List.of(), DesiredPods.templateHash(set), PodExpectations.Pending.NONE));
        long t3 = System.nanoTime();
        System.out.printf("%s: build %d pods %.2f s; execute %d creates %.2f s%n", name, pods.size(), (t1 - t0) / 1e9, res.created().size(), (t3 - t2) / 1e9);
      }
    } finally {
      pool.shutdown();
      c.pods().inNamespace(ns).withGracePeriod(0).delete();
      c.namespaces().withName(ns).delete();
      c.close();
    }
  }
}

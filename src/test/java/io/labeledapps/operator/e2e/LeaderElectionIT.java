package io.labeledapps.operator.e2e;

import static io.labeledapps.operator.e2e.FaultSupport.assertExactly;
import static io.labeledapps.operator.e2e.FaultSupport.assertUntouched;
import static io.labeledapps.operator.e2e.FaultSupport.await;
import static io.labeledapps.operator.e2e.FaultSupport.converged;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.labeledapps.operator.api.LabeledAppSet;
import io.labeledapps.operator.status.PodState;
import io.labeledapps.operator.testkit.OperatorProcess;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two operator processes with Lease-based leader election, as deploy/ runs two replicas: one leads,
 * the other stands by; when the leader is SIGKILLed, the standby takes over once the lease runs out
 * and the set keeps converging.
 */
class LeaderElectionIT {
  private static final Duration STARTUP = Duration.ofSeconds(120);
  private static final Duration CONVERGE = Duration.ofSeconds(120);
  private static final String LEASE = "labeledappset-operator";

  /**
   * After the lease runs out, the standby notices at its next attempt: every retry period (2 s)
   * with up to 120 % jitter. Plus polling and a loaded machine.
   */
  private static final Duration TAKEOVER_SLACK =
      LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE
          .multipliedBy(22)
          .dividedBy(10)
          .plusSeconds(3);

  @RegisterExtension static final E2eOperator cluster = E2eOperator.namespaceOnly("las-leader");
  static final KubernetesClient client = cluster.client;
  static final String ns = cluster.ns;

  private static String config() {
    return """
        leaderElection:
          enabled: true
          leaseName: %s
          leaseNamespace: %s
        """
        .formatted(LEASE, ns);
  }

  private static Lease lease() {
    return client.leases().inNamespace(ns).withName(LEASE).get();
  }

  private static String holder() {
    Lease lease = lease();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  @Test
  void standbyTakesOverWithinTheLeaseDurationAndKeepsTheSetConverging() throws Exception {
    OperatorProcess a = null;
    OperatorProcess b = null;
    try {
      a = OperatorProcess.start("operator-a", ns, config());
      b = OperatorProcess.start("operator-b", ns, config());
      a.started(STARTUP);
      b.started(STARTUP);
      await("a leader", STARTUP, () -> holder() != null);
      String leaderName = holder();
      OperatorProcess leader = leaderName.equals(a.name) ? a : b;
      OperatorProcess standby = leader == a ? b : a;
      assertTrue(
          Objects.equals(leaderName, leader.name),
          "the lease is held by one of the two: " + leaderName);
      OperatorProcess finalLeader = leader;
      await("the leader says it leads", STARTUP, () -> finalLeader.leaderGauge() == 1);
      assertEquals(0, standby.leaderGauge(), "the standby does not lead");
      assertTrue(standby.ready(), "a standby is ready: synced, able to take over");

      LabeledAppSet set = client.resource(FaultSupport.set(ns, "ha", 3)).create();
      Pod foreign = FaultSupport.foreignPod(client, set, "ha-foreign");
      await("3 pods", CONVERGE, () -> converged(client, ns, "ha", 3));
      assertEquals(leaderName, holder(), "still one leader");
      assertEquals(0, standby.leaderGauge(), "still one leader");

      try (var sampler = new FaultSupport.PodCountSampler(client, set)) {
        Lease before = lease();
        ZonedDateTime lastRenew = before.getSpec().getRenewTime();
        Duration leaseDuration = Duration.ofSeconds(before.getSpec().getLeaseDurationSeconds());
        long killedAt = System.nanoTime();
        leader.kill();
        await(
            "the standby holds the lease",
            leaseDuration.plus(TAKEOVER_SLACK).plusSeconds(30),
            () -> standby.name.equals(holder()));
        Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
        System.out.printf("takeover after %d ms (lease %s)%n", takeover.toMillis(), leaseDuration);
        assertTrue(
            takeover.compareTo(leaseDuration.plus(TAKEOVER_SLACK)) < 0,
            "took over after " + takeover + ", lease duration " + leaseDuration);

        Lease after = lease();
        assertNotNull(after.getSpec().getAcquireTime());
        assertFalse(
            after.getSpec().getAcquireTime().isBefore(lastRenew.plus(leaseDuration)),
            "no overlap: acquired at "
                + after.getSpec().getAcquireTime()
                + ", the old lease ran until "
                + lastRenew.plus(leaseDuration));
        assertEquals(
            before.getSpec().getLeaseTransitions() + 1, after.getSpec().getLeaseTransitions());
        await("the new leader says it leads", CONVERGE, () -> standby.leaderGauge() == 1);

        // the new leader reconciles: a deleted pod is replaced, a scale-up is carried out
        String uid = client.pods().inNamespace(ns).withName("ha-1").get().getMetadata().getUid();
        client.pods().inNamespace(ns).withName("ha-1").delete();
        // replaced under its own name or another free slot's: a name still terminating is not
        // reused
        await(
            "ha-1 replaced",
            CONVERGE,
            () ->
                converged(client, ns, "ha", 3)
                    && FaultSupport.controlled(client, set).stream()
                        .noneMatch(p -> p.getMetadata().getUid().equals(uid))
                    && FaultSupport.controlled(client, set).stream()
                            .filter(p -> !PodState.isTerminating(p))
                            .count()
                        == 3);
        client.resources(LabeledAppSet.class).inNamespace(ns).withName("ha").scale(4);
        await("4 pods", CONVERGE, () -> converged(client, ns, "ha", 4));
        assertExactly(client, ns, "ha", 4);
        assertEquals(4, sampler.max(), "never more pods than asked for");
      }
      assertNotEquals(leaderName, holder());
      assertTrue(standby.isAlive());
      assertUntouched(client, foreign);
    } finally {
      for (OperatorProcess p : new OperatorProcess[] {a, b}) {
        if (p != null) {
          p.close();
        }
      }
    }
  }
}

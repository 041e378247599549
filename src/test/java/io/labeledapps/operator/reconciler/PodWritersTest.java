package io.labeledapps.operator.reconciler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sets take turns on the pod writers: a write waits behind one waiting write of each other set, not
 * a batch.
 */
class PodWritersTest {
  private final PodWriters writers = new PodWriters(1, Thread::new);

  @AfterEach
  void stop() {
    writers.shutdownNow();
  }

  /**
   * Runs {@code writes} of each set while the one thread is held, returns the order they ran in.
   */
  private List<String> order(List<String> writes) throws InterruptedException {
    CountDownLatch hold = new CountDownLatch(1);
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(writes.size());
    List<String> ran = Collections.synchronizedList(new ArrayList<>());
    writers
        .forSet("holder")
        .execute(
            () -> {
              holding.countDown();
              try {
                hold.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    assertTrue(holding.await(10, TimeUnit.SECONDS), "the one thread is held");
    for (String write : writes) {
      String set = write.substring(0, write.indexOf('-'));
      writers
          .forSet(set)
          .execute(
              () -> {
                ran.add(write);
                done.countDown();
              });
    }
    hold.countDown();
    assertTrue(done.await(10, TimeUnit.SECONDS), "all writes ran");
    return ran;
  }

  @Test
  void aReplacementOfAnotherSetDoesNotWaitBehindABurst() throws Exception {
    assertEquals(
        List.of("big-0", "small-0", "big-1", "big-2", "big-3", "big-4"),
        order(List.of("big-0", "big-1", "big-2", "big-3", "big-4", "small-0")));
  }

  @Test
  void setsTakeTurnsAndEachSetKeepsItsOwnOrder() throws Exception {
    assertEquals(
        List.of("a-0", "b-0", "c-0", "a-1", "b-1", "a-2"),
        order(List.of("a-0", "a-1", "a-2", "b-0", "b-1", "c-0")));
  }

  @Test
  void aTaskOfNoSetIsServedAsASetsFirst() throws Exception {
    CountDownLatch ran = new CountDownLatch(1);
    writers.execute(ran::countDown);
    assertTrue(ran.await(10, TimeUnit.SECONDS));
  }
}

package io.labeledapps.operator.reconciler;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The threads pod creates and deletes run on, fair between sets: their number bounds how many
 * writes run at once, and a set's write waits behind at most one waiting write of each other set,
 * not behind a whole batch. A set scaling to thousands hands hundreds of creates over in one pass;
 * without this a replacement for another set's deleted pod queued behind all of them (fairness
 * benchmark: p99 7 s).
 *
 * <p>Each write is ranked by how many writes of its set were already waiting when it came: a set's
 * first waiting write ranks 0, its 500th ranks 499. The queue serves the lowest rank first, in
 * arrival order among equal ranks, so the sets' writes take turns (start-time fair queueing with
 * one write as the unit).
 */
public final class PodWriters extends ThreadPoolExecutor {
  private final AtomicLong arrivals = new AtomicLong();
  private final Map<String, Integer> waiting = new ConcurrentHashMap<>();

  public PodWriters(int threads, ThreadFactory threadFactory) {
    super(
        threads, threads, 0L, TimeUnit.MILLISECONDS, new PriorityBlockingQueue<>(), threadFactory);
  }

  /** Runs the writes of the set {@code key} in their turn. */
  public Executor forSet(String key) {
    return task -> {
      int rank = waiting.merge(key, 1, Integer::sum) - 1;
      super.execute(
          new Turn(
              rank,
              arrivals.getAndIncrement(),
              () -> {
                waiting.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
                task.run();
              }));
    };
  }

  /** A write not of a set: served as a set's first. */
  @Override
  public void execute(Runnable task) {
    super.execute(task instanceof Turn ? task : new Turn(0, arrivals.getAndIncrement(), task));
  }

  private record Turn(int rank, long arrival, Runnable task) implements Runnable, Comparable<Turn> {
    @Override
    public void run() {
      task.run();
    }

    @Override
    public int compareTo(Turn other) {
      int byRank = Integer.compare(rank, other.rank);
      return byRank != 0 ? byRank : Long.compare(arrival, other.arrival);
    }
  }
}

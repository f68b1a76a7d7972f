package io.openfusion.bench.perf;

import io.openfusion.bench.common.Proc;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;

/**
 * Samples the summed VmRSS of the proxy process(es) every 100 ms on its own daemon thread (reading {@code /proc} off
 * the event loops), and keeps the highest value since the last {@link #resetMax()}.
 */
public final class ProcessMonitor implements AutoCloseable {

  private final List<Long> pids;
  private final AtomicLong max = new AtomicLong(-1);
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bench-rss-sampler");
    t.setDaemon(true);
    return t;
  });

  public ProcessMonitor(List<Long> pids) {
    this.pids = List.copyOf(pids);
    timer.scheduleAtFixedRate(() -> max.accumulateAndGet(current(), Math::max), 0, 100, TimeUnit.MILLISECONDS);
  }

  public long current() {
    return sum(Proc::rssKb);
  }

  public long cpuMillis() {
    return sum(Proc::cpuMillis);
  }

  public long sysMillis() {
    return sum(Proc::sysCpuMillis);
  }

  /** CPU time of the processes' JIT compiler threads ({@link Proc#compilerCpuMillis}), or -1. */
  public long compilerMillis() {
    return sum(Proc::compilerCpuMillis);
  }

  public long contextSwitches() {
    return sum(Proc::contextSwitches);
  }

  /** One {@code /proc} reading summed over the processes; -1 when any of them could not be read. */
  private long sum(LongUnaryOperator reading) {
    long sum = 0;
    for (long pid : pids) {
      long value = reading.applyAsLong(pid);
      if (value < 0) {
        return -1;
      }
      sum += value;
    }
    return sum;
  }

  public long max() {
    return max.get();
  }

  public void resetMax() {
    max.set(current());
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

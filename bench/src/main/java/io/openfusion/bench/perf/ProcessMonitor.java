package io.openfusion.bench.perf;

import io.openfusion.bench.common.Proc;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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
    long sum = 0;
    for (long pid : pids) {
      long kb = Proc.rssKb(pid);
      if (kb < 0) {
        return -1;
      }
      sum += kb;
    }
    return sum;
  }

  public long cpuMillis() {
    long sum = 0;
    for (long pid : pids) {
      long ms = Proc.cpuMillis(pid);
      if (ms < 0) {
        return -1;
      }
      sum += ms;
    }
    return sum;
  }

  public long sysMillis() {
    long sum = 0;
    for (long pid : pids) {
      long ms = Proc.sysCpuMillis(pid);
      if (ms < 0) {
        return -1;
      }
      sum += ms;
    }
    return sum;
  }

  /** CPU time of the processes' JIT compiler threads ({@link Proc#compilerCpuMillis}), or -1. */
  public long compilerMillis() {
    long sum = 0;
    for (long pid : pids) {
      long ms = Proc.compilerCpuMillis(pid);
      if (ms < 0) {
        return -1;
      }
      sum += ms;
    }
    return sum;
  }

  public long contextSwitches() {
    long sum = 0;
    for (long pid : pids) {
      long n = Proc.contextSwitches(pid);
      if (n < 0) {
        return -1;
      }
      sum += n;
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

package io.openfusion.shared.demo.impl;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Read from test and benchmark threads while the event loop updates them, hence atomics. */
public final class DemoCounters {

  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong cancelled = new AtomicLong();

  public int inFlight() {
    return inFlight.get();
  }

  public long requests() {
    return requests.get();
  }

  public long cancelled() {
    return cancelled.get();
  }

  void requestReceived() {
    requests.incrementAndGet();
  }

  void begin() {
    inFlight.incrementAndGet();
  }

  void end(boolean wasCancelled) {
    inFlight.decrementAndGet();
    if (wasCancelled) {
      cancelled.incrementAndGet();
    }
  }
}

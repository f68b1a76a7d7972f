package io.openfusion.api.chat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.ext.web.RoutingContext;

/**
 * Counts the chat requests in flight on one api instance, so a shutdown can stop taking new ones and
 * wait for the running ones to end. Only touched from the instance's event loop.
 */
final class Drain {

  private volatile int inFlight;
  private boolean draining;
  private Promise<Void> idle;

  boolean draining() {
    return draining;
  }

  /** Tracks a request until its response ends or its connection closes. */
  void track(RoutingContext ctx) {
    inFlight++;
    boolean[] done = {false};
    Runnable finished = () -> {
      if (!done[0]) {
        done[0] = true;
        inFlight--;
        if (draining && inFlight == 0 && idle != null) {
          idle.tryComplete();
        }
      }
    };
    // the context's end handlers fire on both a normal end and a dropped connection
    ctx.addEndHandler(v -> finished.run());
  }

  /** Stops taking requests; completes when the last one in flight has ended. */
  Future<Void> start() {
    draining = true;
    idle = Promise.promise();
    if (inFlight == 0) {
      idle.complete();
    }
    return idle.future();
  }

  int inFlight() {
    return inFlight;
  }
}

package io.openfusion.shared.calls;

import io.openfusion.shared.error.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class CallSlotsTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private static long far() {
    return System.currentTimeMillis() + 60_000;
  }

  @Test
  void runsAtMostTheCapAndHandsSlotsOnInArrivalOrder() {
    CallSlots slots = new CallSlots("panel", "workers.panel_max_concurrency", 2);
    List<Promise<String>> work = new ArrayList<>();
    List<String> started = new CopyOnWriteArrayList<>();
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String name = "call-" + i;
      Promise<String> promise = Promise.promise();
      work.add(promise);
      results.add(slots.run(vertx, far(), Promise.<Void>promise().future(), () -> {
        started.add(name);
        return promise.future();
      }));
    }
    assertThat(started).containsExactly("call-0", "call-1");
    assertThat(slots.running()).isEqualTo(2);
    assertThat(slots.waiting()).isEqualTo(3);

    work.get(1).complete("one");
    awaitStarted(started, 3);
    assertThat(started).containsExactly("call-0", "call-1", "call-2");
    assertThat(slots.running()).isEqualTo(2);

    work.get(0).fail("upstream broke");
    awaitStarted(started, 4);
    assertThat(started).endsWith("call-3");
    assertThat(results.get(0).failed()).as("a failed call frees its slot too").isTrue();
    work.get(2).complete("two");
    work.get(3).complete("three");
    awaitStarted(started, 5);
    work.get(4).complete("four");
    assertThat(Future.all(results.subList(1, 5)).await().list()).containsExactly("one", "two", "three", "four");
    assertThat(slots.running()).isZero();
    assertThat(slots.waiting()).isZero();
  }

  @Test
  void aWaiterThatIsCancelledLeavesTheQueueWithoutRunning() {
    CallSlots slots = new CallSlots("panel", "workers.panel_max_concurrency", 1);
    Promise<String> first = Promise.promise();
    slots.run(vertx, far(), Promise.<Void>promise().future(), first::future);
    Promise<Void> cancel = Promise.promise();
    List<String> ran = new CopyOnWriteArrayList<>();
    Future<String> queued = slots.run(vertx, far(), cancel.future(), () -> {
      ran.add("queued");
      return Future.succeededFuture("never");
    });
    cancel.complete();
    Throwable why = awaitFailure(queued);
    assertThat(why).isInstanceOf(ApiError.class);
    assertThat(slots.waiting()).isZero();
    first.complete("done");
    assertThat(ran).isEmpty();
    assertThat(slots.running()).isZero();
  }

  @Test
  void aWaiterPastItsDeadlineFailsWithATimeoutNamingTheSetting() {
    CallSlots slots = new CallSlots("judge", "workers.judge_max_concurrency", 1);
    slots.run(vertx, far(), Promise.<Void>promise().future(), () -> Promise.<String>promise().future());
    Future<String> late = slots.run(vertx, System.currentTimeMillis() + 50, Promise.<Void>promise().future(),
      () -> Future.succeededFuture("never"));
    ApiError error = (ApiError) awaitFailure(late);
    assertThat(error.code()).isEqualTo("timeout");
    assertThat(error.getMessage()).contains("workers.judge_max_concurrency = 1");
    assertThat(slots.waiting()).isZero();
    assertThat(slots.running()).isEqualTo(1);
  }

  @Test
  void noCapRunsEverythingAtOnce() {
    CallSlots slots = CallSlots.unlimited("panel");
    for (int i = 0; i < 100; i++) {
      slots.run(vertx, far(), Promise.<Void>promise().future(), () -> Promise.<String>promise().future());
    }
    assertThat(slots.running()).isEqualTo(100);
    assertThat(slots.waiting()).isZero();
  }

  private static void awaitStarted(List<String> started, int count) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (started.size() < count) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("only " + started + " started");
      }
      Thread.onSpinWait();
    }
  }

  private static Throwable awaitFailure(Future<?> future) {
    try {
      future.await();
    } catch (Throwable failure) {
      return failure;
    }
    throw new AssertionError("expected a failure");
  }
}

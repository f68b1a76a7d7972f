package io.openfusion.shared.dispatch;

import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.bus.MemberAnswer;
import io.openfusion.shared.bus.MemberCall;
import io.openfusion.shared.bus.UpstreamRef;
import io.openfusion.shared.cluster.ClusterNode;
import io.openfusion.shared.cluster.ClusterView;
import io.openfusion.shared.error.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dispatch's side of losing a panel node, on a local event bus with a scripted cluster view: the
 * "workers" below confirm calls under a node id of their choosing and answer or stay silent.
 */
class MemberDispatchTest {

  private Vertx vertx;
  private ScriptedCluster cluster;
  private MemberDispatch dispatch;
  private final List<JsonObject> received = new CopyOnWriteArrayList<>();
  private final List<JsonObject> cancels = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    cluster = new ScriptedCluster();
    vertx.eventBus().<JsonObject>consumer(Addresses.CANCEL, message -> cancels.add(message.body()));
    dispatch = new MemberDispatch(vertx, cluster);
    Future.<Void>future(started -> vertx.runOnContext(v -> dispatch.start().onComplete(started))).await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void aCallWhoseNodeLeavesIsSentAgainAndAnsweredElsewhere() {
    worker(message -> {
      MemberCall call = MemberCall.fromJson(message.body());
      if (call.attempt() == 0) {
        confirm(call, "node-a"); // ... and never answers: node-a is about to die
      } else {
        confirm(call, "node-b");
        message.reply(answer("from node-b"));
      }
    });
    Future<MemberAnswer> answer = send(call("panel#0"));
    awaitReceived(1);
    vertx.runOnContext(v -> cluster.leave("node-a"));
    assertThat(answer.await().content()).isEqualTo("from node-b");
    assertThat(received).hasSize(2);
    assertThat(received.get(1).getInteger("attempt")).isEqualTo(1);
    assertThat(cancels).as("the lost attempt is cancelled wherever it may still run")
      .anyMatch(cancel -> "panel#0".equals(cancel.getString("call_id")));
    assertThat(dispatch.resent()).isEqualTo(1);
  }

  @Test
  void soonAfterADepartureACallNobodyConfirmsIsSentAgain() {
    worker(message -> {
      MemberCall call = MemberCall.fromJson(message.body());
      if (call.attempt() > 0) {
        confirm(call, "node-b");
        message.reply(answer("second try"));
      }
      // attempt 0: lost on the way, as if sent to the dead node before everyone forgot it
    });
    vertx.runOnContext(v -> cluster.leave("node-x"));
    awaitEventLoop();
    assertThat(send(call("panel#1")).await().content()).isEqualTo("second try");
    assertThat(received).hasSize(2);
  }

  @Test
  void inASteadyClusterASlowConfirmationNeverRunsACallTwice() {
    worker(message -> {
      MemberCall call = MemberCall.fromJson(message.body());
      // a node still warming up: the confirmation and the answer come late
      vertx.setTimer(MemberDispatch.CONFIRM_TIMEOUT_MS + 500, t -> {
        confirm(call, "node-b");
        message.reply(answer("late but fine"));
      });
    });
    assertThat(send(call("panel#5")).await().content()).isEqualTo("late but fine");
    assertThat(received).hasSize(1);
    assertThat(dispatch.resent()).isZero();
  }

  @Test
  void callsNotYetConfirmedWhenANodeLeavesAreSentAgain() {
    worker(message -> {
      MemberCall call = MemberCall.fromJson(message.body());
      if (call.attempt() > 0) {
        confirm(call, "node-b");
        message.reply(answer("resent"));
      }
      // attempt 0 never confirms: it may have been on the node that leaves
    });
    Future<MemberAnswer> answer = send(call("panel#6"));
    awaitReceived(1);
    vertx.runOnContext(v -> cluster.leave("node-a"));
    assertThat(answer.await().content()).isEqualTo("resent");
    assertThat(received).hasSize(2);
  }

  @Test
  void aNodeLeavingDoesNotTouchCallsOfOtherNodes() {
    worker(message -> {
      MemberCall call = MemberCall.fromJson(message.body());
      confirm(call, "node-b");
      vertx.setTimer(300, t -> message.reply(answer("steady")));
    });
    Future<MemberAnswer> answer = send(call("panel#2"));
    awaitReceived(1);
    vertx.runOnContext(v -> cluster.leave("node-a"));
    assertThat(answer.await().content()).isEqualTo("steady");
    assertThat(received).hasSize(1);
    assertThat(dispatch.resent()).isZero();
  }

  @Test
  void anUpstreamFailureIsNotRetriedHere() {
    worker(message -> {
      MemberCall call = MemberCall.fromJson(message.body());
      confirm(call, "node-b");
      message.fail(502, new JsonObject().put("type", "upstream_error").put("code", "upstream_error")
        .put("message", "Upstream returned 500").encode());
    });
    Throwable failure = null;
    try {
      send(call("panel#3")).await();
    } catch (Throwable t) {
      failure = t;
    }
    assertThat(ApiError.from(failure, "panel").code()).isEqualTo("upstream_error");
    assertThat(received).hasSize(1);
  }

  @Test
  void aCallOutOfTimeFailsInsteadOfBeingSentAgain() {
    worker(message -> confirm(MemberCall.fromJson(message.body()), "node-a"));
    MemberCall call = new MemberCall("req-1", "panel#4", new UpstreamRef(UpstreamRef.PANEL, 0, "m", "m"), new JsonObject(),
      System.currentTimeMillis() + 150, null);
    Future<MemberAnswer> answer = send(call);
    awaitReceived(1);
    vertx.setTimer(100, t -> cluster.leave("node-a"));
    Throwable failure = null;
    try {
      answer.await();
    } catch (Throwable t) {
      failure = t;
    }
    assertThat(ApiError.from(failure, "panel").code()).isEqualTo("timeout");
    assertThat(received).hasSize(1);
  }

  private Future<MemberAnswer> send(MemberCall call) {
    return Future.<Future<MemberAnswer>>future(p -> vertx.runOnContext(v -> p.complete(dispatch.send(call))))
      .compose(f -> f);
  }

  private void worker(Consumer<Message<JsonObject>> behaviour) {
    vertx.eventBus().<JsonObject>consumer(Addresses.PANEL_CALL, message -> {
      received.add(message.body());
      behaviour.accept(message);
    }).completion().await();
  }

  private void confirm(MemberCall call, String node) {
    vertx.eventBus().send(call.acceptedTo(), new JsonObject().put("request_id", call.requestId())
      .put("call_id", call.callId()).put("attempt", call.attempt()).put("node", node));
  }

  private static MemberCall call(String callId) {
    return new MemberCall("req-1", callId, new UpstreamRef(UpstreamRef.PANEL, 0, "m", "m"), new JsonObject(),
      System.currentTimeMillis() + 30_000, null);
  }

  private static JsonObject answer(String text) {
    return new MemberAnswer("m", "m", text, null, 5, "stop").toJson();
  }

  /** The departure is handled on the dispatch's event loop: wait until a call sent now sees it. */
  private void awaitEventLoop() {
    Future.<Void>future(done -> vertx.runOnContext(v -> done.complete())).await();
  }

  private void awaitReceived(int count) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (received.size() < count) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("the worker got " + received.size() + " calls");
      }
      Thread.onSpinWait();
    }
  }

  /** A cluster whose departures the test announces. */
  private static final class ScriptedCluster implements ClusterView {
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    void leave(String node) {
      listeners.forEach(listener -> listener.accept(node));
    }

    @Override
    public String nodeId() {
      return "router-node";
    }

    @Override
    public boolean clustered() {
      return true;
    }

    @Override
    public Future<List<ClusterNode>> nodes() {
      return Future.succeededFuture(List.of());
    }

    @Override
    public Future<Void> announce(List<String> roles) {
      return Future.succeededFuture();
    }

    @Override
    public Runnable onNodeLeft(Consumer<String> listener) {
      listeners.add(listener);
      return () -> listeners.remove(listener);
    }
  }
}

package io.openfusion.shared.dispatch;

import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.bus.CancelRegistry;
import io.openfusion.shared.bus.Deadlines;
import io.openfusion.shared.bus.MemberAnswer;
import io.openfusion.shared.bus.MemberCall;
import io.openfusion.shared.cluster.ClusterView;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.openfusion.shared.logging.RequestIdMdc;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Sends member calls to the panel workers and sees each through to an answer while its deadline
 * allows, even when the node running it dies.
 *
 * <p>Clustered, every worker confirms each call it receives to this instance's
 * {@link Addresses#routerAccepted accepted address}, naming its node. When a node leaves the cluster, the
 * calls it confirmed are sent again, to whichever worker the event bus picks next, and so are the calls
 * no worker has confirmed yet (they may have been on their way to it). For a while after a departure,
 * calls are also sent again when no confirmation arrives within {@link #CONFIRM_TIMEOUT_MS}: until every
 * node has dropped the dead node's registrations, a message may still be sent to it and vanish. A call
 * the event bus could not deliver at all is sent again at once. The abandoned attempt is cancelled
 * everywhere, so a node that was only slow stops its copy; if its answer still comes first, it is used.
 * In a steady cluster nothing is timed: a slow confirmation (a node still starting, a busy event loop)
 * never makes a call run twice. Failures of the upstream itself are not retried here: the worker already
 * retries 429 and 503.
 *
 * <p>Alone, there is no other node to turn to and calls go out once. One instance per router verticle
 * instance, used on its event loop only (node departures are handed over to it).
 */
public final class MemberDispatch {

  /** Confirmations are one small event-bus message; seconds without one means the call is lost. */
  static final long CONFIRM_TIMEOUT_MS = 3_000;
  /** How long after a departure confirmations are timed: Hazelcast and Vert.x forget a dead node within seconds. */
  static final long AFTER_DEPARTURE_MS = 30_000;
  private static final long RESEND_PAUSE_MS = 100;
  private static final int REMEMBERED_DEPARTURES = 256;
  private static final Logger LOG = LoggerFactory.getLogger(MemberDispatch.class);

  private final Vertx vertx;
  private final EventBus bus;
  private final ClusterView cluster;
  private final String acceptedAddress = Addresses.routerAccepted(UUID.randomUUID().toString());
  private final Map<String, TrackedCall> calls = new HashMap<>();
  /** Nodes seen leaving, for confirmations that arrive after the departure was handled. */
  private final Map<String, Boolean> departed = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > REMEMBERED_DEPARTURES;
    }
  };
  private Context context;
  private MessageConsumer<JsonObject> confirmations;
  private Runnable stopWatching = () -> { };
  private long resent;
  private long lastDeparture = Long.MIN_VALUE / 2;

  public MemberDispatch(Vertx vertx, ClusterView cluster) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.cluster = cluster;
  }

  /** Starts hearing confirmations and departures; call from the owning verticle's start. */
  public Future<Void> start() {
    context = vertx.getOrCreateContext();
    if (!cluster.clustered()) {
      return Future.succeededFuture();
    }
    stopWatching = cluster.onNodeLeft(node -> context.runOnContext(v -> nodeLeft(node)));
    confirmations = bus.consumer(acceptedAddress, message -> confirmed(message.body()));
    return confirmations.completion();
  }

  public Future<Void> stop() {
    stopWatching.run();
    return confirmations == null ? Future.succeededFuture() : confirmations.unregister();
  }

  /** Sends {@code call} to a panel worker; the answer, or why there is none. */
  public Future<MemberAnswer> send(MemberCall call) {
    if (!cluster.clustered()) {
      return request(call);
    }
    String key = key(call.requestId(), call.callId());
    TrackedCall tracked = new TrackedCall(call.withAcceptedTo(acceptedAddress));
    calls.put(key, tracked);
    dispatch(tracked);
    return tracked.result.future().andThen(done -> calls.remove(key, tracked));
  }

  /** Gives up on a call (a straggler after the quorum): stops it wherever it runs and sends it no more. */
  public void cut(String requestId, String callId) {
    TrackedCall tracked = calls.get(key(requestId, callId));
    if (tracked == null) {
      CancelRegistry.publishCall(bus, requestId, callId);
      return;
    }
    tracked.cut = true;
    CancelRegistry.publishCall(bus, requestId, tracked.current.cancelKey());
  }

  /** Member calls waiting for an answer now (a plain count, so a metrics scrape may read it from another thread). */
  public int tracked() {
    return calls.size();
  }

  /** Member calls sent again since start because their node was lost. */
  public long resent() {
    return resent;
  }

  private Future<MemberAnswer> request(MemberCall call) {
    // every attempt carries the run's trace, so a call sent again joins the same trace from its new node
    return bus.<JsonObject>request(Addresses.PANEL_CALL, call.toJson(),
        Deadlines.until(call.deadline(), call.requestId(), call.trace()))
      .map(reply -> MemberAnswer.fromJson(reply.body()));
  }

  private void dispatch(TrackedCall tracked) {
    MemberCall attempt = tracked.current;
    tracked.node = null;
    tracked.confirmTimer = -1;
    if (System.currentTimeMillis() - lastDeparture < AFTER_DEPARTURE_MS) {
      tracked.confirmTimer = vertx.setTimer(CONFIRM_TIMEOUT_MS,
        id -> lost(tracked, attempt, "no panel worker confirmed it within " + CONFIRM_TIMEOUT_MS + " ms of a node leaving"));
    }
    request(attempt).onComplete(done -> {
      if (tracked.result.future().isComplete()) {
        return;
      }
      if (done.succeeded()) {
        vertx.cancelTimer(tracked.confirmTimer);
        if (tracked.current != attempt) {
          // an attempt given up on answered after all: its replacement is not needed any more
          CancelRegistry.publishCall(bus, attempt.requestId(), tracked.current.cancelKey());
        }
        tracked.result.complete(done.result());
        return;
      }
      if (tracked.current != attempt) {
        // an attempt already given up on: its replacement answers
        return;
      }
      vertx.cancelTimer(tracked.confirmTimer);
      if (undelivered(done.cause())) {
        resend(tracked, "the event bus could not deliver it");
      } else {
        tracked.result.fail(done.cause());
      }
    });
  }

  private void confirmed(JsonObject confirmation) {
    TrackedCall tracked = calls.get(key(confirmation.getString("request_id"), confirmation.getString("call_id")));
    if (tracked == null || tracked.current.attempt() != confirmation.getInteger("attempt", 0)) {
      return;
    }
    String node = confirmation.getString("node");
    vertx.cancelTimer(tracked.confirmTimer);
    tracked.node = node;
    if (departed.containsKey(node)) {
      lost(tracked, tracked.current, "its node " + node + " left the cluster");
    }
  }

  private void nodeLeft(String node) {
    departed.put(node, Boolean.TRUE);
    lastDeparture = System.currentTimeMillis();
    List<TrackedCall> orphaned = new ArrayList<>();
    List<TrackedCall> unconfirmed = new ArrayList<>();
    calls.values().forEach(tracked -> {
      if (node.equals(tracked.node)) {
        orphaned.add(tracked);
      } else if (tracked.node == null) {
        unconfirmed.add(tracked);
      }
    });
    orphaned.forEach(tracked -> lost(tracked, tracked.current, "its node " + node + " left the cluster"));
    unconfirmed.forEach(tracked -> lost(tracked, tracked.current, "it was unconfirmed when node " + node + " left the cluster"));
  }

  private void lost(TrackedCall tracked, MemberCall attempt, String why) {
    if (tracked.current != attempt || tracked.result.future().isComplete() || tracked.pendingResend) {
      return;
    }
    vertx.cancelTimer(tracked.confirmTimer);
    // stop the abandoned copy wherever it still runs; its replacement has a cancel key of its own
    CancelRegistry.publishCall(bus, attempt.requestId(), attempt.cancelKey());
    resend(tracked, why);
  }

  private void resend(TrackedCall tracked, String why) {
    MemberCall last = tracked.current;
    if (tracked.cut) {
      tracked.result.tryFail(ApiError.of(ErrorCode.TIMEOUT, "cut as a straggler"));
      return;
    }
    if (last.deadline() - System.currentTimeMillis() <= RESEND_PAUSE_MS) {
      tracked.result.tryFail(ApiError.of(ErrorCode.TIMEOUT, "The panel call " + last.callId() + " was lost (" + why
        + ") and no time was left to run it elsewhere; raise timeouts.member_seconds or retry"));
      return;
    }
    resent++;
    RequestIdMdc.run(last.requestId(), () -> LOG.warn("member call {} sent again (attempt {}): {}", last.callId(),
      last.attempt() + 1, why));
    tracked.current = last.nextAttempt(acceptedAddress);
    tracked.node = null;
    tracked.pendingResend = true;
    vertx.setTimer(RESEND_PAUSE_MS, id -> {
      tracked.pendingResend = false;
      if (tracked.cut) {
        tracked.result.tryFail(ApiError.of(ErrorCode.TIMEOUT, "cut as a straggler"));
      } else if (!tracked.result.future().isComplete()) {
        dispatch(tracked);
      }
    });
  }

  /** The event bus failed to hand the message over (as opposed to a worker answering with an error). */
  private static boolean undelivered(Throwable failure) {
    return failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.ERROR;
  }

  private static String key(String requestId, String callId) {
    return requestId + '\n' + callId;
  }

  /** One logical member call and its current attempt. */
  private static final class TrackedCall {
    final Promise<MemberAnswer> result = Promise.promise();
    MemberCall current;
    String node;
    long confirmTimer = -1;
    boolean cut;
    /** Sent again after a short pause: a departure in that pause must not send it a third time. */
    boolean pendingResend;

    TrackedCall(MemberCall first) {
      this.current = first;
    }
  }
}

package io.openfusion.shared.calls;

import io.openfusion.shared.bus.CancelRegistry;
import io.openfusion.shared.upstream.UpstreamFailures;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.function.Function;

/**
 * How a worker verticle (panel, judge) takes one request: parse it (a malformed body is a 400), open its cancel
 * signal, wait for one of the node's slots, do the work, and answer with its reply or with the OpenAI error its failure
 * means ({@link UpstreamFailures#toApiError}, the one translator). A worker whose work answers along the request's reply
 * chain itself returns no reply.
 *
 * @param <C> the parsed command
 */
public final class WorkerConsumer<C> implements Handler<Message<JsonObject>> {

  /** Where a command's work is filed: the request it belongs to, the key that cancels it, when it is no longer wanted. */
  public record Filing(String requestId, String cancelKey, long deadline) {
  }

  /** The work itself. */
  @FunctionalInterface
  public interface Work<C> {

    /**
     * @param message the request, for work that answers it with a stream
     * @return the reply body, or null when the work answered the request itself
     */
    Future<JsonObject> run(C command, Message<JsonObject> message, Future<Void> cancel);
  }

  private final Vertx vertx;
  private final String what;
  private final CancelRegistry cancels;
  private final CallSlots slots;
  private final Function<JsonObject, C> parse;
  private final Function<C, Filing> filing;
  private final Work<C> work;
  private java.util.function.Consumer<C> received = command -> { };

  /**
   * @param what    names the command in the 400 a malformed one gets
   * @param cancels the verticle instance's cancel registry (listening on the cancel address)
   * @param slots   the node's cap on this kind of work
   */
  public WorkerConsumer(Vertx vertx, String what, CancelRegistry cancels, CallSlots slots, Function<JsonObject, C> parse,
                        Function<C, Filing> filing, Work<C> work) {
    this.vertx = vertx;
    this.what = what;
    this.cancels = cancels;
    this.slots = slots;
    this.parse = parse;
    this.filing = filing;
    this.work = work;
  }

  /** Runs {@code action} for every well-formed command as soon as it arrives, before it waits for a slot. */
  public WorkerConsumer<C> onReceive(java.util.function.Consumer<C> action) {
    this.received = action;
    return this;
  }

  @Override
  public void handle(Message<JsonObject> message) {
    C command;
    try {
      command = parse.apply(message.body());
    } catch (RuntimeException malformed) {
      message.fail(400, "malformed " + what + ": " + malformed.getMessage());
      return;
    }
    received.accept(command);
    Filing file = filing.apply(command);
    CancelRegistry.Signal cancel = cancels.open(file.requestId(), file.cancelKey());
    slots.run(vertx, file.deadline(), cancel.future(), () -> work.run(command, message, cancel.future()))
      .onComplete(done -> cancel.close())
      .onSuccess(reply -> {
        if (reply != null) {
          message.reply(reply);
        }
      })
      .onFailure(failure -> UpstreamFailures.toApiError(failure).failReply(message));
  }
}

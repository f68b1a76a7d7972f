package io.openfusion.api.chat;

import io.openfusion.shared.bus.ChatCommand;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.usage.RequestUsage;
import io.openfusion.shared.usage.UsageSink;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;

/**
 * Usage reports for the chat requests this edge ends itself. A router reports every request it received; these are the
 * others: refused here (invalid body, no recipe, shutting down) or never delivered (no router running), so every
 * request is reported exactly once. They spent nothing.
 */
final class EdgeUsage {

  private final UsageSink sink;

  EdgeUsage(UsageSink sink) {
    this.sink = sink == null ? UsageSink.NONE : sink;
  }

  void refused(String requestId, String caller, String recipe, String endpoint, boolean stream, ApiError error) {
    sink.report(new RequestUsage(requestId, caller, recipe, endpoint, null, stream,
      error.status() == 499 ? RequestUsage.CANCELLED : RequestUsage.ERROR, error.errorObject(), new JsonArray(), null));
  }

  /** Reports the request when its bus request failed because no router consumer exists: no router will. */
  void undelivered(ChatCommand command, Throwable failure) {
    if (failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
      refused(command.requestId(), command.caller(), command.recipe(), command.endpoint(), command.stream(),
        ApiError.from(failure, "router"));
    }
  }
}

package io.openfusion.router.budget;

import io.openfusion.shared.chat.Json;
import io.openfusion.shared.upstream.StreamResult;
import io.openfusion.shared.upstream.UpstreamCall;
import io.openfusion.shared.upstream.UpstreamClient;
import io.openfusion.shared.upstream.Usages;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;

/**
 * The upstream client of one metered pass-through: delegates every call and adds up the usage the
 * upstream reported, so the request can be settled on it without the relay re-parsing its stream. A
 * stream that ended without a usage chunk (many servers send one only on
 * {@code stream_options.include_usage}) counts its prompt estimate plus one token per chunk.
 */
final class UsageTap implements UpstreamClient {

  private final UpstreamClient client;
  private final long promptEstimate;
  private JsonObject total;

  /** @param promptEstimate the request's prompt tokens, for streams that report none */
  UsageTap(UpstreamClient client, long promptEstimate) {
    this.client = client;
    this.promptEstimate = promptEstimate;
  }

  @Override
  public Future<JsonObject> complete(UpstreamCall call) {
    return client.complete(call).andThen(done -> {
      if (done.succeeded() && done.result() != null) {
        add(Usages.fromJson(Json.object(done.result(), "usage")));
      }
    });
  }

  @Override
  public Future<StreamResult> stream(UpstreamCall call, Handler<String> onData) {
    return client.stream(call, onData).andThen(done -> {
      if (done.succeeded()) {
        StreamResult result = done.result();
        JsonObject reported = Usages.fromJson(result.usage());
        add(reported != null ? reported : new JsonObject().put(Usages.PROMPT, promptEstimate)
          .put(Usages.COMPLETION, result.chunks()).put(Usages.TOTAL, promptEstimate + result.chunks()));
      }
    });
  }

  /** The client is the router instance's own, shared by every request: it is not ours to close. */
  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  /** Everything the calls so far reported, or null when none did. */
  JsonObject total() {
    return total;
  }

  private void add(JsonObject usage) {
    if (usage != null) {
      total = Usages.add(total, usage);
    }
  }
}

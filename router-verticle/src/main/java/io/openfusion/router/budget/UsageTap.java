package io.openfusion.router.budget;

import io.openfusion.shared.chat.Json;
import io.openfusion.shared.upstream.Pace;
import io.openfusion.shared.upstream.StreamResult;
import io.openfusion.shared.upstream.UpstreamCall;
import io.openfusion.shared.upstream.UpstreamClient;
import io.openfusion.shared.chat.Usages;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;

/**
 * The upstream client of one metered pass-through: delegates every call and adds up the usage the
 * upstream reported, so the request can be settled on it without the relay re-parsing its stream. A
 * stream that ended without a usage chunk (many servers send one only on
 * {@code stream_options.include_usage}), or failed after its first chunk, counts its prompt estimate plus one
 * token per chunk received.
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
  public Future<StreamResult> stream(UpstreamCall call, Handler<String> onData, Pace pace) {
    // counted as they arrive: a stream that fails midway was still generated, and is billed, up to its cut
    int[] chunks = {0};
    Handler<String> counting = data -> {
      chunks[0]++;
      onData.handle(data);
    };
    return client.stream(call, counting, pace).andThen(done -> {
      JsonObject reported = done.succeeded() ? Usages.fromJson(done.result().usage()) : null;
      if (reported != null) {
        add(reported);
      } else if (chunks[0] > 0) {
        add(new JsonObject().put(Usages.PROMPT, promptEstimate).put(Usages.COMPLETION, chunks[0])
          .put(Usages.TOTAL, promptEstimate + chunks[0]));
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

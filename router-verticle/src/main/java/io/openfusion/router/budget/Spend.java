package io.openfusion.router.budget;

import io.openfusion.router.estimate.WorstCase.Ceiling;
import io.openfusion.shared.chat.Json;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.limits.TokenCharge;
import io.openfusion.shared.chat.Usages;
import io.vertx.core.AsyncResult;
import io.vertx.core.json.JsonObject;

/**
 * What a finished request spent, for its settlement:
 * <ul>
 *   <li>an answer from the response cache: nothing;</li>
 *   <li>usage reported by the upstreams: its tokens, and its {@code cost} when reported, else the
 *   tokens at the reservation's per-token prices;</li>
 *   <li>no usage and an error status before anything was sent, below 500 (refused by the router or by
 *   the provider): nothing;</li>
 *   <li>no usage otherwise (a cancel, a timeout, a stream that broke, an upstream that never reported):
 *   the prompt side of the reservation, since the prompts were sent and may be billed.</li>
 * </ul>
 */
final class Spend {

  private Spend() {
  }

  /**
   * @param done      the run's outcome (its reply when it succeeded)
   * @param cancelled whether the client went away
   * @param ceiling   what was reserved
   * @param tapped    usage the upstream client saw (pass-through), null to read it from the reply
   */
  static TokenCharge of(AsyncResult<JsonObject> done, boolean cancelled, Ceiling ceiling, JsonObject tapped) {
    JsonObject reply = done.succeeded() ? done.result() : null;
    if (reply != null && cached(reply)) {
      return TokenCharge.NONE;
    }
    JsonObject usage = tapped != null ? tapped : reported(reply);
    if (usage != null) {
      long prompt = number(usage, Usages.PROMPT);
      long completion = number(usage, Usages.COMPLETION);
      // the provider's own total: reasoning models count hidden reasoning there and nowhere else
      long total = Usages.total(usage);
      Object cost = usage.getValue(Usages.COST);
      double usd = cost instanceof Number n ? n.doubleValue() : ceiling.price(prompt, completion);
      return TokenCharge.spent(total, usd);
    }
    if (done.failed() && !cancelled && ApiError.from(done.cause(), "router").status() < 500) {
      return TokenCharge.NONE;
    }
    return TokenCharge.spent(ceiling.inputTokens(), ceiling.price(ceiling.inputTokens(), 0));
  }

  /** {@code "cached": true} on a buffered body or a streamed reply. */
  private static boolean cached(JsonObject reply) {
    JsonObject body = Json.object(reply, "body");
    return Boolean.TRUE.equals(reply.getValue("cached")) || body != null && Boolean.TRUE.equals(body.getValue("cached"));
  }

  /** The usage a buffered body carries, or the one a streamed reply reports. */
  private static JsonObject reported(JsonObject reply) {
    if (reply == null) {
      return null;
    }
    JsonObject body = Json.object(reply, "body");
    return Usages.fromJson(Json.object(body != null ? body : reply, "usage"));
  }

  private static long number(JsonObject usage, String key) {
    return usage.getValue(key) instanceof Number n ? Math.max(0, n.longValue()) : 0;
  }
}

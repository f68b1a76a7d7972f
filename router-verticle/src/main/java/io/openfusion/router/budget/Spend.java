package io.openfusion.router.budget;

import io.openfusion.router.RunResult;
import io.openfusion.router.estimate.WorstCase.Ceiling;
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
   * @param done      the run's outcome
   * @param cancelled whether the client went away
   * @param ceiling   what was reserved
   * @param tapped    usage the upstream client saw (pass-through), null to read it from the run's result
   */
  static TokenCharge of(AsyncResult<RunResult> done, boolean cancelled, Ceiling ceiling, JsonObject tapped) {
    RunResult result = done.succeeded() ? done.result() : null;
    if (result != null && result.cached()) {
      return TokenCharge.NONE;
    }
    JsonObject usage = tapped != null ? tapped : result == null ? null : Usages.fromJson(result.usage());
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

  private static long number(JsonObject usage, String key) {
    return usage.getValue(key) instanceof Number n ? Math.max(0, n.longValue()) : 0;
  }
}

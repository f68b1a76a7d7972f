package io.openfusion.router.estimate;

import io.openfusion.shared.upstream.pricing.Pricing;
import io.openfusion.shared.upstream.pricing.Pricing.Price;
import io.openfusion.router.recipe.Recipe;
import io.openfusion.shared.bus.UpstreamRef;
import io.openfusion.shared.config.OpenFusionConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code POST /v1/estimate}: how many calls a request makes (a fused run, or one pass-through call), how many tokens
 * at most, and what that costs.
 *
 * <p>Every call is priced from the {@code /models} list of its own upstream, so a judge on another
 * provider than the panel is priced (or reported unpriced) correctly. The total is null unless
 * every call has a price: a partial sum would understate the cost.
 *
 * <pre>
 * {"calls": 4, "models": ["a", "b", "j"], "input_tokens": 100, "max_output_tokens": 3072,
 *  "cost_usd": 0.01234 | null,
 *  "breakdown": [{"model": "a", "phase": "panel", "input_tokens": 100, "output_tokens": 1024,
 *                 "cost_usd": 0.00123 | null}, ...]}
 * </pre>
 * Breakdown phases: {@code router}, {@code panel}, {@code debate} (with {@code round}),
 * {@code judge}, {@code ranker}, {@code solo}; pipeline entries carry their {@code step}. Web tool
 * fees are not included.
 */
public final class Estimator {

  /** The total is shown to cents and below; per-call costs keep more digits, as small calls cost fractions of that. */
  private static final int TOTAL_SCALE = 5;
  private static final int CALL_SCALE = 8;

  private final OpenFusionConfig config;
  private final Pricing pricing;

  public Estimator(OpenFusionConfig config, Pricing pricing) {
    this.config = Objects.requireNonNull(config, "config");
    this.pricing = Objects.requireNonNull(pricing, "pricing");
  }

  /**
   * @param recipe       the recipe the request would run (override already applied)
   * @param clientBody   the chat request body
   * @param routerMayRun true when the Auto Router would run for this request (router enabled and
   *                     the request fusion-eligible); its classifier call is then counted
   */
  public Future<JsonObject> estimate(Recipe recipe, JsonObject clientBody, boolean routerMayRun) {
    JsonObject body = clientBody == null ? new JsonObject() : clientBody;
    List<PlannedCall> calls;
    try {
      calls = CallPlan.build(config, recipe, body, routerMayRun);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return priced(calls, body);
  }

  /**
   * The estimate of a request that passes through to one model (another model id, or client tools): one call, its
   * output ceiling counted once per choice ({@code n}).
   */
  public Future<JsonObject> passThrough(Recipe recipe, JsonObject clientBody) {
    JsonObject body = clientBody == null ? new JsonObject() : clientBody;
    String model = body.getValue("model") instanceof String m && !m.equals(config.fusionModelName()) ? m : null;
    return priced(CallPlan.passThrough(config, recipe, body, new UpstreamRef(UpstreamRef.PASS_THROUGH, 0, model,
      "pass-through")), body);
  }

  private Future<JsonObject> priced(List<PlannedCall> calls, JsonObject body) {
    Map<String, Future<Map<String, Price>>> lists = new LinkedHashMap<>();
    for (PlannedCall call : calls) {
      if (call.baseUrl() != null) {
        lists.computeIfAbsent(call.baseUrl(), pricing::prices);
      }
    }
    long inputTokens = TokenCount.input(body.getValue("messages"));
    return Future.all(new ArrayList<>(lists.values())).map(done -> render(calls, inputTokens, lists));
  }

  private static JsonObject render(List<PlannedCall> calls, long inputTokens,
                                   Map<String, Future<Map<String, Price>>> lists) {
    Set<String> models = new LinkedHashSet<>();
    JsonArray breakdown = new JsonArray();
    long maxOutput = 0;
    double total = 0;
    boolean allPriced = true;
    for (PlannedCall call : calls) {
      if (call.model() != null) {
        models.add(call.model());
      }
      maxOutput += call.outputTokens();
      Price price = priceOf(call, lists);
      JsonObject entry = call.toJson();
      if (price == null) {
        allPriced = false;
        entry.putNull("cost_usd");
      } else {
        double cost = call.inputTokens() * price.prompt() + call.outputTokens() * price.completion();
        total += cost;
        entry.put("cost_usd", money(cost, CALL_SCALE));
      }
      breakdown.add(entry);
    }
    JsonObject estimate = new JsonObject()
      .put("calls", calls.size())
      .put("models", new JsonArray(new ArrayList<>(models)))
      .put("input_tokens", inputTokens)
      .put("max_output_tokens", maxOutput);
    if (allPriced) {
      estimate.put("cost_usd", money(total, TOTAL_SCALE));
    } else {
      estimate.putNull("cost_usd");
    }
    return estimate.put("breakdown", breakdown);
  }

  private static Price priceOf(PlannedCall call, Map<String, Future<Map<String, Price>>> lists) {
    if (call.baseUrl() == null || call.model() == null) {
      return null;
    }
    Map<String, Price> prices = lists.get(call.baseUrl()).result();
    return prices == null ? null : prices.get(call.model());
  }

  private static double money(double usd, int scale) {
    return BigDecimal.valueOf(usd).setScale(scale, RoundingMode.HALF_UP).doubleValue();
  }
}

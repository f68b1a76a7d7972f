package io.openfusion.router.estimate;

import io.openfusion.shared.upstream.pricing.Pricing;
import io.openfusion.shared.upstream.pricing.Pricing.Price;
import io.openfusion.router.recipe.Recipe;
import io.openfusion.shared.bus.UpstreamRef;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.UpstreamConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The most a request can spend, reserved against token limits and budgets before any upstream call.
 * A fused run counts every call of {@link CallPlan} (panel, debate rounds, judge or ranker, pipeline
 * steps) at its token ceiling, exactly as {@code POST /v1/estimate} does; a pass-through counts its
 * prompt plus its output ceiling for each of its {@code n} choices.
 *
 * <p>Prices come from each upstream's {@code /models} list ({@link Pricing}); a call whose price is
 * unknown adds tokens but no dollars. The blended per-token rates let a settlement price the real
 * usage when upstreams report tokens but no cost.
 */
public final class WorstCase {

  private final OpenFusionConfig config;
  private final Pricing pricing;

  public WorstCase(OpenFusionConfig config, Pricing pricing) {
    this.config = Objects.requireNonNull(config, "config");
    this.pricing = Objects.requireNonNull(pricing, "pricing");
  }

  /**
   * One request's ceiling.
   *
   * @param inputTokens    prompt tokens over every call (estimated, four characters a token)
   * @param outputTokens   output tokens over every call, at their ceilings
   * @param usd            the price of all that; calls with an unknown price count 0
   * @param promptRate     USD per prompt token, blended over the calls (0 when unknown)
   * @param completionRate USD per completion token, blended over the calls (0 when unknown)
   */
  public record Ceiling(long inputTokens, long outputTokens, double usd, double promptRate, double completionRate) {

    public long tokens() {
      return inputTokens + outputTokens;
    }

    /** What {@code promptTokens} in and {@code completionTokens} out cost at these rates. */
    public double price(long promptTokens, long completionTokens) {
      return promptTokens * promptRate + completionTokens * completionRate;
    }
  }

  /**
   * @param priced whether dollars matter (a dollar budget applies); when not, no price list is fetched
   */
  public Future<Ceiling> fusion(Recipe recipe, JsonObject body, boolean priced) {
    List<PlannedCall> calls;
    try {
      // the Auto Router has already decided by the time a fusion is reserved, so its classifier is not counted
      calls = CallPlan.build(config, recipe, body, false);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return priceAll(calls, priced);
  }

  /**
   * @param target the upstream the pass-through calls first (fallbacks answer instead of it, not as well)
   */
  public Future<Ceiling> passThrough(Recipe recipe, JsonObject body, UpstreamRef target, boolean priced) {
    return priceAll(CallPlan.passThrough(config, recipe, body, target), priced);
  }

  /** The client's {@code max_tokens} (or {@code max_completion_tokens}) within the ceiling, else the ceiling. */
  static long outputCeiling(Recipe recipe, JsonObject body) {
    Integer ceiling = recipe.ceilings() == null ? null : recipe.ceilings().passThroughMaxTokens();
    long requested = Long.MAX_VALUE;
    for (String field : new String[] {"max_tokens", "max_completion_tokens"}) {
      if (body.getValue(field) instanceof Number n && n.longValue() > 0) {
        requested = Math.min(requested, n.longValue());
      }
    }
    long cap = ceiling != null ? ceiling : CallPlan.DEFAULT_CAP;
    return requested == Long.MAX_VALUE ? cap : ceiling != null ? Math.min(requested, cap) : requested;
  }

  private Future<Ceiling> priceAll(List<PlannedCall> calls, boolean priced) {
    Map<String, Future<Map<String, Price>>> lists = new LinkedHashMap<>();
    if (priced) {
      for (PlannedCall call : calls) {
        if (call.baseUrl() != null) {
          lists.computeIfAbsent(call.baseUrl(), pricing::prices);
        }
      }
    }
    return Future.all(new ArrayList<>(lists.values())).map(done -> sum(calls, lists));
  }

  private static Ceiling sum(List<PlannedCall> calls, Map<String, Future<Map<String, Price>>> lists) {
    long input = 0;
    long output = 0;
    double promptUsd = 0;
    double completionUsd = 0;
    for (PlannedCall call : calls) {
      input += call.inputTokens();
      output += call.outputTokens();
      Price price = priceOf(call, lists);
      if (price != null) {
        promptUsd += call.inputTokens() * price.prompt();
        completionUsd += call.outputTokens() * price.completion();
      }
    }
    return new Ceiling(input, output, promptUsd + completionUsd,
      input == 0 ? 0 : promptUsd / input, output == 0 ? 0 : completionUsd / output);
  }

  private static Price priceOf(PlannedCall call, Map<String, Future<Map<String, Price>>> lists) {
    Future<Map<String, Price>> list = call.baseUrl() == null ? null : lists.get(call.baseUrl());
    if (list == null || call.model() == null || list.result() == null) {
      return null;
    }
    return list.result().get(call.model());
  }
}

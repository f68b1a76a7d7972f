package io.openfusion.shared.demo.impl;

import io.openfusion.shared.demo.DemoProvider;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Made-up per-token USD prices, published by {@code /v1/models} and used for {@code usage.cost},
 * so cost accounting downstream can be checked against numbers that are easy to verify by hand.
 */
public final class DemoPricing {

  /** USD per token, kept as decimals so a published price and a computed cost agree exactly. */
  public record Price(BigDecimal prompt, BigDecimal completion) {

    public double cost(long promptTokens, long completionTokens) {
      return prompt.multiply(BigDecimal.valueOf(promptTokens))
        .add(completion.multiply(BigDecimal.valueOf(completionTokens)))
        .doubleValue();
    }
  }

  /** Any other {@code demo/*} id is served too; it is billed like this. */
  public static final Price DEFAULT_PRICE = price("0.0000001", "0.0000004");

  private static final Map<String, Model> MODELS = new LinkedHashMap<>();

  private record Model(Price price, String description) {
  }

  static {
    MODELS.put("demo/atlas", new Model(price("0.0000001", "0.0000004"),
      "Simulated panel member: concise bullet points"));
    MODELS.put("demo/birch", new Model(price("0.00000015", "0.0000006"),
      "Simulated panel member: a step-by-step take"));
    MODELS.put("demo/cedar", new Model(price("0.0000002", "0.0000008"),
      "Simulated panel member: trade-offs and a caveat"));
    MODELS.put(DemoProvider.JUDGE_MODEL, new Model(price("0.0000003", "0.0000012"),
      "Simulated judge: fuses panel answers and can emit an ===ANALYSIS=== trailer"));
    MODELS.put(DemoProvider.FAIL_MODEL, new Model(price("0.00000005", "0.0000002"),
      "Simulated fault: always answers HTTP 500"));
    MODELS.put(DemoProvider.SLOW_MODEL, new Model(price("0.00000008", "0.00000032"),
      "Simulated fault: waits 30 s before answering"));
  }

  private DemoPricing() {
  }

  public static Price priceOf(String model) {
    Model m = MODELS.get(model);
    return m == null ? DEFAULT_PRICE : m.price();
  }

  public static double cost(String model, long promptTokens, long completionTokens) {
    return priceOf(model).cost(promptTokens, completionTokens);
  }

  /** The {@code GET /v1/models} body, with prices as decimal strings the way OpenRouter lists them. */
  public static JsonObject modelList() {
    JsonArray data = new JsonArray();
    MODELS.forEach((id, m) -> data.add(new JsonObject()
      .put("id", id)
      .put("object", "model")
      .put("created", 0)
      .put("owned_by", "openfusion-demo")
      .put("description", m.description())
      .put("pricing", new JsonObject()
        .put("prompt", m.price().prompt().toPlainString())
        .put("completion", m.price().completion().toPlainString()))));
    return new JsonObject().put("object", "list").put("data", data);
  }

  private static Price price(String prompt, String completion) {
    return new Price(new BigDecimal(prompt), new BigDecimal(completion));
  }
}

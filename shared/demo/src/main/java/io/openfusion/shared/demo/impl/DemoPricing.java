package io.openfusion.shared.demo.impl;

import io.openfusion.shared.demo.DemoProvider;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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

  private record Model(String id, Price price, String description) {
  }

  /** In the order {@code /v1/models} lists them; immutable, so every Vert.x instance in a JVM can share it. */
  private static final List<Model> MODELS = List.of(
    new Model("demo/atlas", price("0.0000001", "0.0000004"), "Simulated panel member: concise bullet points"),
    new Model("demo/birch", price("0.00000015", "0.0000006"), "Simulated panel member: a step-by-step take"),
    new Model("demo/cedar", price("0.0000002", "0.0000008"), "Simulated panel member: trade-offs and a caveat"),
    new Model(DemoProvider.JUDGE_MODEL, price("0.0000003", "0.0000012"),
      "Simulated judge: fuses panel answers and can emit an ===ANALYSIS=== trailer"),
    new Model(DemoProvider.FAIL_MODEL, price("0.00000005", "0.0000002"), "Simulated fault: always answers HTTP 500"),
    new Model(DemoProvider.SLOW_MODEL, price("0.00000008", "0.00000032"), "Simulated fault: waits 30 s before answering"));

  private static final Map<String, Price> PRICES = MODELS.stream()
    .collect(Collectors.toUnmodifiableMap(Model::id, Model::price));

  private DemoPricing() {
  }

  public static Price priceOf(String model) {
    return PRICES.getOrDefault(model, DEFAULT_PRICE);
  }

  public static double cost(String model, long promptTokens, long completionTokens) {
    return priceOf(model).cost(promptTokens, completionTokens);
  }

  /** The {@code GET /v1/models} body, with prices as decimal strings the way OpenRouter lists them. */
  public static JsonObject modelList() {
    JsonArray data = new JsonArray();
    MODELS.forEach(m -> data.add(new JsonObject()
      .put("id", m.id())
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

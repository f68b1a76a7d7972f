package io.openfusion.shared.upstream.pricing;

import io.openfusion.shared.upstream.pricing.Pricing.Price;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads an OpenAI/OpenRouter-style model list: {@code data[].id} with
 * {@code data[].pricing.prompt} and {@code .completion} in USD per token, as strings (OpenRouter)
 * or numbers. Entries without a usable id or price are skipped, not fatal: one odd model must not
 * cost us the prices of all the others.
 */
final class PriceList {

  private PriceList() {
  }

  /** @throws IllegalArgumentException when the body is not a JSON object with a {@code data} array */
  static Map<String, Price> parse(Buffer body) {
    Object decoded;
    try {
      decoded = io.vertx.core.json.Json.decodeValue(body);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("model list is not JSON", e);
    }
    if (!(decoded instanceof JsonObject root) || !(root.getValue("data") instanceof JsonArray data)) {
      throw new IllegalArgumentException("model list has no data array");
    }
    Map<String, Price> prices = new HashMap<>();
    for (Object item : data) {
      if (item instanceof JsonObject model && model.getValue("id") instanceof String id && !id.isBlank()
        && model.getValue("pricing") instanceof JsonObject pricing) {
        double prompt = perToken(pricing.getValue("prompt"));
        double completion = perToken(pricing.getValue("completion"));
        if (prompt >= 0 && completion >= 0) {
          prices.putIfAbsent(id, new Price(prompt, completion));
        }
      }
    }
    return Map.copyOf(prices);
  }

  /**
   * @return the price, or -1 when absent, unparsable, not finite or negative (OpenRouter prices its
   *     variable-cost routers as {@code "-1"})
   */
  private static double perToken(Object value) {
    double price;
    if (value instanceof Number n) {
      price = n.doubleValue();
    } else if (value instanceof String s) {
      try {
        price = Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        return -1;
      }
    } else {
      return -1;
    }
    return Double.isFinite(price) && price >= 0 ? price : -1;
  }
}

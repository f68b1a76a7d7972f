package io.openfusion.bench.quality;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * List prices per model, read once per provider from its public OpenRouter-style {@code GET <base>/models}
 * ({@code data[].id}, {@code data[].pricing.prompt} and {@code .completion} in USD per token), to bound what a
 * single-model request can cost before it is sent. No key is sent: the list is public, and a provider key has no
 * business on a price lookup. A provider without such a list (or a model missing from it) has no price: the spending
 * cap then learns from the first answers instead.
 */
public final class PriceBook {

  private final WebClient web;
  private final Map<String, Future<Map<String, double[]>>> lists = new ConcurrentHashMap<>();

  public PriceBook(WebClient web) {
    this.web = web;
  }

  /** {@code [prompt, completion]} USD per token for {@code model} at {@code baseUrl}, or null when unknown. */
  public Future<double[]> price(String baseUrl, String model) {
    return lists.computeIfAbsent(baseUrl, this::fetch).map(prices -> prices.get(model));
  }

  private Future<Map<String, double[]>> fetch(String baseUrl) {
    return web.getAbs(baseUrl.replaceAll("/+$", "") + "/models")
      .timeout(30_000)
      .send()
      .map(resp -> resp.statusCode() == 200 ? parse(resp.bodyAsJsonObject()) : Map.<String, double[]>of())
      .otherwise(Map.of());
  }

  static Map<String, double[]> parse(JsonObject list) {
    Map<String, double[]> out = new HashMap<>();
    if (list == null || !(list.getValue("data") instanceof JsonArray data)) {
      return out;
    }
    for (Object item : data) {
      if (item instanceof JsonObject m && m.getValue("id") instanceof String id
        && m.getValue("pricing") instanceof JsonObject pricing) {
        double prompt = perToken(pricing.getValue("prompt"));
        double completion = perToken(pricing.getValue("completion"));
        if (prompt >= 0 && completion >= 0) {
          out.putIfAbsent(id, new double[] {prompt, completion});
        }
      }
    }
    return out;
  }

  /** The price, or -1 when missing, unreadable or negative (variable-price routers list "-1"). */
  private static double perToken(Object v) {
    try {
      double d = v instanceof Number n ? n.doubleValue() : v instanceof String s ? Double.parseDouble(s.trim()) : -1;
      return Double.isFinite(d) && d >= 0 ? d : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Prompt tokens, estimated at four characters a token over the messages' text (at least 1). */
  public static long inputTokens(Object messages) {
    long chars = 0;
    if (messages instanceof JsonArray list) {
      for (Object m : list) {
        if (m instanceof JsonObject msg) {
          Object c = msg.getValue("content");
          if (c instanceof String s) {
            chars += s.length();
          } else if (c instanceof JsonArray parts) {
            for (Object p : parts) {
              if (p instanceof JsonObject part && part.getValue("text") instanceof String t) {
                chars += t.length();
              }
            }
          }
        }
      }
    }
    return Math.max(1, chars / 4);
  }
}

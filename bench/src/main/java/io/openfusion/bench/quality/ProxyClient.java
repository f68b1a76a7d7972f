package io.openfusion.bench.quality;

import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.UpstreamConfig;
import io.openfusion.shared.sse.SseParser;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Chat requests to one proxy, each passed through the run's {@link SpendGuard} first: with a cap, the request's worst
 * case is worked out before it is sent, the guard reserves that (or holds or refuses the request), and the request's
 * reported cost settles the reservation. The worst case of a fused request is the proxy's own estimate
 * ({@code POST /v1/estimate}, which calls no model: every call at its token ceiling); that of a single-model request
 * (solo, grader, pairwise judge) is its prompt plus {@code max_tokens} at the model's list price ({@link PriceBook}),
 * since the proxy's estimate always prices a fused run.
 */
public final class ProxyClient {

  /** What a streamed request delivered. */
  public record Streamed(String content, JsonObject usage, List<String> namedEvents, int chunks, boolean done,
                         JsonObject error) {
  }

  private static final long TIMEOUT_MS = 360_000;
  private static final int MAX_EVENT_BYTES = 4 << 20;

  /** Output cap the proxy assumes for a pass-through without {@code max_tokens} or a ceiling. */
  static final int DEFAULT_CAP = 1024;

  private final HttpClient http;
  private final WebClient web;
  private final String baseUrl;
  private final String key;
  private final SpendGuard guard;
  private final OpenFusionConfig config;
  private final PriceBook prices;

  /**
   * @param baseUrl the proxy's OpenAI base, e.g. {@code http://127.0.0.1:8080/v1}
   * @param key     the gateway key sent as Bearer
   * @param config  the proxy's recipe: which model fuses, and where single-model requests go
   * @param prices  list prices for single-model requests
   */
  public ProxyClient(HttpClient http, String baseUrl, String key, SpendGuard guard, OpenFusionConfig config,
                     PriceBook prices) {
    this.http = http;
    this.web = WebClient.wrap(http);
    this.baseUrl = baseUrl.replaceAll("/+$", "");
    this.key = key;
    this.guard = guard;
    this.config = config;
    this.prices = prices;
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** The largest {@code max_tokens} the proxy accepts for a single-model request ({@code def} when it sets none). */
  public int passThroughCeiling(int def) {
    Integer c = config == null || config.costControls() == null ? null : config.costControls().passThroughMaxTokens();
    return c == null ? def : Math.min(def, c);
  }

  /** A non-streamed chat completion, guarded. Fails with {@link SpendGuard.CapReached} when the cap stops it. */
  public Future<JsonObject> chat(String kind, JsonObject body) {
    return reserve(kind, body).compose(r -> post(body)
      .andThen(ar -> guard.settle(r, ar.succeeded() ? ar.result().getJsonObject("usage", new JsonObject()) : null)));
  }

  /** A streamed chat completion, guarded; {@code headers} go with the request. */
  public Future<Streamed> stream(String kind, JsonObject body, Map<String, String> headers) {
    return reserve(kind, body).compose(r -> postStream(body, headers)
      .andThen(ar -> guard.settle(r, ar.succeeded() ? ar.result().usage() == null ? new JsonObject() : ar.result().usage()
        : null)));
  }

  private Future<SpendGuard.Reservation> reserve(String kind, JsonObject body) {
    if (guard.stopped()) {
      return Future.failedFuture(new SpendGuard.CapReached(guard.stopReason()));
    }
    Future<Double> worst = guard.limited() ? worstCase(body) : Future.succeededFuture(null);
    return worst.compose(w -> guard.reserve(kind, w));
  }

  /** What this request could cost at most, or null when nothing prices it. */
  public Future<Double> worstCase(JsonObject body) {
    String model = body.getString("model");
    if (config == null || model == null || model.equals(config.fusionModelName())) {
      return estimate(body);
    }
    UpstreamConfig upstream = config.passThroughResolved();
    if (upstream == null) {
      return Future.succeededFuture(null);
    }
    Integer ceiling = config.costControls() == null ? null : config.costControls().passThroughMaxTokens();
    long out = body.getValue("max_tokens") instanceof Number n ? n.longValue() : ceiling != null ? ceiling : DEFAULT_CAP;
    long in = PriceBook.inputTokens(body.getValue("messages"));
    return prices.price(upstream.baseUrl(), model).map(p -> p == null ? null : in * p[0] + out * p[1]);
  }

  /** The proxy's worst-case price for a fused request, or null when it cannot price it (or the call fails). */
  public Future<Double> estimate(JsonObject body) {
    return web.postAbs(baseUrl + "/estimate")
      .bearerTokenAuthentication(key)
      .timeout(60_000)
      .sendJsonObject(body)
      .map(resp -> {
        if (resp.statusCode() != 200) {
          return (Double) null;
        }
        JsonObject o = resp.bodyAsJsonObject();
        return o != null && o.getValue("cost_usd") instanceof Number n ? n.doubleValue() : null;
      })
      .otherwise((Double) null);
  }

  private Future<JsonObject> post(JsonObject body) {
    return web.postAbs(baseUrl + "/chat/completions")
      .bearerTokenAuthentication(key)
      .timeout(TIMEOUT_MS)
      .sendJsonObject(body)
      .compose(resp -> {
        if (resp.statusCode() != 200) {
          return Future.failedFuture(new IllegalStateException("HTTP " + resp.statusCode() + ": " + cut(resp.bodyAsString())));
        }
        return Future.succeededFuture(resp.bodyAsJsonObject());
      });
  }

  private Future<Streamed> postStream(JsonObject body, Map<String, String> headers) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(baseUrl + "/chat/completions")
      .setIdleTimeout(TIMEOUT_MS).putHeader("content-type", "application/json").putHeader("authorization", "Bearer " + key);
    headers.forEach(options::putHeader);
    return http.request(options)
      .compose(req -> req.send(body.toBuffer()))
      .compose(resp -> {
        if (resp.statusCode() != 200) {
          return resp.body().compose(b -> Future.failedFuture(new IllegalStateException("HTTP " + resp.statusCode() + ": "
            + cut(b.toString()))));
        }
        Promise<Streamed> done = Promise.promise();
        StringBuilder content = new StringBuilder();
        List<String> named = new ArrayList<>();
        JsonObject[] usage = new JsonObject[1];
        JsonObject[] error = new JsonObject[1];
        int[] chunks = new int[1];
        boolean[] sawDone = new boolean[1];
        SseParser parser = SseParser.create(MAX_EVENT_BYTES, ev -> {
          if (ev.event() != null) {
            named.add(ev.event());
            return;
          }
          if (ev.isDone()) {
            sawDone[0] = true;
            return;
          }
          JsonObject chunk;
          try {
            chunk = new JsonObject(ev.data());
          } catch (RuntimeException e) {
            return;
          }
          chunks[0]++;
          if (chunk.getValue("error") instanceof JsonObject err) {
            error[0] = err;
          }
          if (chunk.getValue("usage") instanceof JsonObject u) {
            usage[0] = u;
          }
          if (chunk.getValue("choices") instanceof JsonArray choices && !choices.isEmpty()
            && choices.getValue(0) instanceof JsonObject c0 && c0.getValue("delta") instanceof JsonObject delta
            && delta.getValue("content") instanceof String s) {
            content.append(s);
          }
        });
        resp.handler(buf -> {
          try {
            parser.handle(buf);
          } catch (RuntimeException e) {
            done.tryFail(e);
          }
        });
        resp.exceptionHandler(done::tryFail);
        resp.endHandler(v -> done.tryComplete(new Streamed(content.toString(), usage[0], named, chunks[0], sawDone[0], error[0])));
        return done.future();
      });
  }

  /** The assistant text of a non-streamed completion ({@code ""} when there is none). */
  public static String content(JsonObject completion) {
    JsonArray choices = completion.getJsonArray("choices", new JsonArray());
    if (choices.isEmpty()) {
      return "";
    }
    JsonObject message = choices.getJsonObject(0).getJsonObject("message", new JsonObject());
    Object c = message.getValue("content");
    return c == null ? "" : c.toString();
  }

  private static String cut(String text) {
    return text == null ? "" : text.length() > 300 ? text.substring(0, 300) : text;
  }
}

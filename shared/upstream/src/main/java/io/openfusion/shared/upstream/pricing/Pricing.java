package io.openfusion.shared.upstream.pricing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Model prices per upstream, read from that upstream's public {@code GET {baseUrl}/models}.
 *
 * <p>A list is kept for {@link #TTL} per base URL. Callers arriving while a list is being fetched
 * share that one fetch. A failed fetch (unreachable, non-2xx, too large, not a model list, timeout)
 * never fails the caller: it gets the stale list, or an empty one, and the URL is not asked again
 * for {@link #RETRY_AFTER_ERROR}, so a provider without a public list (Anthropic, a local vLLM) is
 * not hit on every estimate. Thread-safe: one instance can serve every verticle of a node.
 */
public final class Pricing {

  /** How long a fetched list is used before it is fetched again. */
  public static final Duration TTL = Duration.ofHours(1);
  /** How long after a failed fetch the stale (or empty) list is used before trying again. */
  public static final Duration RETRY_AFTER_ERROR = Duration.ofMinutes(1);
  /** OpenRouter's full list is a few MB; this leaves room to grow while bounding memory. */
  public static final long DEFAULT_MAX_BODY_BYTES = 16L * 1024 * 1024;
  public static final long DEFAULT_TIMEOUT_MS = 5_000;

  private static final Logger LOG = LoggerFactory.getLogger(Pricing.class);

  /** USD per token. */
  public record Price(double prompt, double completion) {
  }

  private record Snapshot(Map<String, Price> prices, long refreshAt) {
  }

  private final Vertx vertx;
  private final Clock clock;
  private final ModelsFetcher fetcher;
  private final ConcurrentMap<String, Snapshot> cache = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Future<Map<String, Price>>> inFlight = new ConcurrentHashMap<>();

  public Pricing(Vertx vertx, Clock clock) {
    this(vertx, clock, DEFAULT_MAX_BODY_BYTES, DEFAULT_TIMEOUT_MS);
  }

  Pricing(Vertx vertx, Clock clock, long maxBodyBytes, long timeoutMs) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.fetcher = new ModelsFetcher(vertx, maxBodyBytes, timeoutMs);
  }

  /**
   * @param baseUrl an upstream API root such as {@code https://openrouter.ai/api/v1}
   * @return model id to price; never a failed future, empty when nothing is known
   */
  public Future<Map<String, Price>> prices(String baseUrl) {
    if (baseUrl == null || baseUrl.isBlank()) {
      return Future.succeededFuture(Map.of());
    }
    String key = stripTrailingSlashes(baseUrl.strip());
    Snapshot snapshot = cache.get(key);
    if (snapshot != null && clock.millis() < snapshot.refreshAt()) {
      return Future.succeededFuture(snapshot.prices());
    }
    return onCallerContext(shared(key));
  }

  /** Closes the HTTP client. */
  public Future<Void> close() {
    return fetcher.close();
  }

  /** The in-flight fetch for {@code key}, started if there is none. */
  private Future<Map<String, Price>> shared(String key) {
    Promise<Map<String, Price>> promise = Promise.promise();
    Future<Map<String, Price>> running = inFlight.putIfAbsent(key, promise.future());
    if (running != null) {
      return running;
    }
    // Another caller may have finished a fetch between our cache check and winning the slot.
    Snapshot fresh = cache.get(key);
    if (fresh != null && clock.millis() < fresh.refreshAt()) {
      inFlight.remove(key, promise.future());
      promise.complete(fresh.prices());
      return promise.future();
    }
    // Started through compose so that even a synchronous throw settles the promise and frees the slot.
    Future.succeededFuture(key)
      .compose(fetcher::fetch)
      // A multi-MB list takes a while to decode: keep it off the event loop.
      .compose(body -> vertx.executeBlocking(() -> PriceList.parse(body), false))
      .map(prices -> remember(key, prices, TTL))
      .otherwise(failure -> remember(key, stale(key, failure), RETRY_AFTER_ERROR))
      .andThen(done -> inFlight.remove(key, promise.future()))
      .onComplete(done -> promise.handle(done));
    return promise.future();
  }

  private Map<String, Price> remember(String key, Map<String, Price> prices, Duration keep) {
    cache.put(key, new Snapshot(prices, clock.millis() + keep.toMillis()));
    return prices;
  }

  private Map<String, Price> stale(String key, Throwable cause) {
    Snapshot old = cache.get(key);
    LOG.debug("price list from {} unavailable ({}); using {}", key, cause.getMessage(),
      old == null ? "no prices" : "the previous list");
    return old == null ? Map.of() : old.prices();
  }

  /**
   * The shared future completes on the fetching context; hop back so each caller's callbacks run
   * on its own event loop, as Vert.x code expects.
   */
  private static <T> Future<T> onCallerContext(Future<T> shared) {
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return shared;
    }
    Promise<T> promise = Promise.promise();
    shared.onComplete(ar -> {
      if (Vertx.currentContext() == caller) {
        promise.handle(ar);
      } else {
        caller.runOnContext(v -> promise.handle(ar));
      }
    });
    return promise.future();
  }

  private static String stripTrailingSlashes(String url) {
    int end = url.length();
    while (end > 0 && url.charAt(end - 1) == '/') {
      end--;
    }
    return url.substring(0, end);
  }
}

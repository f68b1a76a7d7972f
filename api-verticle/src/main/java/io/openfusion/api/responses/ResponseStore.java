package io.openfusion.api.responses;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.openfusion.shared.config.ResponsesConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The responses kept for {@code previous_response_id} and {@code GET /v1/responses/{id}}: Vert.x's async map
 * {@value #MAP}, a Hazelcast map when clustered (so any api node continues a response another answered) and local
 * otherwise. Each entry is the response and the whole conversation that led to it as chat messages, written with
 * {@code responses.store_ttl_minutes} as its TTL. Bounds: an entry larger than {@code responses.max_stored_kb} is not
 * kept, nor is any while {@code responses.max_stored} entries are (a few concurrent writes may pass the count).
 *
 * <p>An entry belongs to its caller (gateway key fingerprint, or client address without gateway keys): another
 * caller is told it does not exist. A failed read or write is logged and treated as absent; it never fails the
 * request that produced the response.
 */
final class ResponseStore {

  static final String MAP = "openfusion.responses";
  private static final long TIMEOUT_MS = 2_000;
  private static final Logger LOG = LoggerFactory.getLogger(ResponseStore.class);

  private final Vertx vertx;
  private final ResponsesConfig config;
  private Future<AsyncMap<String, String>> map;

  /** A stored response and the conversation it ends, its own output included. */
  record Stored(JsonObject response, JsonArray conversation) {
  }

  ResponseStore(Vertx vertx, ResponsesConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  boolean enabled() {
    return config.storing();
  }

  /** @return the entry, or null when there is none for this caller (never stored, expired, deleted, another's) */
  Future<Stored> get(String id, String caller) {
    return map().compose(m -> m.get(id)).timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
      .map(text -> {
        JsonObject entry = decode(text);
        if (entry == null || !Objects.equals(entry.getValue("caller"), caller)) {
          return null;
        }
        return new Stored(entry.getJsonObject("response"), entry.getJsonArray("conversation"));
      })
      .recover(failure -> {
        LOG.warn("stored response read failed, treating it as absent: {}", failure.toString());
        return Future.succeededFuture();
      });
  }

  /**
   * Keeps {@code response} (whose output ends {@code conversation}) for the TTL.
   *
   * @return whether it was kept; false when too large, when the store is full, or when the write failed
   */
  Future<Boolean> put(String caller, JsonObject response, JsonArray conversation) {
    String text = new JsonObject().put("caller", caller).put("response", response).put("conversation", conversation)
      .encode();
    if (text.length() > config.maxStoredBytes()) {
      LOG.debug("response {} not stored: {} characters exceed responses.max_stored_kb", response.getString("id"),
        text.length());
      return Future.succeededFuture(false);
    }
    return map()
      .compose(m -> m.size().compose(size -> {
        if (size >= config.maxStored()) {
          LOG.warn("response not stored: responses.max_stored ({}) are kept already", config.maxStored());
          return Future.succeededFuture(false);
        }
        long ttl = TimeUnit.MINUTES.toMillis(config.storeTtlMinutes());
        return m.put(response.getString("id"), text, ttl).map(true);
      }))
      .timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
      .recover(failure -> {
        LOG.warn("response store write dropped: {}", failure.toString());
        return Future.succeededFuture(false);
      });
  }

  /** @return whether an entry of this caller was there to delete */
  Future<Boolean> delete(String id, String caller) {
    return get(id, caller).compose(stored -> stored == null ? Future.succeededFuture(false)
      : map().compose(m -> m.remove(id)).timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS).map(true));
  }

  private Future<AsyncMap<String, String>> map() {
    if (map == null || map.failed()) {
      map = vertx.sharedData().getAsyncMap(MAP);
    }
    return map;
  }

  private static JsonObject decode(String text) {
    if (text == null) {
      return null;
    }
    try {
      return new JsonObject(text);
    } catch (DecodeException corrupt) {
      return null;
    }
  }
}

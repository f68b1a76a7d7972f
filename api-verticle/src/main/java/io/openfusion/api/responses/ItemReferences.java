package io.openfusion.api.responses;

import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code item_reference} input items: clients that keep the conversation themselves may name an earlier output item
 * by its id instead of resending it (the Vercel AI SDK's OpenAI provider does so for every assistant message of a
 * stored response). Each reference becomes the item it names, read from the stored response that holds it, for its
 * caller only. An output item's id carries its response's id ({@link #itemId}), so one read of the store per
 * response finds it, on any node of a cluster.
 */
final class ItemReferences {

  /** {@code msg_} or {@code fc_}, the 24 hex digits of the response id, 4 of the item's number. */
  private static final Pattern ITEM_ID = Pattern.compile("(?:msg|fc)_([0-9a-f]{24})[0-9a-f]{4}");
  private static final String RESPONSE_PREFIX = "resp_";

  private ItemReferences() {
  }

  /** The id of output item number {@code index} of the response {@code responseId}. */
  static String itemId(String prefix, String responseId, int index) {
    return prefix + responseId.substring(RESPONSE_PREFIX.length()) + String.format("%04x", index & 0xffff);
  }

  /** @return the id of the response whose output item this is, or null when the id is not one this server gives */
  static String responseIdOf(String itemId) {
    Matcher matcher = ITEM_ID.matcher(itemId);
    return matcher.matches() ? RESPONSE_PREFIX + matcher.group(1) : null;
  }

  /**
   * @return {@code body} itself when its input has no reference, else a copy whose references are the items they
   * name; fails with a 404 {@link ApiError} naming the first item that is not stored for {@code caller}
   */
  static Future<JsonObject> resolve(JsonObject body, String caller, ResponseStore store) {
    if (!(body.getValue("input") instanceof JsonArray input) || input.stream().noneMatch(ItemReferences::isReference)) {
      return Future.succeededFuture(body);
    }
    if (!store.enabled()) {
      return Future.failedFuture(InputItems.unsupported("item_reference is not available: this server keeps no "
        + "responses (responses.max_stored is 0); send the items themselves (with the Vercel AI SDK: providerOptions "
        + "{ openai: { store: false } })"));
    }
    Map<String, Future<ResponseStore.Stored>> reads = new LinkedHashMap<>();
    for (int i = 0; i < input.size(); i++) {
      if (isReference(input.getValue(i))) {
        Object id = input.getJsonObject(i).getValue("id");
        if (!(id instanceof String itemId) || itemId.isBlank()) {
          return Future.failedFuture(InputItems.invalid("input[" + i + "].id is required: the id of an output item of a "
            + "stored response"));
        }
        String responseId = responseIdOf(itemId);
        if (responseId == null) {
          return Future.failedFuture(notFound(itemId));
        }
        reads.computeIfAbsent(responseId, response -> store.get(response, caller));
      }
    }
    return Future.all(new ArrayList<>(reads.values())).map(read -> {
      JsonArray resolved = new JsonArray();
      for (Object item : input) {
        if (isReference(item)) {
          String id = ((JsonObject) item).getString("id");
          resolved.add(storedItem(reads.get(responseIdOf(id)).result(), id));
        } else {
          resolved.add(item);
        }
      }
      // a shallow copy: the rest of the body (images included) is not duplicated
      return new JsonObject(new LinkedHashMap<>(body.getMap())).put("input", resolved);
    });
  }

  private static boolean isReference(Object item) {
    return item instanceof JsonObject o && "item_reference".equals(o.getValue("type"));
  }

  private static JsonObject storedItem(ResponseStore.Stored stored, String id) {
    if (stored != null && stored.response().getValue("output") instanceof JsonArray output) {
      for (Object o : output) {
        if (o instanceof JsonObject item && id.equals(item.getValue("id"))) {
          return item.copy();
        }
      }
    }
    throw notFound(id);
  }

  private static ApiError notFound(String id) {
    return ApiError.of(ErrorCode.NOT_FOUND, "Item '" + id + "' not found: an item_reference names an output item of a "
      + "response stored here for you (kept for responses.store_ttl_minutes, and not with store: false); send the "
      + "item itself instead");
  }
}

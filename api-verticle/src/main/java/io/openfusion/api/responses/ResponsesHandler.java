package io.openfusion.api.responses;

import io.openfusion.api.http.RequestJson;
import io.openfusion.api.chat.ChatHandler;
import io.openfusion.api.http.ErrorResponses;
import io.openfusion.api.http.GatewayAuth;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * OpenAI's Responses API at the edge: {@code POST /v1/responses} becomes a chat completion run through the chat path
 * (validation, routing, cancellation, the stream relay), and its answer a {@code response} object or the Responses
 * event stream. Finished responses are kept for {@code previous_response_id} ({@link ResponseStore});
 * {@code GET} and {@code DELETE /v1/responses/{id}} read and remove them.
 */
public final class ResponsesHandler {

  private final ChatHandler chat;
  private final ResponseStore store;

  public ResponsesHandler(Vertx vertx, OpenFusionConfig config, ChatHandler chat) {
    this.chat = chat;
    this.store = new ResponseStore(vertx, config.responses());
  }

  public void create(RoutingContext ctx) {
    JsonObject body;
    try {
      body = body(ctx);
    } catch (ApiError invalid) {
      ErrorResponses.send(ctx, invalid);
      return;
    }
    String caller = GatewayAuth.caller(ctx);
    ItemReferences.resolve(body, caller, store)
      .map(resolved -> ResponsesRequest.parse(resolved, store.enabled()))
      .onComplete(parsed -> {
        if (parsed.failed()) {
          ErrorResponses.send(ctx, ApiError.from(parsed.cause(), "api"));
        } else {
          create(ctx, parsed.result(), caller);
        }
      });
  }

  private void create(RoutingContext ctx, ResponsesRequest request, String caller) {
    history(request, caller).onComplete(found -> {
      if (found.failed()) {
        ErrorResponses.send(ctx, ApiError.from(found.cause(), "api"));
        return;
      }
      JsonArray history = found.result();
      ResponseShell shell = new ResponseShell(request);
      ResponsesFormat format = new ResponsesFormat(shell, response -> keep(request, caller, history, response));
      chat.handle(ctx, request.chatBody(history), request.override(), format);
    });
  }

  public void retrieve(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    store.get(id, GatewayAuth.caller(ctx)).onComplete(found -> {
      if (found.result() == null) {
        ErrorResponses.send(ctx, notFound(id));
      } else {
        ctx.json(found.result().response());
      }
    });
  }

  public void delete(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    store.delete(id, GatewayAuth.caller(ctx)).onComplete(deleted -> {
      if (deleted.succeeded() && deleted.result()) {
        ctx.json(new JsonObject().put("id", id).put("object", "response").put("deleted", true));
      } else {
        ErrorResponses.send(ctx, notFound(id));
      }
    });
  }

  /** The conversation {@code previous_response_id} continues, empty without one. */
  private Future<JsonArray> history(ResponsesRequest request, String caller) {
    String previous = request.previousResponseId();
    if (previous == null) {
      return Future.succeededFuture(new JsonArray());
    }
    return store.get(previous, caller).compose(stored -> stored == null
      ? Future.failedFuture(ApiError.of(ErrorCode.PREVIOUS_RESPONSE_NOT_FOUND, "Previous response '" + previous
        + "' not found: it was not stored, has expired (responses are kept for a limited time) or belongs to "
        + "another caller; send the whole conversation as input instead"))
      : Future.succeededFuture(stored.conversation()));
  }

  private Future<Boolean> keep(ResponsesRequest request, String caller, JsonArray history, JsonObject response) {
    if (!request.store() || "failed".equals(response.getValue("status"))) {
      return Future.succeededFuture(false);
    }
    JsonArray conversation;
    try {
      conversation = ResponsesFormat.conversation(history, request.input(), response);
    } catch (ApiError unreadable) {
      // an output this server wrote is always valid input; should that ever break, the answer still goes out
      return Future.succeededFuture(false);
    }
    return store.put(caller, response, conversation);
  }

  private static ApiError notFound(String id) {
    return ApiError.of(ErrorCode.NOT_FOUND, "No response '" + id + "' is stored for you (responses are kept for a "
      + "limited time, see responses.store_ttl_minutes)");
  }

  private static JsonObject body(RoutingContext ctx) {
    if (ctx.body().buffer() == null || ctx.body().length() == 0) {
      throw ApiError.of(ErrorCode.INVALID_JSON, "Request body is empty; send a JSON object with model and input");
    }
    Object parsed;
    try {
      parsed = RequestJson.decode(ctx.body().buffer());
    } catch (DecodeException e) {
      throw ApiError.of(ErrorCode.INVALID_JSON, "Invalid JSON; send a JSON object with model and input");
    }
    if (!(parsed instanceof JsonObject body)) {
      throw ApiError.of(ErrorCode.INVALID_BODY, "Request body must be a JSON object");
    }
    return body;
  }
}

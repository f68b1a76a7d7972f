package io.openfusion.api.messages;

import io.openfusion.api.http.RequestJson;
import io.openfusion.api.chat.ChatHandler;
import io.openfusion.api.chat.StreamTranslator;
import io.openfusion.api.chat.WireFormat;
import io.openfusion.api.http.ErrorResponses;
import io.openfusion.api.http.RequestIds;
import io.openfusion.api.wire.Ids;
import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Anthropic's Messages API at the edge: {@code POST /v1/messages} becomes a chat completion run through the chat path
 * (validation, routing, cancellation, the stream relay), its answer a {@code message} or the Messages event stream;
 * {@code POST /v1/messages/count_tokens} asks a router for the same input estimate {@code POST /v1/estimate} gives.
 * Every error, from the gateway key check on, is in Anthropic's shape ({@link #errors}).
 */
public final class MessagesHandler {

  /** Price lists may have to be fetched first, as for {@code POST /v1/estimate}. */
  private static final long COUNT_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final ChatHandler chat;

  public MessagesHandler(Vertx vertx, ChatHandler chat) {
    this.vertx = vertx;
    this.chat = chat;
  }

  /**
   * Mounted first on the /v1/messages routes: every error after it, the gateway's 401 and the body limit's 413
   * included, is Anthropic's shape, and responses carry Anthropic's {@code request-id} header.
   */
  public static void errors(RoutingContext ctx) {
    ErrorResponses.use(ctx, MessagesErrors.FORMAT);
    ctx.response().putHeader("request-id", RequestIds.of(ctx));
    ctx.next();
  }

  public void create(RoutingContext ctx) {
    MessagesRequest request;
    try {
      request = MessagesRequest.parse(body(ctx));
    } catch (ApiError invalid) {
      ErrorResponses.send(ctx, invalid);
      return;
    }
    String id = Ids.random("msg_");
    chat.handle(ctx, request.chatBody(), request.override(), new WireFormat() {
      @Override
      public StreamTranslator stream() {
        return new MessagesStream(id, request.model(), request.stopSequences());
      }

      @Override
      public Future<JsonObject> answer(JsonObject completion) {
        return Future.succeededFuture(MessageOutput.toMessage(id, request.model(), request.stopSequences(), completion));
      }

      @Override
      public String endpoint() {
        return "messages";
      }
    });
  }

  public void countTokens(RoutingContext ctx) {
    MessagesRequest request;
    try {
      request = MessagesRequest.parseForCount(body(ctx));
    } catch (ApiError invalid) {
      ErrorResponses.send(ctx, invalid);
      return;
    }
    JsonObject estimate = new JsonObject().put("body", request.chatBody()).put("override", request.override());
    vertx.eventBus().<JsonObject>request(Addresses.ROUTER_ESTIMATE, estimate, new DeliveryOptions().setSendTimeout(COUNT_TIMEOUT_MS))
      .onSuccess(reply -> ctx.json(new JsonObject().put("input_tokens", reply.body().getValue("input_tokens"))))
      .onFailure(failure -> ErrorResponses.send(ctx, ApiError.from(failure, "router")));
  }

  private static JsonObject body(RoutingContext ctx) {
    if (ctx.body().buffer() == null || ctx.body().length() == 0) {
      throw ApiError.of(ErrorCode.INVALID_JSON, "Request body is empty; send a JSON object with model, max_tokens and messages");
    }
    Object parsed;
    try {
      parsed = RequestJson.decode(ctx.body().buffer());
    } catch (DecodeException e) {
      throw ApiError.of(ErrorCode.INVALID_JSON, "Invalid JSON; send a JSON object with model, max_tokens and messages");
    }
    if (!(parsed instanceof JsonObject body)) {
      throw ApiError.of(ErrorCode.INVALID_BODY, "Request body must be a JSON object");
    }
    return body;
  }
}


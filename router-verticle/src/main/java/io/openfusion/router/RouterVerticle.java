package io.openfusion.router;

import io.openfusion.router.fusion.Fusion;
import io.openfusion.router.passthrough.PassThrough;
import io.openfusion.router.recipe.Recipe;
import io.openfusion.router.recipe.RecipeResolver;
import io.openfusion.router.recipe.ToolRule;
import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.bus.CancelRegistry;
import io.openfusion.shared.bus.ChatCommand;
import io.openfusion.shared.calls.UpstreamSettings;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.upstream.UpstreamClient;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * Decides how each chat request is answered (fused by the panel and judge, or passed through to one
 * model) and conducts it. Replies when the request is over: with the completion for non-streamed
 * requests, with the number of stream frames sent for streamed ones.
 */
public final class RouterVerticle extends VerticleBase {

  private final OpenFusionConfig config;
  private final CancelRegistry cancels = new CancelRegistry();
  private UpstreamClient client;
  private RecipeResolver recipes;
  private Fusion fusion;
  private PassThrough passThrough;

  public RouterVerticle(OpenFusionConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    client = UpstreamClient.create(vertx, UpstreamSettings.from(config));
    recipes = new RecipeResolver(config);
    fusion = new Fusion(vertx, config, client);
    passThrough = new PassThrough(config, client, vertx.eventBus());
    MessageConsumer<JsonObject> chats = vertx.eventBus().consumer(Addresses.ROUTER_CHAT, this::chat);
    MessageConsumer<JsonObject> cancellations = cancels.listen(vertx.eventBus());
    return Future.all(chats.completion(), cancellations.completion());
  }

  @Override
  public Future<?> stop() {
    return client == null ? Future.succeededFuture() : client.close();
  }

  private void chat(Message<JsonObject> message) {
    ChatCommand command;
    try {
      command = ChatCommand.fromJson(message.body());
    } catch (RuntimeException malformed) {
      message.fail(400, "malformed chat command: " + malformed.getMessage());
      return;
    }
    CancelRegistry.Signal cancel = cancels.open(command.requestId());
    route(command, cancel.future())
      .onComplete(done -> cancel.close())
      .onSuccess(message::reply)
      .onFailure(failure -> ApiError.from(failure, "router").failReply(message));
  }

  private Future<JsonObject> route(ChatCommand command, Future<Void> cancel) {
    Recipe recipe;
    try {
      recipe = recipes.resolve(command.override());
    } catch (ApiError rejected) {
      return Future.failedFuture(rejected);
    }
    String model = command.body().getString("model");
    boolean fuse = config.fusionModelName().equals(model) && !ToolRule.requiresPassThrough(command.body());
    if (fuse) {
      return fusion.run(command, recipe, cancel);
    }
    String target = config.fusionModelName().equals(model) ? null : model;
    return passThrough.run(command, recipe, target, cancel);
  }
}

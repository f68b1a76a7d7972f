package io.openfusion.app.cli;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Where a CLI session's answers come from: the fusion engine started in this process (the default), or a
 * running server ({@code --url}). Either way the session talks to the same OpenAI-compatible HTTP API, so
 * progress, streaming, errors and cancellation take the same path.
 */
abstract class Backend implements AutoCloseable {

  protected final Vertx vertx;
  protected final FusionClient client;
  protected RecipeState recipe;

  protected Backend(Vertx vertx, FusionClient client, RecipeState recipe) {
    this.vertx = vertx;
    this.client = client;
    this.recipe = recipe;
  }

  /** Opens the backend the options ask for. */
  static Backend open(CliIo io, ConnectionOptions options) {
    RecipeState recipe = new RecipeState();
    if (options.preset != null) {
      recipe.preset(options.preset);
    }
    if (options.maxTokens != null) {
      recipe.maxTokens(options.maxTokens);
    }
    if (options.url != null) {
      if (options.demo) {
        throw CliException.usage("--demo runs the engine in-process; it cannot be combined with --url");
      }
      if (options.config != null) {
        throw CliException.usage("--config configures the in-process engine; a server at --url uses its own config");
      }
      return RemoteBackend.open(options.url, options.gatewayKey(io), recipe);
    }
    return LocalBackend.open(io, options.config, options.demo, recipe);
  }

  FusionClient client() {
    return client;
  }

  RecipeState recipe() {
    return recipe.copy();
  }

  /** True for the in-process engine, false for {@code --url}. */
  abstract boolean inProcess();

  /**
   * Switches to another recipe (a {@code /preset}, {@code /tokens}, ... in the chat). The in-process engine
   * restarts with the new recipe; a remote server gets it as a per-request override.
   *
   * @throws CliException when the change is impossible here; the old recipe then stays
   */
  abstract void apply(RecipeState next);

  /** What runs now. */
  abstract RecipeView describe();

  /**
   * Names an upstream that needs a key and has none (e.g. {@code "openai/gpt-4o-mini on openrouter.ai"}), or
   * null when every call can be made. Always null for a remote server, which checks its own keys.
   */
  abstract String missingKey();

  /** Uses {@code key} for the OpenRouter models from now on (the caller has saved it already). */
  abstract void useKey(String key);

  /** The {@code openfusion} request object carrying the session's recipe, or null. */
  abstract JsonObject override();

  /** A chat request for the fusion model. */
  JsonObject chatBody(JsonArray messages, boolean stream) {
    JsonObject body = new JsonObject().put("model", describe().fusionModel()).put("stream", stream)
      .put("messages", messages.copy());
    JsonObject override = override();
    if (override != null) {
      body.put("openfusion", override);
    }
    return body;
  }

  static JsonArray userMessage(String prompt) {
    return new JsonArray().add(new JsonObject().put("role", "user").put("content", prompt));
  }

  @Override
  public void close() {
    try {
      client.close().await();
    } catch (RuntimeException e) {
      // closing anyway
    }
    closeEngine();
    try {
      vertx.close().await();
    } catch (RuntimeException e) {
      // closing anyway
    }
  }

  protected void closeEngine() {
  }
}

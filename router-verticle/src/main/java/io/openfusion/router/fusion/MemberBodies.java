package io.openfusion.router.fusion;

import io.openfusion.router.cache.PromptCacheMarks;
import io.openfusion.router.recipe.PlannedMember;
import io.openfusion.router.recipe.Recipe;
import io.openfusion.router.recipe.TokenCeilings;
import io.vertx.core.json.JsonObject;

/**
 * The request body one panel member gets: the client's parameters, the member's own sampling settings,
 * the panel's token ceiling, web tools where the upstream supports them, and prompt-cache marks.
 * Panel calls are never streamed, so the streaming fields go.
 */
final class MemberBodies {

  private MemberBodies() {
  }

  static JsonObject build(FusionContext ctx, Recipe recipe, JsonObject clientBody, PlannedMember member) {
    JsonObject body = clientBody.copy();
    body.remove("model");
    body.remove("stream");
    body.remove("stream_options");
    body.remove("n"); // one answer per member: the fusion writes one answer (the router refuses other n)
    body.mergeIn(member.bodyOverrides());
    TokenCeilings.clamp(body, recipe.ceilings().panelMaxTokens());
    var upstream = member.ref().resolve(ctx.config());
    if (upstream != null) {
      WebTools.inject(body, recipe.tools(), upstream.baseUrl());
    }
    return ctx.config().promptCache() ? PromptCacheMarks.apply(body) : body;
  }
}

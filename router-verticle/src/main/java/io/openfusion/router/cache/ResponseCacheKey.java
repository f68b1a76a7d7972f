package io.openfusion.router.cache;

import io.openfusion.router.recipe.PlannedMember;
import io.openfusion.router.recipe.Recipe;
import io.openfusion.shared.bus.UpstreamRef;
import io.openfusion.shared.config.CostControls;
import io.openfusion.shared.config.ToolsConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * The {@link ResponseCache} key of a fused request: SHA-256 (hex) over the canonical JSON of
 * everything that can change the answer, and of the caller's identity.
 *
 * <p>It covers the whole recipe (strategy, aggregator, every member's upstream, model, label and
 * sampling overrides, the judge, analysis, panel exposure, web tools, token ceilings), the server
 * settings the recipe does not carry (passed in {@code extra}: debate rounds, self-fusion
 * settings), the tenant, and the client body <em>minus</em> the few fields that only shape the
 * transport ({@link #TRANSPORT_FIELDS}). Keeping every other client field, not an allowlist, means
 * a parameter we have never heard of (say {@code reasoning_effort}) causes a miss, never a wrong
 * hit.
 */
public final class ResponseCacheKey {

  /**
   * Client fields that do not change the answer: how it is delivered ({@code stream},
   * {@code stream_options}) and the fusion model name that only selected fusion.
   */
  static final Set<String> TRANSPORT_FIELDS = Set.of("model", "stream", "stream_options");

  /** Bumped whenever the key's layout changes, so old entries can never match new requests. */
  private static final int LAYOUT_VERSION = 1;

  private ResponseCacheKey() {
  }

  /** The key without server extras; prefer {@link #of(Recipe, JsonObject, String, JsonObject)}. */
  public static String of(Recipe recipe, JsonObject clientBody, String tenant) {
    return of(recipe, clientBody, tenant, null);
  }

  /**
   * @param recipe     the resolved recipe the request runs
   * @param clientBody the client's request body
   * @param tenant     the caller's identity (gateway key hash, user id); answers are never shared
   *                   between tenants. Null is a tenant of its own (an open gateway).
   * @param extra      server settings outside the recipe that change the answer, e.g.
   *                   {@code {"debate_rounds": 2, "self_fusion": {"n": 3, ...}}}; may be null
   * @return 64 lower-case hex characters
   */
  public static String of(Recipe recipe, JsonObject clientBody, String tenant, JsonObject extra) {
    JsonObject material = new JsonObject()
      .put("v", LAYOUT_VERSION)
      // A JSON array keeps null distinct from "" (an open gateway vs. an empty identity).
      .put("tenant", new JsonArray().add(tenant))
      .put("recipe", recipe(recipe))
      .put("request", request(clientBody))
      .put("extra", extra);
    return sha256(CanonicalJson.encode(material));
  }

  private static JsonObject recipe(Recipe recipe) {
    JsonArray members = new JsonArray();
    for (PlannedMember member : recipe.members()) {
      members.add(ref(member.ref()).put("body_overrides", member.bodyOverrides()));
    }
    return new JsonObject()
      .put("strategy", recipe.strategy() == null ? null : recipe.strategy().wire())
      .put("aggregator", recipe.aggregator() == null ? null : recipe.aggregator().wire())
      .put("members", members)
      .put("judge", recipe.judge() == null ? null : ref(recipe.judge()))
      .put("emit_analysis", recipe.emitAnalysis())
      .put("expose_panel", recipe.exposePanel())
      .put("tools", tools(recipe.tools()))
      .put("ceilings", ceilings(recipe.ceilings()));
  }

  /** Labels are in: the judge reads them ("### label"), so they can change its answer. */
  private static JsonObject ref(UpstreamRef ref) {
    return new JsonObject().put("source", ref.source()).put("index", ref.index())
      .put("model", ref.model()).put("label", ref.label());
  }

  private static JsonObject tools(ToolsConfig tools) {
    if (tools == null) {
      return null;
    }
    return new JsonObject()
      .put("web_search", tools.webSearch()).put("web_fetch", tools.webFetch())
      .put("engine", tools.engine()).put("max_results", tools.maxResults())
      .put("excluded_domains", new JsonArray(tools.excludedDomains()))
      .put("apply_to_judge", tools.applyToJudge());
  }

  private static JsonObject ceilings(CostControls ceilings) {
    if (ceilings == null) {
      return null;
    }
    return new JsonObject()
      .put("pass_through", ceilings.passThroughMaxTokens())
      .put("panel", ceilings.panelMaxTokens())
      .put("judge", ceilings.judgeMaxTokens());
  }

  private static JsonObject request(JsonObject body) {
    JsonObject request = new JsonObject();
    if (body != null) {
      body.forEach(e -> {
        if (!TRANSPORT_FIELDS.contains(e.getKey())) {
          request.put(e.getKey(), e.getValue());
        }
      });
    }
    return request;
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}

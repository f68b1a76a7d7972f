package io.openfusion.shared.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The two built-in recipes, both on OpenRouter. Model ids are exactly the published presets'.
 */
public final class Presets {

  public static final String QUALITY = "quality";
  public static final String BUDGET = "budget";
  public static final String OPENROUTER_BASE_URL = "https://openrouter.ai/api/v1";
  /** Label prefix of preset panel members: {@code panel-0}, {@code panel-1}, ... */
  public static final String LABEL_PREFIX = "panel-";

  private record Recipe(List<String> panel, String judge, String passThrough) {
  }

  private static final Map<String, Recipe> RECIPES = Map.of(
      QUALITY, new Recipe(
          List.of("anthropic/claude-sonnet-4", "google/gemini-3-pro", "deepseek/deepseek-v4-pro"),
          "anthropic/claude-sonnet-4",
          "anthropic/claude-sonnet-4"),
      BUDGET, new Recipe(
          List.of("openai/gpt-4o-mini", "deepseek/deepseek-v4-pro", "moonshotai/kimi-k2.6"),
          "deepseek/deepseek-v4-pro",
          "openai/gpt-4o-mini"));

  private Presets() {
  }

  /** @return the preset ids, in display order */
  public static List<String> ids() {
    return List.of(QUALITY, BUDGET);
  }

  /**
   * @param preset a preset id; blanks and case are ignored
   * @return the canonical id, or null if unknown
   */
  public static String normalize(String preset) {
    if (preset == null) {
      return null;
    }
    String id = preset.trim().toLowerCase(Locale.ROOT);
    return RECIPES.containsKey(id) ? id : null;
  }

  /** @return true if {@code preset} names a built-in preset */
  public static boolean isKnown(String preset) {
    return normalize(preset) != null;
  }

  /** @throws IllegalArgumentException if the preset is unknown */
  public static List<String> panelModels(String preset) {
    return recipe(preset).panel();
  }

  /** @throws IllegalArgumentException if the preset is unknown */
  public static String judgeModel(String preset) {
    return recipe(preset).judge();
  }

  /** @throws IllegalArgumentException if the preset is unknown */
  public static String passThroughModel(String preset) {
    return recipe(preset).passThrough();
  }

  /**
   * The preset's panel as upstreams on OpenRouter, labelled {@code panel-0..n}.
   *
   * @param apiKey the OpenRouter key, {@code ""} if none
   */
  public static List<UpstreamConfig> panel(String preset, String apiKey) {
    List<String> models = panelModels(preset);
    List<UpstreamConfig> members = new ArrayList<>(models.size());
    for (int i = 0; i < models.size(); i++) {
      members.add(new UpstreamConfig(OPENROUTER_BASE_URL, apiKey, models.get(i), LABEL_PREFIX + i, null));
    }
    return List.copyOf(members);
  }

  /** The preset's judge on OpenRouter, with the default panel token budget. */
  public static JudgeConfig judge(String preset, String apiKey) {
    return JudgeConfig.of(UpstreamConfig.of(OPENROUTER_BASE_URL, apiKey, judgeModel(preset)));
  }

  /** The preset's pass-through model on OpenRouter. */
  public static UpstreamConfig passThrough(String preset, String apiKey) {
    return UpstreamConfig.of(OPENROUTER_BASE_URL, apiKey, passThroughModel(preset));
  }

  /**
   * @return {@code {"quality":{"panel":[...],"judge":"..."},"budget":{...}}}, the shape
   *     {@code GET /v1/config} returns under {@code presets}
   */
  public static JsonObject describe() {
    JsonObject out = new JsonObject();
    for (String id : ids()) {
      Recipe r = RECIPES.get(id);
      out.put(id, new JsonObject().put("panel", new JsonArray(new ArrayList<>(r.panel()))).put("judge", r.judge()));
    }
    return out;
  }

  private static Recipe recipe(String preset) {
    String id = normalize(preset);
    if (id == null) {
      throw new IllegalArgumentException("unknown preset '" + preset + "' (use quality or budget)");
    }
    return RECIPES.get(id);
  }
}

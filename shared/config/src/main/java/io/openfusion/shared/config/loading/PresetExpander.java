package io.openfusion.shared.config.loading;

import io.openfusion.shared.config.Aggregator;
import io.openfusion.shared.config.Presets;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.UpstreamConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * Fills the gaps a {@code preset:} leaves in an (already interpolated) config tree. Values the
 * user wrote always win; the preset only supplies what is missing:
 * <ul>
 *   <li>{@code strategy: panel}, {@code aggregator: judge}, {@code tools.web_search/web_fetch: true};</li>
 *   <li>{@code panel} when missing or empty, {@code judge} and {@code pass_through} when missing,
 *       all on OpenRouter;</li>
 *   <li>a {@code base_url} for members / judge / pass-through that name only a model, and their
 *       OpenRouter key.</li>
 * </ul>
 *
 * <p>The OpenRouter key is resolved here rather than written as {@code ${OPENROUTER_API_KEY}}:
 * an unset variable would make a preset file fail to load when only a saved CLI key exists.
 * The key is only ever put on entries that talk to OpenRouter, never on a user's own endpoint.
 */
final class PresetExpander {

  private PresetExpander() {
  }

  /**
   * Expands the preset in place.
   *
   * @param tree   the interpolated config tree (a private copy: it is modified)
   * @param apiKey supplies the OpenRouter key ({@code ""} if none); called at most once, and only
   *               if an entry needs it
   * @return the canonical preset id, or null when the tree names no preset
   */
  static String apply(JsonObject tree, Supplier<String> apiKey) {
    Object value = tree.getValue("preset");
    if (value == null) {
      return null;
    }
    String preset = value instanceof String s ? Presets.normalize(s) : null;
    if (preset == null) {
      String shown = value instanceof String s ? s : String.valueOf(value);
      throw new ConfigException("preset", "unknown preset '" + shown + "' (use quality or budget)");
    }
    Supplier<String> key = memoize(apiKey);

    putIfAbsent(tree, "strategy", Strategy.PANEL.wire());
    putIfAbsent(tree, "aggregator", Aggregator.JUDGE.wire());
    if (tree.getValue("tools") == null) {
      tree.put("tools", new JsonObject());
    }
    if (tree.getValue("tools") instanceof JsonObject tools) {
      putIfAbsent(tools, "web_search", true);
      putIfAbsent(tools, "web_fetch", true);
    }

    Object panel = tree.getValue("panel");
    if (panel == null || panel instanceof JsonArray a && a.isEmpty()) {
      JsonArray members = new JsonArray();
      for (UpstreamConfig m : Presets.panel(preset, "")) {
        members.add(upstream(m.model(), key.get()).put("label", m.label()));
      }
      tree.put("panel", members);
    } else if (panel instanceof JsonArray members) {
      for (Object member : members) {
        if (member instanceof JsonObject m) {
          fillEndpoint(m, key);
        }
      }
    }

    fillSection(tree, "judge", Presets.judgeModel(preset), key);
    fillSection(tree, "pass_through", Presets.passThroughModel(preset), key);
    return preset;
  }

  private static void fillSection(JsonObject tree, String name, String model, Supplier<String> key) {
    Object section = tree.getValue(name);
    if (section == null) {
      tree.put(name, upstream(model, key.get()));
    } else if (section instanceof JsonObject s) {
      fillEndpoint(s, key);
    }
  }

  /** A member that names only a model runs on OpenRouter with the preset key. */
  private static void fillEndpoint(JsonObject entry, Supplier<String> key) {
    Object url = entry.getValue("base_url");
    if (url == null) {
      entry.put("base_url", Presets.OPENROUTER_BASE_URL);
    }
    boolean onOpenRouter = url == null
        || url instanceof String s && UpstreamConfig.stripTrailingSlashes(s.trim()).equals(Presets.OPENROUTER_BASE_URL);
    if (onOpenRouter && entry.getValue("api_key") == null) {
      entry.put("api_key", key.get());
    }
  }

  private static JsonObject upstream(String model, String apiKey) {
    return new JsonObject()
        .put("base_url", Presets.OPENROUTER_BASE_URL)
        .put("api_key", apiKey)
        .put("model", model);
  }

  private static void putIfAbsent(JsonObject o, String key, Object value) {
    if (o.getValue(key) == null) {
      o.put(key, value);
    }
  }

  private static Supplier<String> memoize(Supplier<String> s) {
    String[] cache = new String[1];
    return () -> {
      if (cache[0] == null) {
        String v = s.get();
        cache[0] = v == null ? "" : v;
      }
      return cache[0];
    };
  }
}

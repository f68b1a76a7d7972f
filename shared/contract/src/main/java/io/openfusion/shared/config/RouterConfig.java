package io.openfusion.shared.config;

import java.time.Duration;
import java.util.List;

/**
 * The Auto Router: decides per request whether fusing is worth it (FUSE) or one model will do
 * (SOLO).
 *
 * @param enabled             router on/off (off = always fuse)
 * @param mode                {@code heuristic}, {@code model}, {@code always} or {@code never}
 * @param minChars            user text at least this long counts as hard (heuristic)
 * @param fuseKeywords        words that mark a request as hard (heuristic)
 * @param classifier          model asked FUSE/SOLO in {@code model} mode, null for none
 * @param classifierMaxTokens output cap for the classifier call, 1..64
 * @param routeModels         single models for SOLO requests, by tier
 * @param classifierTimeout   wall-clock limit for one classifier call
 *                            ({@code classifier_timeout_seconds}), so a hung classifier never hangs
 *                            the request. Null means the default.
 */
public record RouterConfig(boolean enabled, String mode, int minChars, List<String> fuseKeywords,
                           UpstreamConfig classifier, int classifierMaxTokens, List<RouteModel> routeModels,
                           Duration classifierTimeout) {

  public static final String MODE_HEURISTIC = "heuristic";
  public static final String MODE_MODEL = "model";
  public static final String MODE_ALWAYS = "always";
  public static final String MODE_NEVER = "never";
  public static final List<String> MODES = List.of(MODE_HEURISTIC, MODE_MODEL, MODE_ALWAYS, MODE_NEVER);

  public static final int DEFAULT_MIN_CHARS = 280;
  public static final int DEFAULT_CLASSIFIER_MAX_TOKENS = 4;
  public static final int MAX_CLASSIFIER_MAX_TOKENS = 64;
  public static final Duration DEFAULT_CLASSIFIER_TIMEOUT = Duration.ofSeconds(5);
  public static final List<String> DEFAULT_FUSE_KEYWORDS = List.of(
      "compare", "trade-off", "tradeoff", "analyze", "analyse", "evaluate", "design",
      "research", "pros and cons", "why", "explain", "critique", "recommend");

  public RouterConfig {
    mode = mode == null ? MODE_HEURISTIC : mode;
    fuseKeywords = fuseKeywords == null ? List.of() : List.copyOf(fuseKeywords);
    routeModels = routeModels == null ? List.of() : List.copyOf(routeModels);
    classifierTimeout = classifierTimeout == null ? DEFAULT_CLASSIFIER_TIMEOUT : classifierTimeout;
    if (classifierTimeout.isNegative() || classifierTimeout.isZero()) {
      throw new IllegalArgumentException("classifierTimeout must be > 0, got " + classifierTimeout);
    }
  }

  /** Settings with the default classifier timeout (kept for callers written before that key existed). */
  public RouterConfig(boolean enabled, String mode, int minChars, List<String> fuseKeywords,
                      UpstreamConfig classifier, int classifierMaxTokens, List<RouteModel> routeModels) {
    this(enabled, mode, minChars, fuseKeywords, classifier, classifierMaxTokens, routeModels, null);
  }

  public static RouterConfig defaults() {
    return new RouterConfig(false, MODE_HEURISTIC, DEFAULT_MIN_CHARS, DEFAULT_FUSE_KEYWORDS,
        null, DEFAULT_CLASSIFIER_MAX_TOKENS, List.of(), DEFAULT_CLASSIFIER_TIMEOUT);
  }

  /** Same settings, another classifier. */
  public RouterConfig withClassifier(UpstreamConfig classifier) {
    return new RouterConfig(enabled, mode, minChars, fuseKeywords, classifier, classifierMaxTokens, routeModels,
        classifierTimeout);
  }
}

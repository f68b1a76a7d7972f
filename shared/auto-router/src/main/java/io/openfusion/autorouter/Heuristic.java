package io.openfusion.autorouter;

import io.openfusion.shared.config.RouterConfig;

/**
 * The rule-based decision (original {@code route()}), in order: the mode's fixed answer, a code fence,
 * a fuse keyword, a long prompt, a learned preference for fusion, else SOLO.
 */
final class Heuristic {

  private final String mode;
  private final int minChars;
  private final KeywordMatcher keywords;
  private final ModelSelector models;

  Heuristic(RouterConfig config) {
    this.mode = config.mode();
    this.minChars = config.minChars();
    this.keywords = new KeywordMatcher(config.fuseKeywords());
    this.models = new ModelSelector(config.routeModels());
  }

  /**
   * @param text     the latest user turn
   * @param tier     its tier ({@link PromptTier#of})
   * @param outcomes learned statistics, null to ignore them
   */
  RouteDecision decide(String text, Tier tier, OutcomeStore outcomes) {
    if (RouterConfig.MODE_ALWAYS.equals(mode)) {
      return RouteDecision.fuse(tier, RouteDecision.REASON_ALWAYS);
    }
    if (RouterConfig.MODE_NEVER.equals(mode)) {
      return solo(tier, RouteDecision.REASON_NEVER);
    }
    if (text.contains(PromptTier.CODE_FENCE)) {
      return RouteDecision.fuse(tier, RouteDecision.REASON_CODE_FENCE);
    }
    if (keywords.matches(text)) {
      return RouteDecision.fuse(tier, RouteDecision.REASON_KEYWORD);
    }
    if (PromptText.length(text) >= minChars) {
      return RouteDecision.fuse(tier, RouteDecision.REASON_LENGTH);
    }
    // only ever a nudge toward fusion: a short prompt is SOLO by default anyway
    if (outcomes != null && Boolean.TRUE.equals(outcomes.preferFuse(tier))) {
      return RouteDecision.fuse(tier, RouteDecision.REASON_LEARNED);
    }
    return solo(tier, RouteDecision.REASON_SHORT);
  }

  /** A SOLO decision on the tier's route model (or the default pass-through model). */
  RouteDecision solo(Tier tier, String reason) {
    return RouteDecision.solo(tier, models.target(tier), reason);
  }

  ModelSelector models() {
    return models;
  }
}

package io.openfusion.autorouter;

/**
 * How hard a prompt looks: code or analysis words make a prompt STRONG, a medium length makes
 * it BALANCED, anything else is FAST. Words are matched whole, like the fuse keywords, so "prove" no
 * longer fires on "improve".
 */
final class PromptTier {

  static final String CODE_FENCE = "```";
  static final int STRONG_LENGTH = 600;
  static final int BALANCED_LENGTH = 200;

  private static final KeywordMatcher STRONG_WORDS = KeywordMatcher.of(
    "analyze", "analyse", "compare", "evaluate", "design", "research", "explain why",
    "trade-off", "tradeoff", "prove", "debug", "architecture");

  private PromptTier() {
  }

  static Tier of(String text) {
    String t = text == null ? "" : text;
    int length = PromptText.length(t);
    if (t.contains(CODE_FENCE) || length >= STRONG_LENGTH || STRONG_WORDS.matches(t)) {
      return Tier.STRONG;
    }
    return length >= BALANCED_LENGTH ? Tier.BALANCED : Tier.FAST;
  }
}

package io.openfusion.autorouter;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Finds keywords and phrases as whole words, case-insensitively: "why" matches "Why?" and "why-not" but not
 * "whyever" (as a substring match would), and "pros and cons" matches across any run of whitespace.
 * The pattern is compiled once per keyword list.
 */
final class KeywordMatcher {

  /** A keyword must not touch a letter, digit or underscore on either side. */
  private static final String BEFORE = "(?<![\\p{L}\\p{N}_])";
  private static final String AFTER = "(?![\\p{L}\\p{N}_])";

  private final Pattern pattern;

  KeywordMatcher(Collection<String> keywords) {
    List<String> alternatives = keywords.stream()
      .filter(k -> k != null && !k.isBlank())
      .map(String::trim)
      .distinct()
      // longest first, so a phrase wins over a keyword it starts with
      .sorted(Comparator.comparingInt(String::length).reversed())
      .map(KeywordMatcher::phrase)
      .collect(Collectors.toList());
    this.pattern = alternatives.isEmpty() ? null : Pattern.compile(
      BEFORE + "(?:" + String.join("|", alternatives) + ")" + AFTER,
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  static KeywordMatcher of(String... keywords) {
    return new KeywordMatcher(List.of(keywords));
  }

  boolean matches(String text) {
    return pattern != null && text != null && pattern.matcher(text).find();
  }

  /** The words of a keyword quoted literally, joined by "any whitespace". */
  private static String phrase(String keyword) {
    return java.util.Arrays.stream(keyword.split("\\s+"))
      .map(Pattern::quote)
      .collect(Collectors.joining("\\s+"));
  }
}

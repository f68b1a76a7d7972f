package io.openfusion.shared.demo.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an answer into the "word tokens" the provider emits and bills: a word plus the whitespace
 * after it, so concatenating the tokens rebuilds the text exactly and a stream and a buffered
 * answer to the same request are identical.
 */
public final class DemoTokens {

  public static final String FINISH_STOP = "stop";
  public static final String FINISH_LENGTH = "length";

  private static final Pattern TOKEN = Pattern.compile("\\S+\\s*");
  private static final String[] FILLER =
    "this simulated filler keeps the stream going so a benchmark gets the token count it asked for".split(" ");

  /** The tokens to emit and how the answer ends. */
  public record Plan(List<String> tokens, String finishReason) {

    public String text() {
      return String.join("", tokens);
    }
  }

  private DemoTokens() {
  }

  public static List<String> split(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(text.strip());
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  /**
   * @param exactTokens {@code x-demo-tokens}: pad or cut the prose so exactly this many tokens come
   *                    out, keeping an analysis trailer whole when there is room for it
   * @param maxTokens   the request's {@code max_tokens}, or {@code null}
   * @param serverCap   {@link io.openfusion.shared.demo.DemoOptions#maxTokensPerAnswer()}
   */
  public static Plan plan(DemoAnswers.Answer answer, Integer exactTokens, Integer maxTokens, int serverCap) {
    List<String> prose = split(answer.text());
    List<String> tail = answer.trailer() == null ? List.of() : split(answer.trailer());
    if (exactTokens != null) {
      if (exactTokens <= tail.size()) {
        tail = List.of();
      }
      prose = resize(prose, exactTokens - tail.size());
    }
    List<String> all = new ArrayList<>(prose);
    if (!tail.isEmpty() && !all.isEmpty()) {
      // The sentinel must start on its own line for the proxy's splitter to find it.
      all.set(all.size() - 1, all.get(all.size() - 1).stripTrailing() + "\n");
    }
    all.addAll(tail);
    int limit = maxTokens == null ? serverCap : Math.min(maxTokens, serverCap);
    String finish = FINISH_STOP;
    if (all.size() > limit) {
      all = new ArrayList<>(all.subList(0, limit));
      finish = FINISH_LENGTH;
    }
    normaliseSpacing(all);
    return new Plan(List.copyOf(all), finish);
  }

  private static List<String> resize(List<String> tokens, int n) {
    if (n <= tokens.size()) {
      return new ArrayList<>(tokens.subList(0, n));
    }
    List<String> out = new ArrayList<>(tokens);
    for (int i = 0; out.size() < n; i++) {
      out.add(FILLER[i % FILLER.length]);
    }
    return out;
  }

  /** Every token but the last ends in whitespace; the last has none, so the text never trails. */
  private static void normaliseSpacing(List<String> tokens) {
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      if (i == tokens.size() - 1) {
        tokens.set(i, t.stripTrailing());
      } else if (!Character.isWhitespace(t.charAt(t.length() - 1))) {
        tokens.set(i, t + " ");
      }
    }
  }
}

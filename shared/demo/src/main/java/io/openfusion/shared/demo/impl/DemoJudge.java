package io.openfusion.shared.demo.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The simulated judge. It really reads the panel answers in the prompt (counting them, comparing
 * their key terms and lengths) so a demo shows a synthesis that depends on what the panel said,
 * even though no model is involved.
 */
final class DemoJudge {

  static final String SENTINEL = "===ANALYSIS===";
  private static final String PANEL_MARKER = "Panel answers:";
  private static final String REQUEST_MARKER = "Original user request:";
  private static final Pattern LABEL = Pattern.compile("^\\[simulated [^\\]]*]\\s*");
  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N}'-]*");
  private static final Pattern LIST_MARKER = Pattern.compile("^(?:[-*•]|\\d+[.)])\\s+");
  private static final Set<String> STOP = Set.of("about", "after", "again", "answer", "answers", "because",
    "before", "being", "could", "demo", "every", "first", "model", "never", "openfusion", "other", "provider",
    "real", "should", "simulated", "since", "their", "there", "these", "thing", "think", "those", "through",
    "under", "until", "using", "where", "which", "while", "would", "called", "canned", "text");
  private static final int MAX_KEY_TERMS = 3;
  private static final int MAX_RECOMMENDATION_WORDS = 24;

  private record Section(String label, String content, Set<String> terms, int words) {
  }

  private DemoJudge() {
  }

  /** @return the fused answer, or {@code null} when the prompt carries no panel answers */
  static DemoAnswers.Answer synthesize(String model, String system, String user) {
    int marker = user.indexOf(PANEL_MARKER);
    if (marker < 0) {
      return null;
    }
    List<Section> sections = sections(user.substring(marker + PANEL_MARKER.length()));
    if (sections.isEmpty()) {
      return null;
    }
    String request = user.substring(0, marker).replace(REQUEST_MARKER, "").strip();
    if (request.endsWith("---")) {
      request = request.substring(0, request.length() - 3).strip(); // the proxy's separator before the answers
    }
    int n = sections.size();
    String consensus = consensus(sections);
    List<String> contradictions = contradictions(sections);
    String labels = n <= 4
      ? " (" + sections.stream().map(Section::label).collect(Collectors.joining(", ")) + ")"
      : "";
    String text = "[simulated " + model + "] Fused answer for \"" + DemoText.topic(request) + "\", synthesized from "
      + n + " panel answer" + (n == 1 ? "" : "s") + labels + ".\n"
      + "Consensus: " + consensus + "\n"
      + "Contradictions: " + (contradictions.isEmpty() ? "none found between the answers." : contradictions.get(0)) + "\n"
      + "Recommendation: " + recommendation(sections) + "\n"
      + "No real model was called; this synthesis is simulated by the openfusion demo provider.";
    String trailer = system.contains(SENTINEL) ? SENTINEL + "\n" + analysis(sections, consensus, contradictions).encode() : null;
    return new DemoAnswers.Answer(text, trailer);
  }

  private static List<Section> sections(String panel) {
    List<Section> out = new ArrayList<>();
    String label = null;
    StringBuilder content = new StringBuilder();
    for (String line : panel.split("\n", -1)) {
      if (line.startsWith("### ")) {
        if (label != null) {
          out.add(section(label, content.toString()));
        }
        label = line.substring(4).strip();
        content.setLength(0);
      } else if (label != null) {
        content.append(line).append('\n');
      }
    }
    if (label != null) {
      out.add(section(label, content.toString()));
    }
    return out;
  }

  private static Section section(String label, String raw) {
    String content = LABEL.matcher(raw.strip()).replaceFirst("");
    Set<String> terms = new LinkedHashSet<>();
    Matcher m = WORD.matcher(content.toLowerCase(Locale.ROOT));
    while (m.find()) {
      String w = m.group();
      if (w.length() >= 5 && !STOP.contains(w)) {
        terms.add(w);
      }
    }
    return new Section(label.isEmpty() ? "unnamed" : label, content, terms, DemoText.wordCount(content));
  }

  private static String consensus(List<Section> sections) {
    if (sections.size() == 1) {
      return "only one panel answer was available, so it stands on its own.";
    }
    Set<String> common = new LinkedHashSet<>(sections.get(0).terms());
    sections.forEach(s -> common.retainAll(s.terms()));
    if (common.isEmpty()) {
      return "the " + sections.size() + " answers share no key terms, so they agree only loosely.";
    }
    String terms = common.stream().limit(MAX_KEY_TERMS).map(t -> "'" + t + "'").collect(Collectors.joining(", "));
    return "all " + sections.size() + " answers address " + terms + ".";
  }

  private static List<String> contradictions(List<Section> sections) {
    Section shortest = sections.stream().min(Comparator.comparingInt(Section::words)).orElseThrow();
    Section longest = sections.stream().max(Comparator.comparingInt(Section::words)).orElseThrow();
    if (sections.size() < 2 || shortest.words() == longest.words()) {
      return List.of();
    }
    return List.of("no direct conflict; they differ in depth, from " + shortest.label() + " (" + shortest.words()
      + " words) to " + longest.label() + " (" + longest.words() + " words).");
  }

  /** The first substantive line of the first answer, so the synthesis visibly reuses panel content. */
  private static String recommendation(List<Section> sections) {
    for (String line : sections.get(0).content().split("\n")) {
      String l = LIST_MARKER.matcher(line.strip()).replaceFirst("");
      if (DemoText.wordCount(l) >= 5 && !l.endsWith(":")) {
        String[] words = l.split("\\s+");
        return words.length <= MAX_RECOMMENDATION_WORDS
          ? l
          : String.join(" ", List.of(words).subList(0, MAX_RECOMMENDATION_WORDS)) + "…";
      }
    }
    return "go with the clearest of the panel answers and verify it.";
  }

  private static JsonObject analysis(List<Section> sections, String consensus, List<String> contradictions) {
    JsonArray unique = new JsonArray();
    for (Section s : sections) {
      s.terms().stream()
        .filter(t -> sections.stream().noneMatch(o -> o != s && o.terms().contains(t)))
        .findFirst()
        .ifPresent(t -> unique.add(s.label() + " alone mentions '" + t + "'"));
    }
    Section shortest = sections.stream().min(Comparator.comparingInt(Section::words)).orElseThrow();
    String partial = sections.size() == 1
      ? "only one answer, so coverage cannot be compared."
      : shortest.label() + " covers the least ground (" + shortest.words() + " words).";
    return new JsonObject()
      .put("consensus", consensus)
      .put("contradictions", new JsonArray(new ArrayList<>(contradictions)))
      .put("partial_coverage", partial)
      .put("unique_insights", unique)
      .put("blind_spots", new JsonArray()
        .add("none of the answers cites a source")
        .add("this analysis is simulated; no real model compared the answers"));
  }
}

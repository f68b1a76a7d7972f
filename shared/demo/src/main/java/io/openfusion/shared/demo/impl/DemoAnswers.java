package io.openfusion.shared.demo.impl;

import io.openfusion.shared.demo.DemoProvider;
import io.vertx.core.json.JsonArray;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deterministic canned answers. Each panel model has its own persona so a judge has visibly
 * different texts to fuse, and every answer labels itself as simulated. The few machine-read
 * prompts of the proxy (router classifier, ranker) get the bare reply they ask for instead,
 * because a label there would break parsing.
 */
public final class DemoAnswers {

  /** What a model says: the prose, plus an optional analysis trailer that must stay intact. */
  public record Answer(String text, String trailer) {

    public Answer {
      text = text.strip();
    }

    public static Answer of(String text) {
      return new Answer(text, null);
    }

    public String full() {
      return trailer == null ? text : text + "\n" + trailer;
    }
  }

  private static final List<String> ATLAS_CORE = List.of(
    "Answer the simplest reading of the question first.",
    "The core is a clear definition plus one concrete example.",
    "Most of the value comes from getting the basic facts right.",
    "A direct answer beats a long preamble here.");
  private static final List<String> ATLAS_DETAIL = List.of(
    "Name the one or two constraints that matter most.",
    "Check the assumption hidden in the question.",
    "Prefer the option that is easiest to verify.",
    "Keep the scope narrow until the basics are settled.");
  private static final List<String> ATLAS_BOTTOM = List.of(
    "Bottom line: keep it simple and verify.",
    "Bottom line: answer directly, then refine.",
    "Bottom line: the obvious answer is usually right here.",
    "Bottom line: confirm with a real source before acting.");

  private static final List<String> BIRCH_FIRST = List.of(
    "Restate the question in your own words to pin down what is asked.",
    "List what is already known and what is still missing.",
    "Split the problem into the smallest parts that can be checked.");
  private static final List<String> BIRCH_SECOND = List.of(
    "Work through the main case, writing down each intermediate result.",
    "Compare two candidate approaches and keep the simpler one.",
    "Solve the easy part first and reuse it for the hard part.");
  private static final List<String> BIRCH_THIRD = List.of(
    "Check the result against a small example before trusting it.",
    "Summarize the answer in one sentence and test it on an edge case.",
    "Write down what would prove the answer wrong, then look for it.");

  private static final List<String> CEDAR_UPSIDE = List.of(
    "The quick answer is cheap and usually good enough.",
    "A thorough answer costs more time but holds up better.",
    "Reusing a known solution saves effort and lowers risk.");
  private static final List<String> CEDAR_DOWNSIDE = List.of(
    "On the other hand, it can miss edge cases that matter later.",
    "On the other hand, extra depth adds cost and can hide the main point.",
    "On the other hand, a known solution may not fit every detail of your case.");
  private static final List<String> CEDAR_CAVEAT = List.of(
    "this is canned text, so double-check anything important.",
    "the right balance depends on context this simulation cannot see.",
    "no real model reasoned about this; treat it as a placeholder.");

  private static final List<String> GENERIC = List.of(
    "A good answer would start from the key facts and end with a clear recommendation.",
    "A real model would weigh the options and explain the choice briefly.",
    "The useful next step is to state the goal, pick an approach and check it.");

  private static final Pattern ROUTE_MODEL = Pattern.compile("(?m)^- (\\S+) \\(");
  private static final Pattern CANDIDATE = Pattern.compile("(?m)^\\[(\\d+)]");
  private static final List<String> FUSE_HINTS = List.of("```", "analy", "compare", "design", "evaluate",
    "research", "explain why", "trade-off", "tradeoff", "prove", "debug", "architecture");

  private DemoAnswers() {
  }

  public static Answer answer(String model, JsonArray messages) {
    String system = DemoText.systemText(messages);
    String user = DemoText.lastUserText(messages);
    String control = controlReply(system, user);
    if (control != null) {
      return Answer.of(control);
    }
    if (DemoProvider.JUDGE_MODEL.equals(model)) {
      Answer fused = DemoJudge.synthesize(model, system, user);
      if (fused != null) {
        return fused;
      }
    }
    return Answer.of(persona(model, user));
  }

  static String persona(String model, String user) {
    String topic = DemoText.topic(user);
    long seed = DemoText.seed(model, user);
    String label = "[simulated " + model + "] ";
    switch (model) {
      case "demo/atlas":
        return label + "Quick take on \"" + topic + "\":\n"
          + "- " + DemoText.pick(ATLAS_CORE, seed, 1) + "\n"
          + "- " + DemoText.pick(ATLAS_DETAIL, seed, 2) + "\n"
          + "- " + DemoText.pick(ATLAS_BOTTOM, seed, 3) + "\n"
          + "Simulated answer: no real model was called.";
      case "demo/birch":
        return label + "Step by step on \"" + topic + "\":\n"
          + "1. " + DemoText.pick(BIRCH_FIRST, seed, 1) + "\n"
          + "2. " + DemoText.pick(BIRCH_SECOND, seed, 2) + "\n"
          + "3. " + DemoText.pick(BIRCH_THIRD, seed, 3) + "\n"
          + "This walkthrough is simulated by the openfusion demo provider.";
      case "demo/cedar":
        return label + "Trade-offs around \"" + topic + "\": "
          + DemoText.pick(CEDAR_UPSIDE, seed, 1) + " "
          + DemoText.pick(CEDAR_DOWNSIDE, seed, 2) + "\n"
          + "Caveat: " + DemoText.pick(CEDAR_CAVEAT, seed, 3) + " (Simulated answer.)";
      default:
        return label + "A simulated reply to \"" + topic + "\". "
          + DemoText.pick(GENERIC, seed, 1)
          + " No real model was called; the openfusion demo provider wrote this text.";
    }
  }

  /**
   * The proxy's router classifier and ranker parse a bare word or number, so those prompts get
   * exactly that, chosen deterministically from the request.
   */
  static String controlReply(String system, String user) {
    if (system.contains("Reply with ONLY the number")) {
      Matcher m = CANDIDATE.matcher(user);
      int count = 0;
      while (m.find()) {
        count++;
      }
      return count == 0 ? "1" : String.valueOf(1 + Math.floorMod(DemoText.seed(user), (long) count));
    }
    if (system.contains("Reply with just FUSE or one model id")) {
      if (wantsPanel(user)) {
        return "FUSE";
      }
      Matcher m = ROUTE_MODEL.matcher(system);
      return m.find() ? m.group(1) : "FUSE";
    }
    if (system.contains("FUSE or SOLO")) {
      return wantsPanel(user) ? "FUSE" : "SOLO";
    }
    return null;
  }

  private static boolean wantsPanel(String user) {
    String lower = user.toLowerCase(Locale.ROOT);
    return user.length() >= 280 || FUSE_HINTS.stream().anyMatch(lower::contains);
  }
}

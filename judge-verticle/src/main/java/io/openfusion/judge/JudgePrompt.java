package io.openfusion.judge;

import io.openfusion.shared.chat.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the judge's messages. Unlike a flattened transcript, the client's conversation is passed on
 * as real messages (its system prompt and any images included), and the panel's answers are appended
 * to the latest user turn, so the judge answers exactly what the client asked, in the client's terms.
 */
final class JudgePrompt {

  static final String SYSTEM = """
    You are the synthesizer behind a panel of independent experts. Each expert has answered the latest \
    user request; their answers follow that request. Read them all and work out the consensus (what they \
    agree on), the contradictions (where they disagree, and which side is right), partial coverage (points \
    only some of them make), unique insights (valuable points only one raises) and blind spots (what all of \
    them missed). Then write the single best answer to the request, grounded in that analysis.
    Be concise: lead with the answer, cut repetition, hedging and filler, and match the length to the \
    question. Use headings or lists only when they help. Follow the user's requested format and \
    constraints exactly. Never mention the experts, the panel, or that several answers existed.""";

  static final String ANALYSIS_INSTRUCTION = """

    After the answer, write a line containing exactly %s and then one JSON object with the keys \
    consensus, contradictions, partial_coverage, unique_insights and blind_spots (each a short string or \
    a list of short strings). Write nothing after the JSON object.""".formatted(AnalysisSplitter.SENTINEL);

  static final String CLIENT_SYSTEM_HEADER = "\n\nThe conversation comes with these instructions from its own system prompt; honour them:\n";

  /** Marks where the client's request ends and the panel's answers begin. */
  static final String PANEL_HEADER = "Panel answers:";

  private static final int MIN_ANSWER_CHARS = 200;
  private static final String TRUNCATED = "\n...[truncated]";

  private JudgePrompt() {
  }

  /**
   * @param maxPanelTokens budget for the answers, estimated at four characters a token; the longest
   *                       answers are shortened first and the client's own text never is
   */
  static JsonArray messages(JsonArray conversation, JsonArray answers, boolean emitAnalysis, int maxPanelTokens) {
    StringBuilder system = new StringBuilder(SYSTEM);
    if (emitAnalysis) {
      system.append(ANALYSIS_INSTRUCTION);
    }
    List<String> clientSystem = new ArrayList<>();
    JsonArray turns = new JsonArray();
    for (Object item : conversation) {
      if (!(item instanceof JsonObject message)) {
        continue;
      }
      if ("system".equals(message.getValue("role")) || "developer".equals(message.getValue("role"))) {
        clientSystem.add(Json.text(message.getValue("content")));
      } else {
        turns.add(message);
      }
    }
    if (!clientSystem.isEmpty()) {
      system.append(CLIENT_SYSTEM_HEADER).append(String.join("\n\n", clientSystem));
    }
    String panel = panelBlock(fitToBudget(answers, maxPanelTokens));
    JsonArray messages = new JsonArray().add(new JsonObject().put("role", "system").put("content", system.toString()));
    int lastUser = lastUserIndex(turns);
    for (int i = 0; i < turns.size(); i++) {
      JsonObject turn = turns.getJsonObject(i);
      messages.add(i == lastUser ? withPanel(turn, panel) : turn);
    }
    if (lastUser < 0) {
      messages.add(new JsonObject().put("role", "user").put("content", panel));
    }
    return messages;
  }

  private static int lastUserIndex(JsonArray turns) {
    for (int i = turns.size() - 1; i >= 0; i--) {
      if ("user".equals(turns.getJsonObject(i).getValue("role"))) {
        return i;
      }
    }
    return -1;
  }

  private static JsonObject withPanel(JsonObject userTurn, String panel) {
    Object content = userTurn.getValue("content");
    JsonObject copy = userTurn.copy();
    if (content instanceof JsonArray parts) {
      copy.put("content", parts.copy().add(new JsonObject().put("type", "text").put("text", panel)));
    } else {
      copy.put("content", Json.text(content) + panel);
    }
    return copy;
  }

  private static String panelBlock(List<String[]> answers) {
    StringBuilder block = new StringBuilder("\n\n---\n" + PANEL_HEADER);
    int n = 1;
    for (String[] answer : answers) {
      block.append("\n\n### Answer ").append(n++).append('\n').append(answer[1]);
    }
    return block.toString();
  }

  /** [label, content] pairs with the longest contents shortened until the estimate fits the budget. */
  static List<String[]> fitToBudget(JsonArray answers, int maxPanelTokens) {
    List<String[]> fitted = new ArrayList<>();
    for (Object item : answers) {
      JsonObject answer = (JsonObject) item;
      fitted.add(new String[] {answer.getString("label"), answer.getString("content", "")});
    }
    long budgetChars = (long) maxPanelTokens * 4;
    while (totalChars(fitted) > budgetChars) {
      String[] longest = fitted.stream().max((a, b) -> Integer.compare(a[1].length(), b[1].length())).orElseThrow();
      // shortening must make progress, or a budget smaller than the answers' floor would loop forever
      if (longest[1].length() <= MIN_ANSWER_CHARS + TRUNCATED.length()) {
        break;
      }
      int keep = Math.max(MIN_ANSWER_CHARS, longest[1].length() / 2);
      longest[1] = longest[1].substring(0, keep) + TRUNCATED;
    }
    return fitted;
  }

  private static long totalChars(List<String[]> answers) {
    return answers.stream().mapToLong(a -> a[1].length()).sum();
  }
}

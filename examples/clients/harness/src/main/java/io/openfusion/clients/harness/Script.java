package io.openfusion.clients.harness;

import java.util.List;

/**
 * What the fake upstream answers, so every client test can check exact text and exact token counts. A fused
 * answer is the judge's text; its usage is the sum of both panel members and the judge. Any model that is neither a
 * panel member nor the judge is a pass-through model, and the fake echoes its id.
 */
public final class Script {

  /** The model id that makes openfusion fuse. */
  public static final String FUSION_MODEL = "openfusion";
  /** A model id a client sends to be passed through; any id the recipe does not use would do. */
  public static final String PASS_THROUGH_MODEL = "echo-mini";

  static final String PANEL_A = "panel-alpha";
  static final String PANEL_B = "panel-beta";
  static final String JUDGE = "judge-model";

  static final List<String> JUDGE_PIECES = List.of("Paris ", "is the capital ", "of France.");
  static final List<String> PASS_PIECES = List.of("Pass-through ", "says ", "hello.");

  /** The full text of a fused answer, streamed or not. */
  public static final String FUSED_TEXT = String.join("", JUDGE_PIECES);
  /** The full text of a passed-through answer, streamed or not. */
  public static final String PASS_THROUGH_TEXT = String.join("", PASS_PIECES);

  /** The id of the tool call the fake makes; a tool message must answer this id. */
  public static final String TOOL_CALL_ID = "call_fake_weather";
  /** The call's arguments as the fake streams them, a JSON object cut mid-way. */
  static final List<String> TOOL_ARGUMENT_PIECES = List.of("{\"city\":", "\"Paris\"}");
  /** The call's whole arguments. */
  public static final String TOOL_ARGUMENTS = String.join("", TOOL_ARGUMENT_PIECES);
  /** What the answer to a tool's result starts with; the tool's output follows. */
  public static final String TOOL_ANSWER_PREFIX = "The weather tool says: ";

  /** The second question of a conversation a client keeps itself, sent after the first answer. */
  public static final String FOLLOW_UP = "And the capital of Spain?";

  static final Usage PANEL_A_USAGE = new Usage(11, 5);
  static final Usage PANEL_B_USAGE = new Usage(13, 6);
  static final Usage JUDGE_USAGE = new Usage(101, 9);

  /** What a fused request costs in all: both members and the judge. */
  public static final Usage FUSED_USAGE = PANEL_A_USAGE.plus(PANEL_B_USAGE).plus(JUDGE_USAGE);
  /** What a passed-through request costs: the upstream's own numbers. */
  public static final Usage PASS_THROUGH_USAGE = new Usage(7, 3);

  private Script() {
  }

  /** Token counts as a client reports them. */
  public record Usage(int prompt, int completion) {

    public int total() {
      return prompt + completion;
    }

    Usage plus(Usage other) {
      return new Usage(prompt + other.prompt, completion + other.completion);
    }
  }

  static List<String> pieces(String model) {
    return switch (model) {
      case PANEL_A -> List.of("Paris.");
      case PANEL_B -> List.of("The capital ", "is Paris.");
      case JUDGE -> JUDGE_PIECES;
      default -> PASS_PIECES;
    };
  }

  static Usage usage(String model) {
    return switch (model) {
      case PANEL_A -> PANEL_A_USAGE;
      case PANEL_B -> PANEL_B_USAGE;
      case JUDGE -> JUDGE_USAGE;
      default -> PASS_THROUGH_USAGE;
    };
  }
}

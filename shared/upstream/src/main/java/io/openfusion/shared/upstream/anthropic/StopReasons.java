package io.openfusion.shared.upstream.anthropic;

/** Maps an Anthropic {@code stop_reason} to an OpenAI {@code finish_reason}. */
final class StopReasons {

  private StopReasons() {
  }

  /** @return the finish reason, or {@code null} when {@code reason} is absent */
  static String toFinishReason(Object reason) {
    if (!(reason instanceof String r)) {
      return null;
    }
    return switch (r) {
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "tool_use" -> "tool_calls";
      case "refusal" -> "content_filter";
      // end_turn, stop_sequence, pause_turn and reasons added later all mean "the model stopped on its own"
      default -> "stop";
    };
  }
}

package io.openfusion.router.fusion;

import io.openfusion.router.RunResult;
import io.openfusion.router.stream.ClientStream;
import io.openfusion.shared.bus.ChatCommand;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.upstream.Pace;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Where a fused answer goes: frames on the client's stream as they come ({@link StreamedAnswer}), or one
 * {@code chat.completion} at the end ({@link BufferedAnswer}). A run writes to it the same way either way; a text
 * producer (the judge) goes at its {@link Pace}.
 */
interface AnswerSink extends Pace {

  /**
   * @param stream   the request's client stream, or null for a non-streamed request
   * @param keepText whether {@link #textSoFar()} will be asked for (to store the answer); a stream otherwise keeps
   *                 none of its text, which can run to megabytes per request
   */
  static AnswerSink of(ClientStream stream, ChatCommand command, String model, boolean keepText) {
    return stream == null ? new BufferedAnswer(model) : new StreamedAnswer(stream, command, model, keepText);
  }

  /** A progress report: a named event for clients that asked for them, else an SSE comment; nothing when buffered. */
  void progress(String event, JsonObject payload);

  /** @return whether text reaches the client as it comes (a stream); a buffered answer only uses it whole */
  boolean live();

  /** The next piece of the answer's text. */
  void text(String text);

  /** The answer's text so far; a stream made without {@code keepText} has none to give. */
  String textSoFar();

  /** The analysis the answer ended with, or null (also before it ended). */
  JsonObject analysis();

  /** @return whether the answer ended as a fallback (the judge failed, the panel's best answer stood in) */
  boolean fellBack();

  /** @return whether some of the answer already reached the client (then a failure can only end the stream) */
  boolean answerStarted();

  /** Drops text that never reached the client (a buffered answer's collected text), so another answer can replace it. */
  void discardUnsent();

  /** @return whether the client is gone: nothing written from now on reaches it */
  boolean clientGone();

  /**
   * Ends the answer: a stream gets its terminal chunk, the analysis and usage reports and {@code [DONE]}; a buffered
   * answer becomes the completion.
   *
   * @param finishReason the finish reason, null for {@code stop}
   * @param analysis     the judge's analysis, or null
   * @param usageReport  the {@code usage} report a stream carries (per call, panel, judge, total), or null
   * @param total        what the run spent, or null when no upstream reported usage
   * @param extras       fields a buffered completion also carries ({@code cached}, {@code fallback}); may be empty
   * @return the run's result, once a stream's last byte reached the client
   */
  Future<RunResult> complete(String finishReason, JsonObject analysis, JsonObject usageReport, JsonObject total,
                             JsonObject extras);

  /**
   * Ends the answer with {@code error}: an error chunk and {@code [DONE]} on a stream that started (the run's result
   * then says it ended in error), else a failed run (the client gets the error's HTTP status).
   *
   * @param usage what the run spent before it failed, or null
   */
  Future<RunResult> fail(ApiError error, JsonObject usage);
}

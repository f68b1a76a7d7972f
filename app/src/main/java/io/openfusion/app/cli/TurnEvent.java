package io.openfusion.app.cli;

import io.vertx.core.json.JsonObject;

/** What a streamed answer delivers, in order, to the thread that renders it. */
sealed interface TurnEvent {

  /** {@code event: progress}. */
  record Progress(JsonObject payload) implements TurnEvent {
  }

  /** A content delta of the answer. */
  record Content(String text) implements TurnEvent {
  }

  /** {@code event: usage}. */
  record Usage(JsonObject payload) implements TurnEvent {
  }

  /** {@code event: analysis}: the judge's structured analysis, split off the answer by the server. */
  record Analysis(JsonObject payload) implements TurnEvent {
  }

  /** The stream ended with {@code [DONE]} and no error. */
  record Done(String finishReason) implements TurnEvent {
  }

  /** The request failed, before or during the stream. */
  record Failed(ApiFailure failure) implements TurnEvent {
  }

  /** The user cancelled the turn. */
  record Cancelled() implements TurnEvent {
  }
}

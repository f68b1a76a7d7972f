package io.openfusion.router.fusion;

import io.openfusion.router.RunResult;
import io.openfusion.shared.chat.Completions;
import io.openfusion.shared.error.ApiError;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** A fused answer as one {@code chat.completion}: the text is collected, and nothing reaches the client before the end. */
final class BufferedAnswer implements AnswerSink {

  private final String model;
  private final StringBuilder text = new StringBuilder();
  private JsonObject analysis;
  private boolean fellBack;

  BufferedAnswer(String model) {
    this.model = model;
  }

  @Override
  public void progress(String event, JsonObject payload) {
    // a completion has no room for progress
  }

  @Override
  public void text(String piece) {
    text.append(piece);
  }

  @Override
  public String textSoFar() {
    return text.toString();
  }

  @Override
  public JsonObject analysis() {
    return analysis;
  }

  @Override
  public boolean fellBack() {
    return fellBack;
  }

  @Override
  public boolean live() {
    return false;
  }

  @Override
  public boolean answerStarted() {
    return false;
  }

  @Override
  public void discardUnsent() {
    text.setLength(0);
  }

  @Override
  public boolean clientGone() {
    // a buffered client that leaves cancels the request, which stops the run
    return false;
  }

  @Override
  public boolean full() {
    return false;
  }

  @Override
  public void whenReady(Runnable ready) {
    ready.run();
  }

  @Override
  public Future<RunResult> complete(String finishReason, JsonObject analysis, JsonObject usageReport, JsonObject total,
                                    JsonObject extras) {
    this.analysis = analysis;
    this.fellBack = extras.containsKey("fallback");
    JsonObject body = Completions.completion(Completions.newId(), Completions.nowSeconds(), model, text.toString(),
      finishReason == null ? "stop" : finishReason, total);
    if (analysis != null) {
      body.put("analysis", analysis);
    }
    body.mergeIn(extras);
    RunResult result = RunResult.answered(body, total).withReport(usageReport);
    return Future.succeededFuture(Boolean.TRUE.equals(extras.getValue("cached")) ? result.asCached() : result);
  }

  @Override
  public Future<RunResult> fail(ApiError error, JsonObject usage) {
    return Future.failedFuture(error);
  }
}

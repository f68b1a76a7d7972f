package io.openfusion.shared.demo.impl;

import io.openfusion.shared.demo.DemoOptions;
import io.openfusion.shared.demo.DemoProvider;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** {@code POST /v1/chat/completions}: parse, pick the canned answer, then buffer or stream it. */
final class DemoChat {

  private final Vertx vertx;
  private final DemoOptions options;
  private final DemoCounters counters;

  DemoChat(Vertx vertx, DemoOptions options, DemoCounters counters) {
    this.vertx = vertx;
    this.options = options;
    this.counters = counters;
  }

  void handle(HttpServerRequest request) {
    counters.requestReceived();
    // A body that never arrives means the client is gone; there is nobody left to answer.
    request.body().onSuccess(body -> respond(request, body));
  }

  private void respond(HttpServerRequest request, Buffer body) {
    HttpServerResponse response = request.response();
    DemoKnobs knobs;
    DemoRequest chat;
    try {
      knobs = DemoKnobs.from(request.headers());
      if (knobs.failStatus() != null) {
        // Only an explicit latency header delays a forced failure, so plain fail tests stay instant.
        long delay = knobs.latencyMs() == null ? 0 : knobs.latencyMs();
        DemoFailure failure = DemoFailure.simulated(knobs.failStatus(),
          "simulated failure (HTTP " + knobs.failStatus() + ") requested by " + DemoProvider.HEADER_FAIL_STATUS);
        later(response, delay, () -> DemoServerVerticle.sendError(response, failure));
        return;
      }
      chat = DemoRequest.parse(body);
    } catch (DemoFailure failure) {
      DemoServerVerticle.sendError(response, failure);
      return;
    }
    if (DemoProvider.FAIL_MODEL.equals(chat.model())) {
      DemoServerVerticle.sendError(response, DemoFailure.simulated(500,
        "simulated upstream failure: " + DemoProvider.FAIL_MODEL + " always answers HTTP 500"));
      return;
    }
    DemoAnswers.Answer answer = DemoAnswers.answer(chat.model(), chat.messages());
    DemoTokens.Plan plan = DemoTokens.plan(answer, knobs.tokens(), chat.maxTokens(), options.maxTokensPerAnswer());
    JsonObject usage = DemoChunks.usage(chat.model(), chat.promptTokens(), plan.tokens().size());
    DemoChunks.Envelope envelope = DemoChunks.Envelope.create(chat.model());
    long slow = DemoProvider.SLOW_MODEL.equals(chat.model()) ? DemoProvider.SLOW_DELAY_MS : 0;
    if (chat.stream()) {
      new DemoStream(vertx, response, envelope, plan, chat.includeUsage() ? usage : null,
        slow + knobs.firstTokenMs(options), knobs.interTokenMs(options), counters).start();
    } else {
      String json = DemoChunks.completion(envelope, plan.text(), plan.finishReason(), usage).encode();
      later(response, slow + knobs.latencyMs(options), () -> response
        .putHeader("content-type", "application/json")
        .end(json));
    }
  }

  /** Runs {@code action} after a delay unless the client disconnects first. */
  private void later(HttpServerResponse response, long delayMs, Runnable action) {
    if (delayMs <= 0) {
      action.run();
      return;
    }
    counters.begin();
    boolean[] done = {false};
    long timer = vertx.setTimer(delayMs, id -> {
      if (!done[0]) {
        done[0] = true;
        counters.end(false);
        if (!response.closed()) {
          action.run();
        }
      }
    });
    response.closeHandler(v -> {
      if (!done[0]) {
        done[0] = true;
        vertx.cancelTimer(timer);
        counters.end(true);
      }
    });
  }
}

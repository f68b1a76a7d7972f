package io.openfusion.panel;

import io.openfusion.shared.bus.MemberAnswer;
import io.openfusion.shared.bus.MemberCall;
import io.openfusion.shared.chat.Json;
import io.openfusion.shared.calls.Retries;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Recipes;
import io.openfusion.shared.config.UpstreamConfig;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.openfusion.shared.keys.RuntimeKeys;
import io.openfusion.shared.telemetry.Phase;
import io.openfusion.shared.telemetry.Telemetry;
import io.openfusion.shared.upstream.UpstreamCall;
import io.openfusion.shared.upstream.UpstreamClient;
import io.openfusion.shared.chat.Usages;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** One panel member's upstream call: resolve the member, call it (with 429/503 retries), read the answer. */
final class MemberCaller {

  private final Vertx vertx;
  private final Recipes recipes;
  private final UpstreamClient client;
  private final RuntimeKeys keys;
  private final Telemetry telemetry;

  MemberCaller(Vertx vertx, Recipes recipes, UpstreamClient client, Telemetry telemetry) {
    this.vertx = vertx;
    this.keys = new RuntimeKeys(vertx);
    this.recipes = recipes;
    this.client = client;
    this.telemetry = telemetry;
  }

  Future<MemberAnswer> call(MemberCall call, Future<Void> cancel) {
    OpenFusionConfig config = recipes.get(call.recipe());
    UpstreamConfig configured = config == null ? null : call.member().resolve(config);
    if (configured == null) {
      return Future.failedFuture(ApiError.of(ErrorCode.INTERNAL_ERROR,
        "Panel member '" + call.member().label() + "' is not in this node's config; every node must load the same config and recipes"));
    }
    return keys.fill(configured, call.caller()).compose(upstream -> call(call, upstream, cancel));
  }

  private Future<MemberAnswer> call(MemberCall call, UpstreamConfig upstream, Future<Void> cancel) {
    JsonObject body = call.body().copy().put("model", upstream.model()).put("stream", false);
    // stream_options is only valid on streamed calls; strict OpenAI endpoints reject it otherwise
    body.remove("stream_options");
    UpstreamCall upstreamCall = new UpstreamCall(upstream.baseUrl(), upstream.apiKey(), body, call.deadline(), cancel,
      call.member().label(), upstream.provider());
    // the same worker serves panel members, debate revisions, the ranker and solo pipeline steps: the call id says which
    Phase phase = Phase.ofCallId(call.callId());
    long started = System.currentTimeMillis();
    // recorded per attempt: every retry is an upstream call of its own (and a 429 is worth seeing in the metrics)
    return Retries.withRetries(vertx, call.deadline(), cancel,
        () -> telemetry.complete(client, upstreamCall, phase, call.requestId(), call.trace()))
      .compose(response -> answer(call, upstream, response, System.currentTimeMillis() - started));
  }

  private static Future<MemberAnswer> answer(MemberCall call, UpstreamConfig upstream, JsonObject response, long latencyMs) {
    JsonArray choices = response.getJsonArray("choices");
    if (choices == null || choices.isEmpty() || !(choices.getValue(0) instanceof JsonObject choice)) {
      return Future.failedFuture(ApiError.of(ErrorCode.UPSTREAM_ERROR, "Upstream returned no choices"));
    }
    JsonObject message = Json.object(choice, "message");
    String text = message == null ? "" : Json.text(message.getValue("content"));
    if (text.isBlank()) {
      return Future.failedFuture(ApiError.of(ErrorCode.UPSTREAM_ERROR, "Upstream returned an empty answer"));
    }
    String model = Json.string(response, "model") != null ? Json.string(response, "model") : upstream.model();
    return Future.succeededFuture(new MemberAnswer(call.member().label(), model, text,
      Usages.fromJson(response.getJsonObject("usage")), latencyMs, choice.getString("finish_reason")));
  }
}

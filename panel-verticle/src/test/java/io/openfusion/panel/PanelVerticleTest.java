package io.openfusion.panel;

import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.bus.CancelRegistry;
import io.openfusion.shared.bus.Deadlines;
import io.openfusion.shared.bus.MemberAnswer;
import io.openfusion.shared.bus.MemberCall;
import io.openfusion.shared.bus.UpstreamRef;
import io.openfusion.shared.calls.CallSlots;
import io.openfusion.shared.config.loading.ConfigParser;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.telemetry.Telemetry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The panel worker's contract, with the spec as the router on {@link Addresses#PANEL_CALL} and a fake provider on
 * 127.0.0.1: one {@link MemberCall} is answered with a {@link MemberAnswer} or with the OpenAI error its upstream's
 * failure means; arrival is confirmed at once; a published cancel stops the upstream call; the node's slot cap makes
 * calls wait, and a waiter past its deadline gets a 504.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class PanelVerticleTest {

  private Vertx vertx;
  private HttpServer provider;
  /** The models the provider was asked for, in order. */
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private final List<JsonObject> bodies = new CopyOnWriteArrayList<>();
  private final Promise<Void> slowRequestClosed = Promise.promise();

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    // the provider answers by model: m/ok answers, m/bad says 401, m/slow never answers
    provider = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(raw -> {
      JsonObject body = raw.toJsonObject();
      String model = body.getString("model");
      asked.add(model);
      bodies.add(body);
      switch (model) {
        case "m/ok" -> request.response().putHeader("content-type", "application/json").end(new JsonObject()
          .put("id", "c1").put("object", "chat.completion").put("model", "m/ok-2025")
          .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
            .put("message", new JsonObject().put("role", "assistant").put("content", "forty-two"))
            .put("finish_reason", "stop")))
          .put("usage", new JsonObject().put("prompt_tokens", 11).put("completion_tokens", 3).put("total_tokens", 14))
          .encode());
        case "m/bad" -> request.response().setStatusCode(401).putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", new JsonObject().put("message", "Incorrect API key provided")
            .put("type", "invalid_request_error").put("code", "invalid_api_key")).encode());
        default -> request.connection().closeHandler(closed -> slowRequestClosed.tryComplete());
      }
    }));
    await(provider.listen(0, "127.0.0.1"));
  }

  @AfterEach
  void tearDown() {
    await(provider.close());
  }

  private void deployPanel(int maxConcurrency) {
    String base = "http://127.0.0.1:" + provider.actualPort() + "/v1";
    JsonArray panel = new JsonArray();
    for (String model : List.of("m/ok", "m/bad", "m/slow")) {
      panel.add(new JsonObject().put("base_url", base).put("api_key", "sk-panel").put("model", model));
    }
    var config = ConfigParser.parse(new JsonObject().put("panel", panel)
      .put("judge", new JsonObject().put("base_url", base).put("api_key", "k").put("model", "j/judge")), Map.of(), "spec.yaml");
    CallSlots slots = new CallSlots("panel", "workers.panel_max_concurrency", maxConcurrency);
    await(vertx.deployVerticle(new PanelVerticle(config, Telemetry.withoutMetrics(), slots)));
  }

  private static MemberCall call(String requestId, int member, String model, long deadline, String acceptedTo) {
    JsonObject body = new JsonObject().put("messages", new JsonArray()
      .add(new JsonObject().put("role", "user").put("content", "What is 6*7?")))
      .put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
    return new MemberCall(requestId, "panel#" + member, new UpstreamRef(UpstreamRef.PANEL, member, model, "member-" + member),
      body, deadline, "caller", 0, acceptedTo);
  }

  private Future<JsonObject> send(MemberCall call) {
    return vertx.eventBus().<JsonObject>request(Addresses.PANEL_CALL, call.toJson(),
      Deadlines.until(call.deadline(), call.requestId())).map(reply -> reply.body());
  }

  private static long in(long ms) {
    return System.currentTimeMillis() + ms;
  }

  @Test
  void aCallIsAnsweredWithTheMembersAnswerFromANonStreamedUpstreamCall() {
    deployPanel(0);

    MemberAnswer answer = MemberAnswer.fromJson(await(send(call("r1", 0, "m/ok", in(10_000), null))));

    assertThat(answer.content()).isEqualTo("forty-two");
    assertThat(answer.label()).isEqualTo("member-0");
    assertThat(answer.model()).as("the model the provider says answered").isEqualTo("m/ok-2025");
    assertThat(answer.finishReason()).isEqualTo("stop");
    assertThat(answer.usage().getInteger("total_tokens")).isEqualTo(14);
    JsonObject sent = bodies.get(0);
    assertThat(sent.getBoolean("stream")).isFalse();
    assertThat(sent.containsKey("stream_options")).as("only valid on streamed calls").isFalse();
  }

  @Test
  void anUpstreamErrorComesBackAsAnOpenAiErrorWithTheUpstreamsStatus() {
    deployPanel(0);

    Throwable failure = failureOf(send(call("r1", 1, "m/bad", in(10_000), null)));

    assertThat(((ReplyException) failure).failureCode()).isEqualTo(401);
    ApiError error = ApiError.from(failure, "panel");
    assertThat(error.status()).isEqualTo(401);
    assertThat(error.getMessage()).contains("Incorrect API key provided").doesNotContain("sk-panel");
    assertThat(error.type()).isNotBlank();
  }

  @Test
  void aMalformedCallIsRefusedWith400() {
    deployPanel(0);

    Throwable failure = failureOf(vertx.eventBus().request(Addresses.PANEL_CALL, new JsonObject().put("call_id", "x"),
      Deadlines.until(in(5_000), "r1")));

    assertThat(((ReplyException) failure).failureCode()).isEqualTo(400);
    assertThat(failure.getMessage()).startsWith("malformed panel call");
    assertThat(asked).isEmpty();
  }

  @Test
  void arrivalIsConfirmedToTheRouterBeforeTheCallEnds() {
    deployPanel(0);
    Promise<JsonObject> confirmed = Promise.promise();
    await(vertx.eventBus().<JsonObject>consumer("test.accepted", message -> confirmed.tryComplete(message.body()))
      .completion());

    Future<JsonObject> answer = send(call("r1", 2, "m/slow", in(10_000), "test.accepted"));

    JsonObject confirmation = await(confirmed.future());
    assertThat(confirmation.getString("request_id")).isEqualTo("r1");
    assertThat(confirmation.getString("call_id")).isEqualTo("panel#2");
    assertThat(confirmation.getInteger("attempt")).isZero();
    assertThat(confirmation.containsKey("node")).isTrue();
    assertThat(answer.isComplete()).as("confirmed while the upstream still works").isFalse();
  }

  @Test
  void aCancelPublishedForTheRequestStopsTheUpstreamCall() {
    deployPanel(0);
    Future<JsonObject> answer = send(call("r-cancel", 2, "m/slow", in(20_000), null));
    waitUntil(() -> asked.contains("m/slow"));

    CancelRegistry.publish(vertx.eventBus(), "r-cancel");

    await(slowRequestClosed.future());
    assertThat(failureOf(answer)).isInstanceOf(ReplyException.class);
  }

  @Test
  void overTheNodesSlotCapACallWaitsAndAWaiterPastItsDeadlineGets504Timeout() {
    deployPanel(1);
    send(call("r-slow", 2, "m/slow", in(20_000), null));
    waitUntil(() -> asked.contains("m/slow"));

    Throwable failure = failureOf(send(call("r-waiter", 0, "m/ok", in(600), null)));

    assertThat(((ReplyException) failure).failureCode()).isEqualTo(504);
    ApiError error = ApiError.from(failure, "panel");
    assertThat(error.code()).isEqualTo("timeout");
    assertThat(error.getMessage()).contains("workers.panel_max_concurrency");
    assertThat(asked).as("the waiter never reached the provider").containsExactly("m/slow");

    // once the slot frees (the slow call is cancelled), a waiting call runs
    Future<JsonObject> next = send(call("r-next", 0, "m/ok", in(20_000), null));
    CancelRegistry.publish(vertx.eventBus(), "r-slow");
    assertThat(MemberAnswer.fromJson(await(next)).content()).isEqualTo("forty-two");
  }

  // ---- waiting -------------------------------------------------------------------------------------------

  private static <T> T await(Future<T> future) {
    try {
      return future.await(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("not completed within 20 s", e);
    }
  }

  private static Throwable failureOf(Future<?> future) {
    try {
      Object value = future.await(20, TimeUnit.SECONDS);
      throw new AssertionError("expected a failure, got " + value);
    } catch (TimeoutException e) {
      throw new AssertionError("not completed within 20 s", e);
    } catch (AssertionError e) {
      throw e;
    } catch (Throwable failure) {
      return failure;
    }
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) {
    while (!condition.getAsBoolean()) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}

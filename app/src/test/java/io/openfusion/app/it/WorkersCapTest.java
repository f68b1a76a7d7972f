package io.openfusion.app.it;

import io.openfusion.app.testing.Client;
import io.openfusion.app.testing.HttpUpstream;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.shared.config.Aggregator;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Provider;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.UpstreamConfig;
import io.openfusion.shared.config.WorkersConfig;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code workers.panel_max_concurrency}: the upstream never sees more member calls from the node at once
 * than the cap, and every request still gets every member's answer (the rest wait their turn).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WorkersCapTest {

  private static final long MEMBER_DELAY_MS = 150;

  private static final AtomicInteger memberCallsNow = new AtomicInteger();
  private static final AtomicInteger mostMemberCallsAtOnce = new AtomicInteger();
  private static final AtomicInteger memberCalls = new AtomicInteger();

  @RegisterExtension
  static final NodeExtension<HttpUpstream> openfusion = NodeExtension.http(WorkersCapTest::members)
    .reset(upstream -> {
      memberCallsNow.set(0);
      mostMemberCallsAtOnce.set(0);
      memberCalls.set(0);
    })
    .build();

  /** Members answer after {@link #MEMBER_DELAY_MS}, counting how many of their calls run at once; the judge at once. */
  private static Handler<HttpServerRequest> members(Vertx vertx) {
    return request -> request.body().onSuccess(body -> {
      JsonObject json = body.toJsonObject();
      String model = json.getString("model");
      if (model.startsWith("judge")) {
        if (json.getBoolean("stream", false)) {
          JsonObject chunk = new JsonObject().put("id", "c-1").put("object", "chat.completion.chunk").put("model", model)
            .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "stop")
              .put("delta", new JsonObject().put("content", "Fused."))))
            .put("usage", new JsonObject().put("prompt_tokens", 10).put("completion_tokens", 3).put("total_tokens", 13));
          request.response().putHeader("content-type", "text/event-stream")
            .end("data: " + chunk.encode() + "\n\ndata: [DONE]\n\n");
        } else {
          request.response().putHeader("content-type", "application/json").end(completion(model, "Fused."));
        }
        return;
      }
      memberCalls.incrementAndGet();
      mostMemberCallsAtOnce.accumulateAndGet(memberCallsNow.incrementAndGet(), Math::max);
      vertx.setTimer(MEMBER_DELAY_MS, t -> {
        memberCallsNow.decrementAndGet();
        request.response().putHeader("content-type", "application/json").end(completion(model, "Answer of " + model));
      });
    });
  }

  @Test
  void aNodeNeverRunsMoreMemberCallsThanItsCap() {
    WebClient web = openfusion.start(recipe(2)).client().web();
    List<Future<HttpResponse<Buffer>>> requests = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      requests.add(web.post("/v1/chat/completions").sendJsonObject(Client.chat("openfusion", "question " + i, false)));
    }
    for (HttpResponse<Buffer> response : Future.all(requests).await().<HttpResponse<Buffer>>list()) {
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      assertThat(response.bodyAsJsonObject().getJsonObject("usage").getInteger("prompt_tokens"))
        .as("three members and the judge were counted").isEqualTo(4 * 10);
    }
    assertThat(memberCalls).hasValue(12);
    assertThat(mostMemberCallsAtOnce.get()).isEqualTo(2);
  }

  @Test
  void withoutACapEveryMemberCallRunsAtOnce() {
    WebClient web = openfusion.start(recipe(0)).client().web();
    List<Future<HttpResponse<Buffer>>> requests = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      requests.add(web.post("/v1/chat/completions").sendJsonObject(Client.chat("openfusion", "question " + i, false)));
    }
    Future.all(requests).await();
    assertThat(mostMemberCallsAtOnce.get()).isGreaterThan(2);
  }

  private static OpenFusionConfig recipe(int panelCap) {
    String base = openfusion.upstream().baseUrl();
    List<UpstreamConfig> panel = List.of("m1", "m2", "m3").stream()
      .map(model -> new UpstreamConfig(base, "sk-test", model, model, Provider.OPENAI)).toList();
    return OpenFusionConfig.defaults().toBuilder()
      .strategy(Strategy.PANEL)
      .aggregator(Aggregator.JUDGE)
      .panel(panel)
      .judge(new io.openfusion.shared.config.JudgeConfig(new UpstreamConfig(base, "sk-test", "judge-m", "judge", Provider.OPENAI), 120_000))
      .workers(new WorkersConfig(panelCap, 0))
      .build();
  }

  private static String completion(String model, String content) {
    return new JsonObject().put("id", "c-1").put("object", "chat.completion").put("model", model)
      .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "stop")
        .put("message", new JsonObject().put("role", "assistant").put("content", content))))
      .put("usage", new JsonObject().put("prompt_tokens", 10).put("completion_tokens", 3).put("total_tokens", 13))
      .encode();
  }
}

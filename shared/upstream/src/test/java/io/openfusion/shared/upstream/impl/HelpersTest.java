package io.openfusion.shared.upstream.impl;

import io.openfusion.shared.upstream.UpstreamException;
import io.openfusion.shared.upstream.UpstreamException.Kind;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HelpersTest {

  @Test
  void endpointBuildsTheUrlAndAPrintableOrigin() {
    assertThat(Endpoint.of("https://openrouter.ai/api/v1"))
        .isEqualTo(new Endpoint("https://openrouter.ai/api/v1/chat/completions", "https://openrouter.ai:443"));
    assertThat(Endpoint.of(" http://user:pw@127.0.0.1:11434/v1/// "))
        .isEqualTo(new Endpoint("http://user:pw@127.0.0.1:11434/v1/chat/completions", "http://127.0.0.1:11434"));
    assertThat(Endpoint.of("http://h/openai/deployments/x?api-version=1").url())
        .isEqualTo("http://h/openai/deployments/x/chat/completions?api-version=1");
    assertThatThrownBy(() -> Endpoint.of("localhost:8080")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Endpoint.of("http:///nohost")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void durations() {
    assertThat(Durations.seconds(60_000)).isEqualTo("60");
    assertThat(Durations.seconds(59_987)).isEqualTo("60");
    assertThat(Durations.seconds(1_500)).isEqualTo("1.5");
    assertThat(Durations.seconds(399)).isEqualTo("0.4");
    assertThat(Durations.seconds(300)).isEqualTo("0.3");
    assertThat(Durations.seconds(2_000)).isEqualTo("2");
    assertThat(Durations.seconds(-5)).isEqualTo("0");
  }

  @Test
  void retryAfterSecondsDateAndMillisHeader() {
    long now = 1_700_000_000_000L;
    assertThat(RetryAfter.parse("2", now)).isEqualTo(2_000);
    assertThat(RetryAfter.parse(" 1.5 ", now)).isEqualTo(1_500);
    assertThat(RetryAfter.parse("-3", now)).isZero();
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.ofEpochMilli(now + 30_000).atZone(ZoneOffset.UTC));
    assertThat(RetryAfter.parse(date, now)).isEqualTo(30_000);
    assertThat(RetryAfter.parse("soon", now)).isEqualTo(-1);
    assertThat(RetryAfter.parse(null, now)).isEqualTo(-1);
    MultiMap h = MultiMap.caseInsensitiveMultiMap().add("Retry-After", "2");
    assertThat(RetryAfter.millis(429, h, now)).isEqualTo(2_000);
    assertThat(RetryAfter.millis(503, h, now)).isEqualTo(2_000);
    assertThat(RetryAfter.millis(500, h, now)).isEqualTo(-1);
    h.add("retry-after-ms", "250");
    assertThat(RetryAfter.millis(429, h, now)).isEqualTo(250);
  }

  @Test
  void httpErrorMessages() {
    assertThat(UpstreamErrors.http(401, "Unauthorized", Buffer.buffer("{\"error\":{\"message\":\"bad key\"}}"), -1, "k")
        .getMessage()).isEqualTo("Upstream error (401): bad key");
    assertThat(UpstreamErrors.http(404, "Not Found", Buffer.buffer("{\"error\":\"model 'x' not found\"}"), -1, null)
        .getMessage()).isEqualTo("Upstream error (404): model 'x' not found");
    assertThat(UpstreamErrors.http(400, "Bad Request", Buffer.buffer("{\"detail\":\"nope\"}"), -1, null)
        .getMessage()).isEqualTo("Upstream error (400): {\"detail\":\"nope\"}");
    UpstreamException e = UpstreamErrors.http(429, "Too Many", Buffer.buffer(), 2_000, null);
    assertThat(e.getMessage()).isEqualTo("Upstream error (429): Too Many");
    assertThat(e.kind()).isEqualTo(Kind.HTTP_STATUS);
    assertThat(e.retryAfterMillis()).isEqualTo(2_000);
    assertThat(e.getStackTrace()).isEmpty();
  }

  @Test
  void chunkTrackerParsesOnlyWhenUsageOrFinishReasonHasAValue() {
    assertThat(ChunkTracker.mentionsNonNull("{\"finish_reason\":null}", "\"finish_reason\"")).isFalse();
    assertThat(ChunkTracker.mentionsNonNull("{\"finish_reason\" : null, \"usage\": null}", "\"usage\"")).isFalse();
    assertThat(ChunkTracker.mentionsNonNull("{\"finish_reason\": \"stop\"}", "\"finish_reason\"")).isTrue();
    assertThat(ChunkTracker.mentionsNonNull("{\"content\":\"the word \\\"usage\\\" here\"}", "\"usage\"")).isFalse();
    assertThat(ChunkTracker.mentionsNonNull("{\"a\":null,\"usage\":{\"total_tokens\":1}}", "\"usage\"")).isTrue();

    ChunkTracker t = new ChunkTracker(null);
    assertThat(t.accept("{\"choices\":[{\"finish_reason\":null}],\"usage\":null}")).isTrue();
    assertThat(t.accept("  ")).isFalse();
    assertThat(t.accept("{\"choices\":[{\"index\":0,\"finish_reason\":\"tool_calls\"}]}")).isTrue();
    assertThat(t.accept("{\"choices\":[],\"usage\":{\"prompt_tokens\":2}}")).isTrue();
    assertThat(t.accept("{\"choices\":[{\"finish_reason\":null}]}")).isTrue();
    assertThat(t.result().finishReason()).isEqualTo("tool_calls");
    assertThat(t.result().usage()).isEqualTo(new JsonObject().put("prompt_tokens", 2));
    assertThat(t.result().chunks()).isEqualTo(4);
    assertThatThrownBy(() -> t.accept("[1]")).isInstanceOf(UpstreamException.class)
        .hasMessage("Invalid upstream SSE payload");
  }

  @Test
  void requestBodyStreamFlagIsFixedOnACopyOnly() {
    JsonObject body = new JsonObject().put("model", "m").put("stream", true);
    assertThat(RequestBodies.encode(body, true).toJsonObject()).isEqualTo(body);
    assertThat(RequestBodies.encode(body, false).toJsonObject().getBoolean("stream")).isFalse();
    JsonObject plain = new JsonObject().put("model", "m");
    assertThat(RequestBodies.encode(plain, true).toJsonObject().getBoolean("stream")).isTrue();
    assertThat(plain.containsKey("stream")).isFalse();
  }
}

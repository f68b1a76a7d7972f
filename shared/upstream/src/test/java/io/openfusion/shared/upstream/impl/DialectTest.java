package io.openfusion.shared.upstream.impl;

import io.openfusion.shared.config.Provider;
import io.openfusion.shared.sse.SseEvent;
import io.openfusion.shared.upstream.UpstreamCall;
import io.openfusion.shared.upstream.UpstreamException;
import io.openfusion.shared.upstream.UpstreamException.Kind;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DialectTest {

  private static final String KEY = "sk-ant-secret-123456";

  private static UpstreamCall call(Provider p, String key) {
    return new UpstreamCall("http://h/v1", key, new JsonObject(), Long.MAX_VALUE, null, "t", p);
  }

  @Test
  void providerPicksTheDialect() {
    assertThat(Dialect.of(Provider.OPENAI)).isSameAs(OpenAiDialect.INSTANCE);
    assertThat(Dialect.of(Provider.ANTHROPIC)).isSameAs(AnthropicDialect.INSTANCE);
    assertThat(Dialect.of(null)).isSameAs(OpenAiDialect.INSTANCE);
  }

  @Test
  void endpointPathFollowsTheDialect() {
    assertThat(Endpoint.of("https://api.anthropic.com/v1/", AnthropicDialect.INSTANCE.path()).url())
        .isEqualTo("https://api.anthropic.com/v1/messages");
    assertThat(Endpoint.of("http://h/v1?x=1", AnthropicDialect.INSTANCE.path()).url())
        .isEqualTo("http://h/v1/messages?x=1");
    assertThat(Endpoint.of("http://h/v1", OpenAiDialect.INSTANCE.path()).url())
        .isEqualTo("http://h/v1/chat/completions");
  }

  @Test
  void anthropicHeadersUseXApiKeyAndNeverAuthorization() {
    RequestOptions ro = new RequestOptions();
    AnthropicDialect.INSTANCE.headers(ro, call(Provider.ANTHROPIC, " " + KEY + " "));
    assertThat(ro.getHeaders().get("x-api-key")).isEqualTo(KEY);
    assertThat(ro.getHeaders().get("anthropic-version")).isEqualTo("2023-06-01");
    assertThat(ro.getHeaders().contains(HttpHeaders.AUTHORIZATION)).isFalse();

    RequestOptions noKey = new RequestOptions();
    AnthropicDialect.INSTANCE.headers(noKey, call(Provider.ANTHROPIC, null));
    assertThat(noKey.getHeaders().contains("x-api-key")).isFalse();

    RequestOptions openAi = new RequestOptions();
    OpenAiDialect.INSTANCE.headers(openAi, call(Provider.OPENAI, KEY));
    assertThat(openAi.getHeaders().get(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer " + KEY);
    assertThat(openAi.getHeaders().contains("x-api-key")).isFalse();
  }

  @Test
  void openAiEventsPassThroughAndDoneEnds() {
    EventTranslator events = OpenAiDialect.INSTANCE.events(call(Provider.OPENAI, KEY));
    assertThat(events.translate(new SseEvent(null, "{\"a\":1}", null)))
        .isEqualTo(new EventTranslator.Step(List.of("{\"a\":1}"), false, false));
    assertThat(events.translate(new SseEvent(null, "[DONE]", null)).done()).isTrue();
  }

  @Test
  void anthropicEventsMaskTheKeyInErrorEvents() {
    EventTranslator events = AnthropicDialect.INSTANCE.events(call(Provider.ANTHROPIC, KEY));
    String error = new JsonObject().put("type", "error").put("error", new JsonObject()
        .put("type", "api_error").put("message", "echo " + KEY + " " + "x".repeat(600))).encode();
    assertThatThrownBy(() -> events.translate(new SseEvent("error", error, null)))
        .isInstanceOfSatisfying(UpstreamException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.HTTP_STATUS);
          assertThat(e.status()).isEqualTo(500);
          assertThat(e.getMessage()).doesNotContain(KEY).startsWith("Upstream error (500): echo ***");
          assertThat(e.getMessage().length()).isLessThanOrEqualTo(UpstreamErrors.MAX_DETAIL_CHARS);
        });
  }

  @Test
  void anthropicEventsRejectNonJsonAndSkipBlankData() {
    EventTranslator events = AnthropicDialect.INSTANCE.events(call(Provider.ANTHROPIC, KEY));
    assertThat(events.translate(new SseEvent("ping", " ", null))).isEqualTo(EventTranslator.Step.NOTHING);
    assertThatThrownBy(() -> events.translate(new SseEvent("message_start", "{oops", null)))
        .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE));
  }

  @Test
  void anthropicRequestBodyIsTranslated() {
    JsonObject body = new JsonObject().put("model", "m").put("stop", "x")
        .put("messages", new io.vertx.core.json.JsonArray());
    JsonObject sent = AnthropicDialect.INSTANCE.requestBody(body, true).toJsonObject();
    assertThat(sent.getJsonArray("stop_sequences").getString(0)).isEqualTo("x");
    assertThat(sent.getBoolean("stream")).isTrue();
  }
}

package io.openfusion.shared.upstream;

import io.openfusion.shared.config.Provider;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamCallTest {

  @Test
  void sixArgumentConstructorMeansOpenAi() {
    UpstreamCall call = new UpstreamCall("http://h/v1", "k", new JsonObject(), 1L, null, "l");
    assertThat(call.provider()).isEqualTo(Provider.OPENAI);
    assertThat(new UpstreamCall("http://h/v1", "k", new JsonObject(), 1L, null, "l", null).provider())
        .isEqualTo(Provider.OPENAI);
  }

  @Test
  void withProviderKeepsEverythingElse() {
    UpstreamCall call = new UpstreamCall("http://h/v1", "k", new JsonObject().put("a", 1), 7L, null, "l");
    UpstreamCall anthropic = call.withProvider(Provider.ANTHROPIC);
    assertThat(anthropic).isEqualTo(new UpstreamCall("http://h/v1", "k", call.body(), 7L, null, "l",
        Provider.ANTHROPIC));
    assertThat(anthropic.withProvider(null).provider()).isEqualTo(Provider.OPENAI);
    assertThat(anthropic.toString()).contains("anthropic").doesNotContain("\"a\"");
  }
}

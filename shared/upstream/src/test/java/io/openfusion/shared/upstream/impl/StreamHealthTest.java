package io.openfusion.shared.upstream.impl;

import io.openfusion.shared.upstream.UpstreamException;
import io.openfusion.shared.upstream.UpstreamException.Kind;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-payload health check: what fails a call, what does not, and what the caller is told. */
class StreamHealthTest {

  private static final String KEY = "sk-live-abcdef123456";

  @Test
  void theWordErrorInContentOrANullErrorIsNoError() {
    ChunkTracker t = new ChunkTracker(KEY);
    assertThat(t.accept("{\"choices\":[{\"delta\":{\"content\":\"error\"},\"finish_reason\":null}]}")).isTrue();
    assertThat(t.accept("{\"choices\":[{\"delta\":{\"content\":\"an \\\"error\\\": none\"}}]}")).isTrue();
    assertThat(t.accept("{\"error\":null,\"choices\":[{\"delta\":{\"content\":\"x\"}}]}")).isTrue();
    assertThat(t.accept("{\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}],\"logprobs\":{\"error\":1}}")).isTrue();
    assertThat(t.chunks()).isEqualTo(4);
    assertThat(t.result().finishReason()).isEqualTo("stop");
  }

  @Test
  void aStringErrorFailsWithItsTextAndTheKeyMasked() {
    ChunkTracker t = new ChunkTracker(KEY);
    assertThatThrownBy(() -> t.accept("{\"error\":\"bad key " + KEY + "\"}"))
      .isInstanceOfSatisfying(UpstreamException.class, e -> {
        assertThat(e.kind()).isEqualTo(Kind.PROVIDER_ERROR);
        assertThat(e.getMessage()).isEqualTo("Upstream reported an error in its stream: bad key ***");
      });
  }

  @Test
  void aChoiceFinishedWithErrorFailsEvenWithoutAnErrorObject() {
    ChunkTracker t = new ChunkTracker(null);
    assertThatThrownBy(() -> t.accept("{\"choices\":[{\"delta\":{},\"finish_reason\":\"error\"}]}"))
      .hasMessage("Upstream reported an error in its stream: the answer finished with reason \"error\"");
  }

  @Test
  void aLongProviderMessageIsCut() {
    String message = "é".repeat(2_000);
    UpstreamException e = InBandErrors.ofCompletion(new JsonObject().put("error", new JsonObject().put("message", message)), null);
    assertThat(e.getMessage()).startsWith("Upstream reported an error in its answer: éé");
    assertThat(e.getMessage().length()).isLessThan(600);
  }

  @Test
  void anErrorEventWithoutJsonKeepsItsText() {
    assertThat(InBandErrors.ofErrorEvent("upstream went away", null).getMessage())
      .isEqualTo("Upstream reported an error in its stream: upstream went away");
    assertThat(InBandErrors.ofErrorEvent("", null).getMessage())
      .isEqualTo("Upstream reported an error in its stream: an error event without details");
    assertThat(InBandErrors.ofErrorEvent("{\"message\":\"plain\"}", null).getMessage())
      .isEqualTo("Upstream reported an error in its stream: plain");
  }

  @Test
  void aTopLevelUsageWinsOverGroqsAndNullUsageIsIgnored() {
    ChunkTracker t = new ChunkTracker(null);
    t.accept("{\"choices\":[],\"x_groq\":{\"usage\":{\"total_tokens\":5}}}");
    assertThat(t.result().usage()).isEqualTo(new JsonObject().put("total_tokens", 5));
    t.accept("{\"choices\":[],\"usage\":{\"total_tokens\":7}}");
    t.accept("{\"choices\":[],\"usage\":null,\"x_groq\":{\"usage\":{\"total_tokens\":9}}}");
    assertThat(t.result().usage()).isEqualTo(new JsonObject().put("total_tokens", 7));
  }
}

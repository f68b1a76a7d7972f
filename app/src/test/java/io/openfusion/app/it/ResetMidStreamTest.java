package io.openfusion.app.it;

import io.openfusion.app.testing.Client;
import io.openfusion.app.testing.HttpUpstream;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.Sse;
import io.openfusion.app.testing.Upstreams;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Provider;
import io.openfusion.shared.config.UpstreamConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An upstream whose connection drops mid-stream: the client gets what arrived, an error chunk and {@code [DONE]}. */
class ResetMidStreamTest {

  @RegisterExtension
  static final NodeExtension<HttpUpstream> openfusion = NodeExtension
    // one content chunk of a stream, then the connection closes
    .http(vertx -> request -> request.body().onSuccess(body -> {
      var response = request.response().setChunked(true).putHeader("content-type", "text/event-stream");
      response.write("data: " + Upstreams.chunk("m", new JsonObject().put("role", "assistant").put("content", "partial"), null).encode() + "\n\n");
      vertx.setTimer(100, t -> request.connection().close());
    }))
    .node(dropping -> OpenFusionConfig.builder()
      .panel(List.of(new UpstreamConfig(dropping.baseUrl(), "k", "m", null, Provider.OPENAI)))
      .passThrough(new UpstreamConfig(dropping.baseUrl(), "k", "m", null, Provider.OPENAI))
      .build())
    .build();

  @Test
  void theStreamEndsWithAnErrorChunkThenDone(Client client) {
    List<Sse.Frame> frames = Sse.parse(client.post("/v1/chat/completions", Client.chat("m", "q", true)).bodyAsString());

    assertThat(Sse.shape(frames)).containsExactly("content", "error:upstream_error", "[DONE]");
    assertThat(Sse.content(frames)).isEqualTo("partial");
  }
}

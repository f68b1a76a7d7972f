package io.openfusion.app.it;

import io.openfusion.app.node.Node;
import io.openfusion.app.testing.Client;
import io.openfusion.app.testing.Sse;
import io.openfusion.app.testing.TestNodes;
import io.openfusion.app.testing.Upstreams;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Provider;
import io.openfusion.shared.config.UpstreamConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** An upstream whose connection drops mid-stream: the client gets what arrived, an error chunk and {@code [DONE]}. */
class ResetMidStreamTest {

  private static Vertx vertx;
  private static HttpServer dropping;
  private static Node node;
  private static Client client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    dropping = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
      var response = request.response().setChunked(true).putHeader("content-type", "text/event-stream");
      response.write("data: " + Upstreams.chunk("m", new JsonObject().put("role", "assistant").put("content", "partial"), null).encode() + "\n\n");
      vertx.setTimer(100, t -> request.connection().close());
    })).listen(0, "127.0.0.1").await();
    String url = "http://127.0.0.1:" + dropping.actualPort() + "/v1";
    OpenFusionConfig config = OpenFusionConfig.builder()
      .panel(List.of(new UpstreamConfig(url, "k", "m", null, Provider.OPENAI)))
      .passThrough(new UpstreamConfig(url, "k", "m", null, Provider.OPENAI))
      .build();
    node = TestNodes.start(config);
    client = new Client(node.httpPort());
  }

  @AfterAll
  static void stop() {
    client.close();
    node.close().await();
    vertx.close().await();
  }

  @Test
  void theStreamEndsWithAnErrorChunkThenDone() {
    List<Sse.Frame> frames = Sse.parse(client.post("/v1/chat/completions", Client.chat("m", "q", true)).bodyAsString());

    assertThat(Sse.shape(frames)).containsExactly("content", "error:upstream_error", "[DONE]");
    assertThat(Sse.content(frames)).isEqualTo("partial");
  }
}

package io.openfusion.bench.perf;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The JVM and the Node fake upstream answer alike, so `perf --fake-runtime` changes only what the answers cost. */
class FakeUpstreamRuntimesTest {

  private static final FakeUpstreamOptions OPTIONS = new FakeUpstreamOptions("127.0.0.1", 0, 5, 1, 4, 5, 0, 500, 1, 42);

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void bothRuntimesStreamTheSameChunksAndUsage() throws Exception {
    try (FakeUpstreamProcess jvm = FakeUpstreamProcess.start(OPTIONS, "-Xmx64m", dir.resolve("jvm.log"));
         FakeUpstreamProcess node = FakeUpstreamProcess.startNode(OPTIONS, dir.resolve("node.log"))) {
      String request = new JsonObject().put("model", "fake/m").put("stream", true)
        .put("stream_options", new JsonObject().put("include_usage", true))
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();

      List<JsonObject> fromJvm = events(post(jvm, request));
      List<JsonObject> fromNode = events(post(node, request));

      assertThat(fromNode).isEqualTo(fromJvm);
      assertThat(fromNode).hasSize(OPTIONS.tokens() + 2);
      assertThat(fromNode.get(0).getJsonArray("choices").getJsonObject(0).getJsonObject("delta").getString("role"))
        .isEqualTo("assistant");
      assertThat(fromNode.get(fromNode.size() - 1).getJsonObject("usage").getInteger("completion_tokens"))
        .isEqualTo(OPTIONS.tokens());
    }
  }

  @Test
  void bothRuntimesAnswerTheSameCompletion() throws Exception {
    try (FakeUpstreamProcess jvm = FakeUpstreamProcess.start(OPTIONS, "-Xmx64m", dir.resolve("jvm.log"));
         FakeUpstreamProcess node = FakeUpstreamProcess.startNode(OPTIONS, dir.resolve("node.log"))) {
      String request = new JsonObject().put("model", "fake/m")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi"))).encode();

      JsonObject fromJvm = new JsonObject(post(jvm, request));
      JsonObject fromNode = new JsonObject(post(node, request));

      assertThat(fromNode).isEqualTo(fromJvm);
      assertThat(fromNode.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
        .isEqualTo("Fusion answers are simulated ");
    }
  }

  private String post(FakeUpstreamProcess fake, String body) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(fake.baseUrl() + "/chat/completions"))
      .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
      HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** The data payloads of an SSE body, which must end with [DONE]. */
  private static List<JsonObject> events(String sse) {
    List<JsonObject> events = new ArrayList<>();
    String[] blocks = sse.split("\n\n");
    assertThat(blocks[blocks.length - 1]).isEqualTo("data: [DONE]");
    for (int i = 0; i < blocks.length - 1; i++) {
      assertThat(blocks[i]).startsWith("data: ");
      events.add(new JsonObject(blocks[i].substring("data: ".length())));
    }
    return events;
  }
}

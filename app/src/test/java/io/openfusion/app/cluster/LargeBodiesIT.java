package io.openfusion.app.cluster;

import io.openfusion.app.testing.HttpUpstream;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request bodies near {@code server.max_body_mb} (20 MB: an image sent inline) against a node run from the jar with
 * the heap {@code ./openfusion} gives it, its upstream a fake in this JVM. One at a time, each is fused; several at
 * once, the node takes them in turn (what would wait too long gets 503 and {@code Retry-After}); it never runs out of
 * memory, and small requests go on being served throughout.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class LargeBodiesIT {

  /** Base64 of 14.5 MiB of random bytes: a request body of about 19.5 MB, just under the default limit. */
  private static final String IMAGE = "data:image/png;base64," + Base64.getEncoder().encodeToString(random(14_500_000));

  @TempDir
  Path dir;

  private HttpUpstream upstream;
  private final AtomicLong upstreamBytes = new AtomicLong();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeEach
  void startUpstream() {
    upstream = HttpUpstream.start(vertx -> this::answer);
  }

  @AfterEach
  void stopUpstream() {
    upstream.stop();
  }

  @Test
  void largeBodiesAreFusedOneAfterAnotherAndQueuedOrRefusedTogetherWithoutRunningOutOfMemory() throws Exception {
    Files.writeString(dir.resolve("node.yaml"), """
      panel:
        - {label: a, base_url: "%1$s", api_key: k, model: fake/a}
        - {label: b, base_url: "%1$s", api_key: k, model: fake/b}
        - {label: c, base_url: "%1$s", api_key: k, model: fake/c}
      judge: {base_url: "%1$s", api_key: k, model: fake/judge}
      """.formatted(upstream.baseUrl()));
    try (NodeProcess node = NodeProcess.serveJar("large", dir, List.of("--config", dir.resolve("node.yaml").toString(),
      "--host", "127.0.0.1", "--port", "0"))) {
      int port = node.awaitHttpPort();
      byte[] large = chat(IMAGE).getBytes(StandardCharsets.UTF_8);
      assertThat(large.length).isBetween(19_000_000, 20 * 1024 * 1024);

      for (int i = 0; i < 3; i++) {
        HttpResponse<String> one = post(port, large);
        assertThat(one.statusCode()).as("body %d alone: %s; node log:%n%s", i, one.body(), node.log()).isEqualTo(200);
        // the JDK client asks to upgrade to HTTP/2 over plain TCP; the node keeps it on HTTP/1.1, where admission
        // holds a waiting body back unread (an upgrade request is read whole before any route sees it)
        assertThat(one.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(new JsonObject(one.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
          .getString("content")).isEqualTo("a picture");
      }
      // each of the 3 members got the image, each time
      assertThat(upstreamBytes.get()).isGreaterThan(3L * 3 * 19_000_000);

      List<CompletableFuture<HttpResponse<String>>> together = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        together.add(http.sendAsync(request(port, large), HttpResponse.BodyHandlers.ofString()));
      }
      HttpResponse<String> small = post(port, chat("a small question").getBytes(StandardCharsets.UTF_8));
      assertThat(small.statusCode()).as("a small request while large ones are held").isEqualTo(200);
      List<HttpResponse<String>> answers = together.stream().map(CompletableFuture::join).toList();

      assertThat(answers).extracting(HttpResponse::statusCode).as("%s", answers.stream().map(HttpResponse::body).toList())
        .allMatch(status -> status == 200 || status == 503).contains(200);
      answers.stream().filter(answer -> answer.statusCode() == 503).forEach(refused -> {
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(new JsonObject(refused.body()).getJsonObject("error").getString("code")).isEqualTo("server_overloaded");
      });
      assertThat(post(port, large).statusCode()).as("a large body once the others are done").isEqualTo(200);
      assertThat(node.log()).doesNotContain("OutOfMemoryError");
      assertThat(node.alive()).isTrue();
    }
  }

  /** Reads the whole body, then answers as an OpenAI-compatible provider would: streamed when asked to be. */
  private void answer(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      upstreamBytes.addAndGet(body.length());
      String model = "fake";
      if ("text/event-stream".equals(request.getHeader("Accept"))) {
        JsonObject chunk = new JsonObject().put("id", "c1").put("object", "chat.completion.chunk").put("model", model)
          .put("choices", new JsonArray().add(new JsonObject().put("index", 0)
            .put("delta", new JsonObject().put("content", "a picture")).putNull("finish_reason")));
        JsonObject last = new JsonObject().put("id", "c1").put("object", "chat.completion.chunk").put("model", model)
          .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", new JsonObject())
            .put("finish_reason", "stop")))
          .put("usage", new JsonObject().put("prompt_tokens", 5).put("completion_tokens", 2).put("total_tokens", 7));
        request.response().putHeader("content-type", "text/event-stream")
          .end("data: " + chunk.encode() + "\n\ndata: " + last.encode() + "\n\ndata: [DONE]\n\n");
      } else {
        request.response().putHeader("content-type", "application/json").end(new JsonObject().put("id", "c1")
          .put("object", "chat.completion").put("model", model)
          .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", "stop")
            .put("message", new JsonObject().put("role", "assistant").put("content", "a picture"))))
          .put("usage", new JsonObject().put("prompt_tokens", 5).put("completion_tokens", 2).put("total_tokens", 7))
          .encode());
      }
    });
  }

  private HttpResponse<String> post(int port, byte[] body) throws Exception {
    return http.send(request(port, body), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpRequest request(int port, byte[] body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
      .timeout(Duration.ofSeconds(90)).header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  private static String chat(String imageOrQuestion) {
    JsonArray content = new JsonArray().add(new JsonObject().put("type", "text").put("text", "What is in it?"));
    if (imageOrQuestion.startsWith("data:")) {
      content.add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject().put("url", imageOrQuestion)));
    } else {
      content = new JsonArray().add(new JsonObject().put("type", "text").put("text", imageOrQuestion));
    }
    return new JsonObject().put("model", "openfusion")
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", content))).encode();
  }

  private static byte[] random(int size) {
    byte[] bytes = new byte[size];
    new Random(7).nextBytes(bytes);
    return bytes;
  }
}

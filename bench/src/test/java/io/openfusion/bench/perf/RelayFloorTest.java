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
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bare relay of {@code perf --targets relay} is a floor only if it does the pass-through's job: the client gets the
 * upstream's bytes, status and content type, streamed or not. Started as the harness starts it, in a JVM of its own.
 */
class RelayFloorTest {

  private static final FakeUpstreamOptions OPTIONS = new FakeUpstreamOptions("127.0.0.1", 0, 5, 1, 4, 5, 0, 500, 1, 42);

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void theRelayHandsOnTheUpstreamsBytesStreamedOrNot() throws Exception {
    try (FakeUpstreamProcess fake = FakeUpstreamProcess.start(OPTIONS, "-Xmx64m", dir.resolve("fake.log"))) {
      int port = ProxyProcess.freePort();
      try (ProxyProcess relay = ProxyProcess.startMain("-Xmx64m", RelayFloorMain.class.getName(),
        List.of("127.0.0.1", Integer.toString(fake.port()), Integer.toString(port), "2"), port, dir.resolve("relay.log"))) {
        relay.awaitHealthy(Duration.ofSeconds(60));
        String relayUrl = "http://127.0.0.1:" + port + "/v1";
        for (boolean stream : new boolean[] {true, false}) {
          JsonObject request = new JsonObject().put("model", "fake/pt").put("stream", stream)
            .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
          if (stream) {
            request.put("stream_options", new JsonObject().put("include_usage", true));
          }

          HttpResponse<String> direct = post(fake.baseUrl(), request.encode());
          HttpResponse<String> relayed = post(relayUrl, request.encode());

          assertThat(relayed.statusCode()).isEqualTo(direct.statusCode()).isEqualTo(200);
          assertThat(relayed.headers().firstValue("content-type")).isEqualTo(direct.headers().firstValue("content-type"));
          assertThat(relayed.body()).isEqualTo(direct.body());
          assertThat(relayed.body()).contains(stream ? "data: [DONE]" : "\"chat.completion\"");
        }
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
      }
    }
  }

  @Test
  void aPassThroughRowIsSetAgainstTheRelayOfItsFormatAndConcurrency() {
    Map<String, PerfReport.Cell> cells = PerfReport.cells(List.of(
      CpuAccountingTest.run("relay", "sse", 256, 1000, 600, 400), CpuAccountingTest.run("passthrough", "sse", 256, 1000, 900, 400),
      CpuAccountingTest.run("passthrough", "json", 256, 1000, 200, 60), CpuAccountingTest.run("fusion", "sse", 256, 1000, 3000, 900)));

    assertThat(CpuAccounting.relayFloor(cells.values(), cells.get(PerfReport.key("passthrough", "sse", 256))))
      .extracting(PerfReport.Cell::target).isEqualTo("relay");
    assertThat(CpuAccounting.relayFloor(cells.values(), cells.get(PerfReport.key("passthrough", "json", 256)))).isNull();
    assertThat(CpuAccounting.relayFloor(cells.values(), cells.get(PerfReport.key("fusion", "sse", 256)))).isNull();
    assertThat(CpuAccounting.render(cells.values()))
      .contains("| relay | sse | 256 | 600 µs | 400 µs | **1.50**")
      .contains("passthrough sse c=256 over the bare relay: 1.50 x its CPU per request (900 vs 600 µs)")
      .doesNotContain("passthrough json c=256 over the bare relay");
  }

  private HttpResponse<String> post(String baseUrl, String body) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
      .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
      HttpResponse.BodyHandlers.ofString());
  }
}

package io.openfusion.app.cluster;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code openfusion serve --demo}, alone and clustered, in a JVM of its own with the product's built-in logging:
 * its output is a file, so the log lines are JSON. A clean start prints the start-up summary and INFO lines only:
 * no WARN, no ERROR, no stack trace. A request's telemetry lines then carry its request id. The lone node runs from
 * the runnable jar, as users run it: what the jar leaves out (a logging backend, a service file) shows only there.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CleanStartIT {

  @TempDir
  Path dir;

  @Test
  void aDemoNodeStartsQuietlyAndLogsJsonWithRequestIds() throws Exception {
    try (NodeProcess node = NodeProcess.serveJar("demo", dir, List.of("--demo", "--host", "127.0.0.1", "--port", "0"))) {
      int port = node.awaitHttpPort();

      assertCleanStart(node.log());
      String requestId = "clean-start-" + UUID.randomUUID();
      assertThat(chat(port, requestId)).isEqualTo(200);
      List<JsonObject> calls = awaitLines(node, line -> requestId.equals(line.getString("request_id"))
        && "upstream_call".equals(line.getString("event")), 4);
      assertThat(calls).extracting(line -> line.getString("phase")).containsOnly("panel", "judge");
      assertThat(calls).allSatisfy(line -> {
        assertThat(line.getString("logger")).isEqualTo("openfusion.upstream");
        assertThat(line.getString("outcome")).isEqualTo("success");
        assertThat(line.getLong("latency_ms")).isNotNegative();
      });
      assertThat(awaitLines(node, line -> requestId.equals(line.getString("request_id"))
        && "request".equals(line.getString("event")), 1)).singleElement()
        .satisfies(line -> assertThat(line.getString("route")).isEqualTo("fusion"));
      assertCleanStart(node.log());
    }
  }

  @Test
  void aClusteredDemoNodeStartsQuietly() throws Exception {
    // Hazelcast's ports stay below Linux's ephemeral range (32768 and up), where port-0 listeners and client sockets land
    int hazelcastPort = 24_000 + ThreadLocalRandom.current().nextInt(0, 900);
    try (NodeProcess node = NodeProcess.serve("cluster", dir, List.of("--demo", "--host", "127.0.0.1", "--port", "0",
      "--cluster", "--cluster-name", "openfusion-clean-" + UUID.randomUUID(), "--cluster-port", String.valueOf(hazelcastPort),
      "--cluster-members", "127.0.0.1", "--cluster-host", "127.0.0.1"))) {
      node.awaitHttpPort();
      // Hazelcast settles a moment after the node reports it is up
      Thread.sleep(2_000);

      assertCleanStart(node.log());
    }
  }

  /** Every line is the start-up summary or a JSON log line at INFO; no line is part of a stack trace. */
  private static void assertCleanStart(String output) {
    List<JsonObject> logLines = new ArrayList<>();
    for (String line : output.lines().toList()) {
      assertThat(line).as("a stack trace line in:\n" + output).doesNotStartWith("\tat ").doesNotContain("Exception");
      if (line.startsWith("{")) {
        logLines.add(json(line));
      } else {
        assertThat(line).as("a line that is neither JSON nor the start-up summary in:\n" + output)
          .matches("openfusion is starting|  .*");
        assertThat(line).as("a warning in the start-up summary:\n" + output).doesNotStartWith("  !");
      }
    }
    assertThat(logLines).as("the JSON log lines of:\n" + output).isNotEmpty().allSatisfy(line -> {
      assertThat(line.fieldNames()).contains("timestamp", "level", "logger", "thread", "message");
      assertThat(line.getString("level")).isEqualTo("INFO");
    });
  }

  private static JsonObject json(String line) {
    try {
      return new JsonObject(line);
    } catch (DecodeException e) {
      throw new AssertionError("not one JSON object: " + line, e);
    }
  }

  private static List<JsonObject> awaitLines(NodeProcess node, Predicate<JsonObject> wanted, int count)
    throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    List<JsonObject> found = List.of();
    while (System.currentTimeMillis() < deadline) {
      found = node.log().lines().filter(line -> line.startsWith("{")).map(CleanStartIT::json).filter(wanted).toList();
      if (found.size() >= count) {
        return found;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("expected " + count + " lines, found " + found + " in:\n" + node.log());
  }

  private static int chat(int port, String requestId) throws Exception {
    String body = new JsonObject().put("model", "openfusion")
      .put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", "user").put("content", "Hello?")))
      .encode();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
      .timeout(Duration.ofSeconds(60))
      .header("Content-Type", "application/json")
      .header("X-Request-Id", requestId)
      .POST(HttpRequest.BodyPublishers.ofString(body))
      .build();
    HttpClient client = HttpClient.newHttpClient();
    return client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}

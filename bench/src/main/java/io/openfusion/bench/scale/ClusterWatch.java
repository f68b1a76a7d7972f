package io.openfusion.bench.scale;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The api node's view of the cluster ({@code GET /v1/cluster}): how many nodes have announced the panel role. A node
 * lists its roles only once its workers are deployed, so a counted panel node can take calls.
 */
final class ClusterWatch {

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(2)).build();
  private final URI uri;

  ClusterWatch(int apiPort) {
    this.uri = URI.create("http://127.0.0.1:" + apiPort + "/v1/cluster");
  }

  /** Panel nodes the api node sees now, or -1 when it does not answer. */
  int panelNodes() throws InterruptedException {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? countPanelNodes(new JsonObject(r.body())) : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * Polls every 250 ms until at least {@code expected} panel nodes are listed.
   *
   * @param diagnostics what to add to the failure (node logs)
   * @return milliseconds waited
   */
  long awaitPanelNodes(int expected, Duration timeout, Supplier<String> diagnostics) throws InterruptedException {
    long start = System.nanoTime();
    long end = start + timeout.toNanos();
    int seen = -1;
    while (System.nanoTime() < end) {
      seen = panelNodes();
      if (seen >= expected) {
        return (System.nanoTime() - start) / 1_000_000;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("the api node listed " + seen + " panel node(s), not " + expected + ", after "
      + timeout.toSeconds() + " s\n" + diagnostics.get());
  }

  /** Nodes in a {@code /v1/cluster} answer whose announced roles include {@code panel}. */
  static int countPanelNodes(JsonObject view) {
    JsonArray nodes = view.getJsonArray("nodes", new JsonArray());
    int count = 0;
    for (Object o : nodes) {
      if (o instanceof JsonObject node && node.getJsonArray("roles", new JsonArray()).contains("panel")) {
        count++;
      }
    }
    return count;
  }
}

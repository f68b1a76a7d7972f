package io.openfusion.bench.soak;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One reading of a node's {@code /metrics}: the gauges of what it holds per request, which must come back to 0 when it
 * is idle and must never grow with uptime, the cluster maps it owns and its heap.
 *
 * @param values gauge name (with its distinguishing label) to value
 * @param maps   cluster map name to the entries this node owns
 */
record NodeGauges(Map<String, Double> values, Map<String, Double> maps) {

  /** The per-request gauges, in report order: series name and the label that tells apart its rows. */
  static final List<String[]> PER_REQUEST = List.of(
    new String[] {"openfusion_api_streams", null},
    new String[] {"openfusion_api_in_flight", null},
    new String[] {"openfusion_router_runs", null},
    new String[] {"openfusion_router_member_calls", null},
    new String[] {"openfusion_bus_streams", null},
    new String[] {"openfusion_cancel_signals", "role=\"router\""},
    new String[] {"openfusion_cancel_signals", "role=\"panel\""},
    new String[] {"openfusion_cancel_signals", "role=\"judge\""},
    new String[] {"openfusion_worker_calls", "role=\"panel\",state=\"running\""},
    new String[] {"openfusion_worker_calls", "role=\"panel\",state=\"waiting\""},
    new String[] {"openfusion_worker_calls", "role=\"judge\",state=\"running\""});

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
    .connectTimeout(Duration.ofSeconds(2)).build();

  /** @return the node's gauges, or null when it does not answer */
  static NodeGauges scrape(int port) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? parse(response.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  static NodeGauges parse(String text) {
    Map<String, Double> values = new LinkedHashMap<>();
    for (String[] gauge : PER_REQUEST) {
      values.put(key(gauge), sum(text, gauge[0], gauge[1]));
    }
    values.put("jvm_heap_used_mb", sum(text, "jvm_memory_used_bytes", "area=\"heap\"") / (1024 * 1024));
    Map<String, Double> maps = new TreeMap<>();
    text.lines().filter(line -> line.startsWith("openfusion_cluster_map_entries{")).forEach(line -> {
      int at = line.indexOf("map=\"");
      String map = line.substring(at + 5, line.indexOf('"', at + 5));
      maps.merge(map, value(line), Double::sum);
    });
    return new NodeGauges(values, maps);
  }

  static String key(String[] gauge) {
    return gauge[1] == null ? gauge[0] : gauge[0] + "{" + gauge[1] + "}";
  }

  /** The sum of a series over the lines that carry {@code labels} (all of them when null). */
  private static double sum(String text, String name, String labels) {
    return text.lines()
      .filter(line -> line.startsWith(name + "{") || line.startsWith(name + " "))
      .filter(line -> labels == null || line.contains(labels))
      .mapToDouble(NodeGauges::value).filter(v -> !Double.isNaN(v)).sum();
  }

  private static double value(String line) {
    String[] fields = line.trim().split("\\s+");
    try {
      return Double.parseDouble(fields[fields.length - 1]);
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** The sum of the per-request gauges: 0 exactly when the node holds nothing for any request. */
  double perRequestTotal() {
    return PER_REQUEST.stream().mapToDouble(g -> values.getOrDefault(key(g), 0.0)).sum();
  }

  double mapEntries() {
    return maps.values().stream().mapToDouble(Double::doubleValue).sum();
  }
}

package io.openfusion.bench.bodies;

import io.openfusion.bench.common.Args;
import io.openfusion.bench.common.FakeRecipe;
import io.openfusion.bench.common.Proc;
import io.openfusion.bench.common.RepoPaths;
import io.openfusion.bench.perf.FakeUpstreamOptions;
import io.openfusion.bench.perf.FakeUpstreamProcess;
import io.openfusion.bench.perf.ProxyProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * How much heap a request body near {@code server.max_body_mb} needs. For each heap size, a fresh proxy (the
 * {@code ./openfusion} flags with that {@code -Xmx}) and a fake upstream in a JVM of its own; the proxy gets
 * {@code --sequential} fusions (or pass-throughs) with an inline image of {@code --body-mb}, one after another, then
 * {@code --concurrent} at once. Per heap: the answers' statuses, the proxy's out-of-memory errors, its peak RSS and
 * its RSS {@code --settle-s} after the last answer. Results: Markdown on stdout, {@code results.md} and
 * {@code results.json} in {@code --out}.
 */
public final class BodiesBench {

  static final Set<String> OPTIONS = Set.of("heaps", "body-mb", "sequential", "concurrent", "model", "proxy-jar",
    "jvm", "settle-s", "out", "help");

  private BodiesBench() {
  }

  public static void main(String[] argv) throws Exception {
    Args args = Args.parse(argv);
    if (args.flag("help")) {
      System.out.println("""
        bench bodies [--heaps 64,80,96,112] [--body-mb 19.5] [--sequential 6] [--concurrent 4]
                     [--model openfusion|fake/pt] [--jvm "-XX:TrimNativeHeapInterval=5000"] [--settle-s 10]
                     [--proxy-jar app/target/openfusion.jar] [--out bench/results/bodies]""");
      return;
    }
    args.checkKnown(OPTIONS);
    List<Integer> heaps = args.integers("heaps", List.of(64, 80, 96, 112));
    double bodyMb = args.number("body-mb", 19.5);
    int sequential = args.integer("sequential", 6);
    int concurrent = args.integer("concurrent", 4);
    String model = args.string("model", FakeRecipe.FUSION_MODEL);
    String jvm = args.string("jvm", "-XX:TrimNativeHeapInterval=5000");
    long settleMs = args.integer("settle-s", 10) * 1000L;
    Path jar = RepoPaths.resolve(args.string("proxy-jar", "app/target/openfusion.jar"));
    Path out = RepoPaths.resolve(args.string("out", "bench/results/bodies"));
    Files.createDirectories(out);

    byte[] body = body(model, bodyMb);
    System.out.printf("[bodies] %.1f MB bodies, model %s, heaps %s%n", body.length / 1e6, model, heaps);
    List<JsonObject> rows = new ArrayList<>();
    for (int heap : heaps) {
      rows.add(run(heap, jvm, jar, out, body, sequential, concurrent, settleMs));
      System.out.println("[bodies] " + rows.get(rows.size() - 1).encode());
    }
    String report = report(rows, body.length, model, jvm, sequential, concurrent, settleMs);
    System.out.println(report);
    Files.writeString(out.resolve("results.md"), report);
    Files.writeString(out.resolve("results.json"), new JsonObject().put("body_bytes", body.length).put("model", model)
      .put("jvm", jvm).put("rows", new JsonArray(rows)).encodePrettily());
  }

  private static JsonObject run(int heap, String jvm, Path jar, Path out, byte[] body, int sequential, int concurrent,
                                long settleMs) throws Exception {
    // a fake that is never the bottleneck: its heap takes several bodies at once
    FakeUpstreamOptions fakeOptions = new FakeUpstreamOptions("127.0.0.1", 0, 20, 5, 5, -1, 0, 500, 1, 42);
    try (FakeUpstreamProcess fake = FakeUpstreamProcess.start(fakeOptions, "-Xmx2g", out.resolve("fake-" + heap + ".log"))) {
      Path config = out.resolve("proxy.yaml");
      Files.writeString(config, FakeRecipe.yaml("bench bodies", fake.baseUrl(), 3, "fake/pt").toString());
      int port = ProxyProcess.freePort();
      Path log = out.resolve("proxy-xmx" + heap + ".log");
      try (ProxyProcess proxy = ProxyProcess.start(jar, "-Xmx" + heap + "m " + jvm, config, port, List.of(), log)) {
        proxy.awaitHealthy(Duration.ofSeconds(60));
        AtomicLong peakKb = new AtomicLong(Proc.rssKb(proxy.pid()));
        Thread sampler = new Thread(() -> {
          while (!Thread.currentThread().isInterrupted()) {
            peakKb.accumulateAndGet(Proc.rssKb(proxy.pid()), Math::max);
            try {
              Thread.sleep(100);
            } catch (InterruptedException e) {
              return;
            }
          }
        }, "bodies-rss");
        sampler.setDaemon(true);
        sampler.start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<String> alone = new ArrayList<>();
        for (int i = 0; i < sequential; i++) {
          alone.add(status(http.sendAsync(request(port, body), HttpResponse.BodyHandlers.ofString())));
        }
        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < concurrent; i++) {
          sent.add(http.sendAsync(request(port, body), HttpResponse.BodyHandlers.ofString()));
        }
        List<String> together = sent.stream().map(BodiesBench::status).toList();
        Thread.sleep(settleMs);
        sampler.interrupt();
        long settledKb = Proc.rssKb(proxy.pid());
        long ooms = Files.readAllLines(log).stream().filter(line -> line.contains("OutOfMemoryError")).count();
        return new JsonObject().put("heap_mb", heap).put("sequential", new JsonArray(alone))
          .put("concurrent", new JsonArray(together)).put("out_of_memory_lines", ooms)
          .put("peak_rss_mb", peakKb.get() / 1024).put("settled_rss_mb", settledKb / 1024).put("alive", proxy.alive());
      }
    }
  }

  /**
   * The status ("error" when a 200 carried an error chunk, marked when the answer names an out-of-memory failure), or
   * "timeout" / "failed" when there was no answer.
   */
  private static String status(CompletableFuture<HttpResponse<String>> sent) {
    try {
      HttpResponse<String> response = sent.join();
      String status = response.statusCode() == 200 && response.body().contains("\"error\"") ? "error"
        : Integer.toString(response.statusCode());
      // a member call that ran out of memory fails that member, and the answer names it
      return response.body().contains("OutOfMemoryError") ? status + " (out of memory)" : status;
    } catch (RuntimeException e) {
      return e.getCause() instanceof java.net.http.HttpTimeoutException ? "timeout" : "failed";
    }
  }

  private static HttpRequest request(int port, byte[] body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
      .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
      .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
  }

  /** A chat request whose image, base64 in a data URL, makes the whole body about {@code mb} MB. */
  static byte[] body(String model, double mb) {
    byte[] image = new byte[(int) (mb * 1_000_000 * 3 / 4)];
    new Random(7).nextBytes(image);
    JsonArray content = new JsonArray().add(new JsonObject().put("type", "text").put("text", "What is in it?"))
      .add(new JsonObject().put("type", "image_url").put("image_url", new JsonObject()
        .put("url", "data:image/png;base64," + Base64.getEncoder().encodeToString(image))));
    return new JsonObject().put("model", model)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", content)))
      .encode().getBytes(StandardCharsets.UTF_8);
  }

  private static String report(List<JsonObject> rows, int bodyBytes, String model, String jvm, int sequential,
                               int concurrent, long settleMs) {
    StringBuilder md = new StringBuilder("## Request bodies of " + String.format("%.1f", bodyBytes / 1e6) + " MB ("
      + model + ")\n\n" + sequential + " one after another, then " + concurrent + " at once, per proxy heap; proxy JVM `-Xmx<heap> "
      + jvm + "`. Statuses: 200, 503 (`server_overloaded`, waited too long for the bodies ahead), 500 (failed, e.g."
      + " out of memory), 502 (every member failed; \"out of memory\" when the answer says a member call ran out of"
      + " memory), error (an error chunk in a 200), timeout (60 s). RSS settled = " + settleMs / 1000
      + " s after the last answer. " + Proc.machine() + ", load " + Proc.loadAverage() + ".\n\n"
      + "| heap | one at a time | at once | out-of-memory lines | peak RSS | settled RSS |\n|---:|---|---|---:|---:|---:|\n");
    for (JsonObject row : rows) {
      md.append("| ").append(row.getInteger("heap_mb")).append(" MB | ").append(counts(row.getJsonArray("sequential")))
        .append(" | ").append(counts(row.getJsonArray("concurrent"))).append(" | ")
        .append(row.getLong("out_of_memory_lines")).append(" | ").append(row.getLong("peak_rss_mb")).append(" MB | ")
        .append(row.getLong("settled_rss_mb")).append(" MB |\n");
    }
    return md.toString();
  }

  private static String counts(JsonArray statuses) {
    return statuses.stream().map(Object::toString).collect(Collectors.groupingBy(s -> s, java.util.TreeMap::new,
      Collectors.counting())).entrySet().stream().map(e -> e.getValue() + "× " + e.getKey())
      .collect(Collectors.joining(", "));
  }
}

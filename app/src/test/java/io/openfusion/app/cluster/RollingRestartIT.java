package io.openfusion.app.cluster;

import io.openfusion.app.testing.Sse;
import io.openfusion.shared.config.ClusterSettings;
import io.openfusion.shared.demo.DemoOptions;
import io.openfusion.shared.demo.DemoProvider;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rolling update under load loses no request. Two api nodes (api, router, judge) and two panel nodes, each a JVM
 * of its own; clients keep streamed and non-streamed fusions and pass-throughs going against both api nodes while
 * every node in turn is replaced the way an orchestrator does it: the new node starts and joins, then the old one gets
 * SIGTERM. A 503 {@code shutting_down} (or a refused connection) means the request was never accepted, and the client
 * tries the next api node, as a load balancer would; every request an api node did accept must complete, with a full
 * answer.
 */
@Tag("cluster")
@Timeout(value = 540, unit = TimeUnit.SECONDS)
class RollingRestartIT {

  private static final int CLIENTS = 8;
  /** A bound on the load, whatever happens: no loop runs past it. */
  private static final int MAX_REQUESTS = 4_000;
  private static final long STOP_TIMEOUT_MS = 45_000;

  @TempDir
  static Path dir;
  private static Vertx vertx;
  private static DemoProvider provider;
  private static Path configFile;
  private static ClusterSettings cluster;
  private static WebClient web;
  private static final List<NodeProcess> nodes = new ArrayList<>();
  /** The api ports clients spread their requests over, as a load balancer's backends. */
  private static final List<Integer> backends = new CopyOnWriteArrayList<>();
  private static final Map<Integer, NodeProcess> apiNodes = new ConcurrentHashMap<>();

  private final AtomicBoolean loading = new AtomicBoolean(true);
  private final AtomicInteger sent = new AtomicInteger();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong refusedShuttingDown = new AtomicLong();
  private final AtomicLong refusedConnection = new AtomicLong();
  private final Map<String, AtomicLong> completedByKind = new ConcurrentHashMap<>();
  private final List<String> lost = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    // members answer after 400 ms; the judge and pass-through stream 40 tokens 15 ms apart: every request is in
    // flight for about a second, so each stop meets requests of every kind mid-way
    provider = DemoProvider.start(vertx, new DemoOptions("127.0.0.1", 0, 50, 15, 400, 40)).await();
    JsonObject recipe = provider.recipe()
      .put("server", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("shutdown_grace_seconds", 20));
    configFile = dir.resolve("openfusion.yaml");
    Files.writeString(configFile, recipe.encodePrettily());
    // Hazelcast's ports stay below Linux's ephemeral range (32768 and up), where port-0 listeners and client sockets land
    int basePort = 22_000 + ThreadLocalRandom.current().nextInt(0, 1_900);
    cluster = new ClusterSettings("openfusion-rolling-" + UUID.randomUUID(), List.of("127.0.0.1"), basePort, "127.0.0.1");
    web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setKeepAlive(false)
      .setIdleTimeout(90).setIdleTimeoutUnit(TimeUnit.SECONDS), new PoolOptions().setHttp1MaxSize(CLIENTS * 2));

    List<Launch> first = List.of(launchApi("api-1"), launchApi("api-2"), launch("panel-1", 1), launch("panel-2", 2));
    for (Launch launch : first) {
      launch.ready();
    }
    awaitCluster(4);
  }

  @AfterAll
  static void stop() throws Exception {
    for (NodeProcess node : nodes) {
      node.close();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  void replacingEveryNodeInTurnUnderLoadLosesNoAcceptedRequest() throws Exception {
    List<Future<Void>> clients = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      clients.add(client(i));
    }
    NodeProcess.awaitUntil(() -> completed.get() >= 20, 60_000, "the load to get going");

    // each replacement boots while the node before it stops, so the update takes about one start per node
    List<String> olds = List.of("panel-1", "panel-2", "api-1", "api-2");
    List<String> stops = new ArrayList<>();
    Launch replacement = launch(olds.get(0), 3);
    for (int i = 0; i < olds.size(); i++) {
      NodeProcess victim = node(olds.get(i));
      long waited = System.currentTimeMillis();
      replacement.ready();
      awaitCluster(5);
      long before = completed.get();
      // the new node must be serving before the old one goes, as a readiness gate ensures
      NodeProcess.awaitUntil(() -> completed.get() >= before + 10, 60_000, "requests to go through after the new node joined");
      long joinMs = System.currentTimeMillis() - waited;
      if (i + 1 < olds.size()) {
        replacement = launch(olds.get(i + 1), i + 4);
      }
      long took = victim.terminate(STOP_TIMEOUT_MS);
      nodes.remove(victim);
      apiNodes.entrySet().removeIf(e -> e.getValue() == victim);
      stops.add(victim.name() + ": replacement ready after " + joinMs + " ms, stopped in " + took + " ms");
      assertThat(victim.log()).as(victim.name() + " withdrew before leaving").contains("withdrawn from").contains("left in");
    }
    awaitCluster(4);
    // a little more load on the new generation, then the clients finish what they sent
    long after = completed.get();
    NodeProcess.awaitUntil(() -> completed.get() >= after + 20, 60_000, "requests on the new nodes");

    loading.set(false);
    Future.all(clients).await(120, TimeUnit.SECONDS);

    String report = "accepted "  + accepted.get() + ", completed " + completed.get()
      + " " + completedByKind + ", refused before acceptance: " + refusedShuttingDown.get() + " shutting_down, "
      + refusedConnection.get() + " connection; stops: " + stops;
    System.out.println("rolling restart: " + report);
    assertThat(lost).as(report).isEmpty();
    assertThat(completed.get()).as(report).isEqualTo(accepted.get());
    assertThat(completedByKind.keySet()).as(report)
      .containsExactlyInAnyOrder("fusion-stream", "fusion-json", "pass-stream", "pass-json");
  }

  /** One closed-loop client: a request at a time, spread over the api nodes, retried elsewhere when refused. */
  private Future<Void> client(int index) {
    Promise<Void> done = Promise.promise();
    next(index, done);
    return done.future();
  }

  private void next(int index, Promise<Void> done) {
    int n = sent.incrementAndGet();
    if (!loading.get() || n > MAX_REQUESTS) {
      done.tryComplete();
      return;
    }
    String kind = List.of("fusion-stream", "fusion-json", "pass-stream", "pass-json").get((n + index) % 4);
    send(kind, n, 0).onComplete(v -> next(index, done));
  }

  private Future<Void> send(String kind, int n, int attempt) {
    List<Integer> ports = List.copyOf(backends);
    if (ports.isEmpty()) {
      lost.add(kind + " #" + n + ": no api node left to send it to");
      return Future.succeededFuture();
    }
    int port = ports.get((n + attempt) % ports.size());
    boolean stream = kind.endsWith("stream");
    JsonObject body = new JsonObject().put("model", kind.startsWith("fusion") ? "openfusion" : "demo/atlas")
      .put("stream", stream)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "question " + n)));
    return web.post(port, "127.0.0.1", "/v1/chat/completions").timeout(60_000).sendJsonObject(body)
      .transform(done -> {
        if (done.failed()) {
          if (done.cause() instanceof ConnectException && attempt < 20) {
            // the listener is closed: the node is gone, nothing was accepted
            refusedConnection.incrementAndGet();
            backends.remove((Integer) port);
            return retry(kind, n, attempt);
          }
          accepted.incrementAndGet();
          lost.add(kind + " #" + n + " via " + port + ": " + done.cause());
          return Future.succeededFuture();
        }
        HttpResponse<Buffer> response = done.result();
        if (response.statusCode() == 503 && response.bodyAsString().contains("shutting_down") && attempt < 20) {
          refusedShuttingDown.incrementAndGet();
          if (!"close".equalsIgnoreCase(response.getHeader("connection"))) {
            lost.add("503 shutting_down without Connection: close from " + port);
          }
          backends.remove((Integer) port);
          return retry(kind, n, attempt);
        }
        accepted.incrementAndGet();
        String problem = problem(response, stream);
        if (problem == null) {
          completed.incrementAndGet();
          completedByKind.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        } else {
          lost.add(kind + " #" + n + " via " + port + ": " + problem);
        }
        return Future.succeededFuture();
      });
  }

  private Future<Void> retry(String kind, int n, int attempt) {
    Promise<Void> later = Promise.promise();
    vertx.setTimer(50, id -> send(kind, n, attempt + 1).onComplete(later));
    return later.future();
  }

  /** Why an accepted request's answer is not a full one, or null when it is. */
  private static String problem(HttpResponse<Buffer> response, boolean stream) {
    String body = response.bodyAsString();
    if (response.statusCode() != 200) {
      return response.statusCode() + " " + body;
    }
    if (!stream) {
      JsonObject answer = response.bodyAsJsonObject();
      String content = answer.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content");
      return content == null || content.isBlank() ? "no content: " + body : null;
    }
    List<Sse.Frame> frames = Sse.parse(body);
    if (frames.isEmpty() || !frames.get(frames.size() - 1).isDone()) {
      return "stream without [DONE]: " + body;
    }
    if (frames.stream().anyMatch(frame -> frame.data() != null && frame.data().contains("\"error\""))) {
      return "error in stream: " + body;
    }
    return Sse.content(frames).isBlank() ? "stream without content: " + body : null;
  }

  /** A node of the same roles as {@code old}, starting. */
  private static Launch launch(String old, int generation) throws Exception {
    if (old.startsWith("api")) {
      return launchApi("api-" + generation);
    }
    NodeProcess panel = NodeProcess.start("panel-" + generation, "panel", configFile, cluster, dir, List.of("--instances", "1"));
    nodes.add(panel);
    return new Launch(panel, false);
  }

  /** An api node on a port of its own choosing (the config says 0): a port picked here could be taken before it binds. */
  private static Launch launchApi(String name) {
    NodeProcess api = NodeProcess.start(name, "api,router,judge", configFile, cluster, dir, List.of("--instances", "1"));
    nodes.add(api);
    return new Launch(api, true);
  }

  /** A node started and not yet known to be serving; an api node joins the clients' backends once it is ready. */
  private record Launch(NodeProcess node, boolean api) {

    void ready() throws InterruptedException {
      if (!api) {
        return;
      }
      int port = node.awaitHttpPort();
      NodeProcess.awaitUntil(() -> isReady(port), 90_000, node.name() + " to be ready; log:\n" + node.log());
      apiNodes.put(port, node);
      backends.add(port);
    }
  }

  private static boolean isReady(int port) {
    HttpResponse<Buffer> health = web.get(port, "127.0.0.1", "/readyz").timeout(2_000).send()
      .transform(done -> Future.succeededFuture(done.succeeded() ? done.result() : null)).await();
    return health != null && health.statusCode() == 200;
  }

  /** Waits until every api node lists {@code count} nodes in the cluster. */
  private static void awaitCluster(int count) throws InterruptedException {
    NodeProcess.awaitUntil(() -> apiNodes.keySet().stream().allMatch(port -> nodesSeenBy(port) == count), 90_000,
      count + " nodes in the cluster; logs:\n" + logs());
  }

  private static long nodesSeenBy(int port) {
    HttpResponse<Buffer> view = web.get(port, "127.0.0.1", "/v1/cluster").timeout(2_000).send()
      .transform(done -> Future.succeededFuture(done.succeeded() ? done.result() : null)).await();
    return view == null || view.statusCode() != 200 ? -1 : view.bodyAsJsonObject().getJsonArray("nodes").size();
  }

  private static NodeProcess node(String name) {
    return nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow();
  }

  private static String logs() {
    StringBuilder all = new StringBuilder();
    nodes.forEach(node -> all.append("--- ").append(node.name()).append('\n').append(node.log()));
    return all.toString();
  }
}

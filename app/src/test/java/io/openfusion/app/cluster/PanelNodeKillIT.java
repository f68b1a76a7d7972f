package io.openfusion.app.cluster;

import io.openfusion.app.node.Node;
import io.openfusion.app.node.NodeOptions;
import io.openfusion.app.node.Role;
import io.openfusion.app.testing.Sse;
import io.openfusion.shared.dispatch.MemberDispatch;
import io.openfusion.shared.config.ClusterSettings;
import io.openfusion.shared.config.loading.ConfigContext;
import io.openfusion.shared.config.loading.ConfigLoader;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.demo.DemoOptions;
import io.openfusion.shared.demo.DemoProvider;
import io.openfusion.shared.telemetry.LogCapture;
import io.vertx.core.Future;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nodes in JVMs of their own: a panel node is killed with SIGKILL while it runs member calls, and no
 * client request fails; a new panel node joins under load and takes work; a second api node is killed
 * while its clients' fusions run, and only its own clients lose their streams while the work done for
 * them stops. The first api node, the router and the judge run in the test's JVM, the simulated provider
 * too (every member answers after a fixed delay).
 */
@Tag("cluster")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PanelNodeKillIT {

  private static final int REQUESTS = 12;
  private static final int MEMBERS = 3;
  private static final long MEMBER_DELAY_MS = 2_500;

  @TempDir
  static Path dir;
  private static Vertx vertx;
  private static DemoProvider provider;
  private static Node apiNode;
  private static WebClient web;
  private static ClusterSettings cluster;
  private static Path configFile;
  private static final List<NodeProcess> nodes = new ArrayList<>();
  private static LogCapture dispatchLog;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    provider = DemoProvider.start(vertx, new DemoOptions("127.0.0.1", 0, 0, 0, MEMBER_DELAY_MS, 64)).await();
    JsonObject recipe = provider.recipe()
      .put("server", new JsonObject().put("host", "127.0.0.1").put("port", 0))
      .put("timeouts", new JsonObject().put("member_seconds", 60));
    configFile = dir.resolve("openfusion.yaml");
    // JSON is YAML: every node reads the same file
    Files.writeString(configFile, recipe.encodePrettily());
    OpenFusionConfig config = ConfigLoader.load(vertx, ConfigContext.system(configFile.toString()).withEnv(java.util.Map.of())).await();
    // Hazelcast's ports stay below Linux's ephemeral range (32768 and up), where port-0 listeners and client sockets land
    int basePort = 20_000 + ThreadLocalRandom.current().nextInt(0, 1_900);
    cluster = new ClusterSettings("openfusion-kill-" + UUID.randomUUID(), List.of("127.0.0.1"), basePort, "127.0.0.1");
    dispatchLog = LogCapture.of(MemberDispatch.class.getName());

    apiNode = Node.start(new NodeOptions(config, EnumSet.of(Role.API, Role.ROUTER, Role.JUDGE), cluster, 1, "kill-api"))
      .await();
    web = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(apiNode.httpPort())
      .setIdleTimeout(120).setIdleTimeoutUnit(TimeUnit.SECONDS), new PoolOptions().setHttp1MaxSize(REQUESTS * 3));
    nodes.add(NodeProcess.start("panel-1", "panel", configFile, cluster, dir));
    nodes.add(NodeProcess.start("panel-2", "panel", configFile, cluster, dir));
    awaitPanelNodes(2);
  }

  @AfterAll
  static void stop() throws Exception {
    if (dispatchLog != null) {
      dispatchLog.close();
    }
    for (NodeProcess node : nodes) {
      node.close();
    }
    if (apiNode != null) {
      apiNode.close().await();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  @Order(1)
  void killingAPanelNodeMidLoadFailsNoRequest() throws Exception {
    long requestsBefore = provider.requests();
    long resentBefore = resent();
    List<Future<HttpResponse<Buffer>>> load = fire(REQUESTS);
    // every member call of every request is now running on one of the two panel nodes
    NodeProcess.awaitUntil(() -> provider.inFlight() >= REQUESTS * MEMBERS, 20_000, "all member calls in flight");
    NodeProcess victim = nodes.get(0);
    victim.kill();

    List<HttpResponse<Buffer>> responses = Future.all(load).await().list();
    responses.forEach(PanelNodeKillIT::assertFullFusion);
    assertThat(resent() - resentBefore).as("member calls sent again after the kill").isPositive();
    // the calls the dead node was running were made again, on the survivor
    assertThat(provider.requests() - requestsBefore).isGreaterThan((long) REQUESTS * (MEMBERS + 1));
  }

  @Test
  @Order(2)
  void aNodeJoiningUnderLoadTakesWork() throws Exception {
    List<Future<HttpResponse<Buffer>>> load = new ArrayList<>(fire(REQUESTS));
    NodeProcess joiner = NodeProcess.start("panel-3", "panel", configFile, cluster, dir);
    nodes.add(joiner);
    awaitPanelNodes(2);
    // keep the load going once the new node is in: its share of the next requests is its proof
    load.addAll(fire(REQUESTS));
    List<HttpResponse<Buffer>> responses = Future.all(load).await().list();
    responses.forEach(PanelNodeKillIT::assertFullFusion);
    NodeProcess.awaitUntil(() -> joiner.panelCalls() > 0, 10_000, "the joining node's panel calls in its log");
  }

  @Test
  @Order(3)
  void losingAnApiNodeEndsOnlyItsOwnClientsStreamsAndStopsTheirWork() throws Exception {
    // the config's port 0: the node binds a free port itself and names it, where a port picked here could be taken first
    NodeProcess secondApi = NodeProcess.start("api-2", "api", configFile, cluster, dir);
    nodes.add(secondApi);
    int port = secondApi.awaitHttpPort();
    WebClient viaSecond = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port)
      .setIdleTimeout(120).setIdleTimeoutUnit(TimeUnit.SECONDS), new PoolOptions().setHttp1MaxSize(REQUESTS * 3));
    NodeProcess.awaitUntil(() -> {
      HttpResponse<Buffer> health = viaSecond.get("/healthz").send().transform(done -> Future.succeededFuture(done.result()))
        .await();
      return health != null && health.statusCode() == 200;
    }, 60_000, "the second api node to listen; log:\n" + secondApi.log());

    long cancelledBefore = provider.cancelled();
    int inFlightBefore = provider.inFlight();
    List<Future<HttpResponse<Buffer>>> ours = fire(REQUESTS / 2);
    List<Future<HttpResponse<Buffer>>> theirs = fire(viaSecond, REQUESTS / 2);
    NodeProcess.awaitUntil(() -> provider.inFlight() >= inFlightBefore + REQUESTS * MEMBERS, 20_000, "all member calls in flight");
    secondApi.kill();

    for (Future<HttpResponse<Buffer>> lost : theirs) {
      Throwable failure = lost.transform(done -> Future.succeededFuture(done.cause())).await();
      assertThat(failure).as("a client of the killed api node loses its connection").isNotNull();
    }
    Future.all(ours).await().<HttpResponse<Buffer>>list().forEach(PanelNodeKillIT::assertFullFusion);
    // the member calls made for the dead node's clients were stopped, not run to the end for nobody
    NodeProcess.awaitUntil(() -> provider.cancelled() - cancelledBefore >= (long) (REQUESTS / 2) * MEMBERS, 20_000,
      "the upstream calls of the killed api node's clients to be cancelled (cancelled so far: "
        + (provider.cancelled() - cancelledBefore) + ")");
  }

  private static List<Future<HttpResponse<Buffer>>> fire(int count) {
    return fire(web, count);
  }

  private static List<Future<HttpResponse<Buffer>>> fire(WebClient client, int count) {
    List<Future<HttpResponse<Buffer>>> responses = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      JsonObject body = new JsonObject().put("model", "openfusion").put("stream", true)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "question " + i)));
      // opts in to the named usage event, whose per-member list proves every member answered
      responses.add(client.post("/v1/chat/completions").putHeader("X-OpenFusion-Events", "on").timeout(90_000)
        .sendJsonObject(body));
    }
    return responses;
  }

  /** A 200 stream that ends in [DONE] with an answer, no error, and usage from every panel member. */
  private static void assertFullFusion(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    List<Sse.Frame> frames = Sse.parse(response.bodyAsString());
    assertThat(frames).as("stream ends with [DONE]").isNotEmpty();
    assertThat(frames.get(frames.size() - 1).isDone()).isTrue();
    assertThat(Sse.content(frames)).isNotBlank();
    assertThat(frames).noneMatch(frame -> frame.data() != null && frame.data().contains("\"error\""));
    JsonObject usage = frames.stream().filter(frame -> "usage".equals(frame.event())).findFirst()
      .map(Sse.Frame::json).orElseThrow(() -> new AssertionError("no usage event in " + response.bodyAsString()));
    assertThat(usage.getJsonArray("panel")).as("every member answered: " + usage.encode()).hasSize(MEMBERS);
  }

  /** Waits until the api node sees {@code count} live panel nodes and a fused request goes through. */
  private static void awaitPanelNodes(int count) throws InterruptedException {
    NodeProcess.awaitUntil(() -> livePanelNodes() == count, 120_000, count + " panel nodes in the cluster; logs:\n" + logs());
    NodeProcess.awaitUntil(() -> {
      HttpResponse<Buffer> probe = fire(1).get(0).await();
      return probe.statusCode() == 200;
    }, 30_000, "a fused request through the panel nodes");
  }

  private static long livePanelNodes() {
    JsonObject view = web.get("/v1/cluster").send().await().bodyAsJsonObject();
    return view.getJsonArray("nodes").stream().map(JsonObject.class::cast)
      .filter(node -> node.getJsonArray("roles").contains("panel")).count();
  }

  private static String logs() {
    StringBuilder all = new StringBuilder();
    nodes.forEach(panel -> all.append("--- ").append(panel.name()).append('\n').append(panel.log()));
    return all.toString();
  }

  /** Member calls the in-JVM router sent again, from its warnings. */
  private static long resent() {
    return dispatchLog.messages().stream().filter(message -> message.contains("sent again")).count();
  }
}

package io.openfusion.app.cli;

import io.openfusion.app.node.NodeOptions;
import io.openfusion.app.node.Role;
import io.openfusion.shared.config.loading.ConfigParser;
import io.openfusion.shared.config.OpenFusionConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The start-up summary says plainly when the API is open to the network. */
class StartupSummaryTest {

  private static final String WARNING = "! open to the network";

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"0.0.0.0", "::", "192.168.1.20", "my-host.example"})
  void warnsWhenListeningBeyondLoopbackWithoutGatewayKeys(String host) {
    String summary = render(host, null, null);

    assertThat(summary.lines().filter(line -> line.contains(WARNING))).singleElement().satisfies(line -> {
      String shown = host.contains(":") ? "[" + host + "]" : host;
      assertThat(line).contains("listening on " + shown + ":8000", "no gateway keys", "spend the upstream keys' credits",
        "OPENFUSION_API_KEYS", "gateway.api_keys", "127.0.0.1");
    });
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"})
  void staysQuietOnLoopback(String host) {
    assertThat(render(host, null, null)).doesNotContain(WARNING);
  }

  @Test
  void staysQuietWithGatewayKeys() {
    assertThat(render("0.0.0.0", "team-key", null)).doesNotContain(WARNING);
  }

  @Test
  void theDemoHasNoCreditsToSpendButIsStillOpen() {
    String summary = render("0.0.0.0", null, "http://127.0.0.1:9/v1");

    assertThat(summary).contains(WARNING).doesNotContain("credits");
  }

  @Test
  void theDefaultListenerIsLoopbackAndNamedAsSuch() {
    OpenFusionConfig config = config(null, null);
    String summary = StartupSummary.render(NodeOptions.standalone(config), 8000, null);

    assertThat(config.server().host()).isEqualTo("127.0.0.1");
    assertThat(summary).contains("listening on http://127.0.0.1:8000", "against http://127.0.0.1:8000/v1")
      .doesNotContain(WARNING);
  }

  @Test
  void workerNodesServeNoHttpAndGetNoWarning() {
    OpenFusionConfig config = config("0.0.0.0", null);
    NodeOptions panelOnly = new NodeOptions(config, Role.parse("panel"), null, 1, NodeOptions.DEFAULT_REGISTRY);

    assertThat(StartupSummary.render(panelOnly, -1, null)).doesNotContain(WARNING);
  }

  private static String render(String host, String gatewayKeys, String demoUrl) {
    return StartupSummary.render(NodeOptions.standalone(config(host, gatewayKeys)), 8000, demoUrl);
  }

  private static OpenFusionConfig config(String host, String gatewayKeys) {
    Map<String, String> env = new HashMap<>();
    env.put("OPENROUTER_API_KEY", "sk-test-not-real");
    if (gatewayKeys != null) {
      env.put("OPENFUSION_API_KEYS", gatewayKeys);
    }
    JsonObject raw = new JsonObject().put("preset", "budget");
    if (host != null) {
      raw.put("server", new JsonObject().put("host", host));
    }
    return ConfigParser.parse(raw, env, "test");
  }

  @Test
  void warnsWhenTheHeapIsTooSmallForTheBodyLimit() {
    OpenFusionConfig config = config(null, null);
    long mb = 1024 * 1024;

    String small = StartupSummary.render(NodeOptions.standalone(config), 8000, null, 64 * mb);
    String shipped = StartupSummary.render(NodeOptions.standalone(config), 8000, null, 96 * mb);

    assertThat(small.lines().filter(line -> line.contains("heap is small"))).singleElement().satisfies(line ->
      assertThat(line).contains("a 64 MB heap", "server.max_body_mb: 20", "OPENFUSION_JAVA_OPTS=-Xmx80m",
        "lower server.max_body_mb to 16"));
    assertThat(shipped).doesNotContain("heap is small");
  }
}

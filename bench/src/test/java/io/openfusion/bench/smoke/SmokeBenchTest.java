package io.openfusion.bench.smoke;

import io.openfusion.bench.common.RepoPaths;
import io.openfusion.bench.quality.SimUpstream;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SmokeBenchTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close();
  }

  private int smoke(Map<String, String> env, String... args) throws Exception {
    return SmokeBench.execute(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
      new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String recipe() {
    return RepoPaths.resolve("bench/src/test/resources/recipes/smoke-sim.yaml").toString();
  }

  /**
   * Without --yes-spend-credits: exit 2, a message that names the flag, and not one connection, neither to a proxy
   * given by --base-url nor to the providers of the recipe (both are the same listening socket here).
   */
  @Test
  @Timeout(30)
  void refusesWithoutTheFlagAndOpensNoSocket() throws Exception {
    try (ServerSocket fake = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String url = "http://127.0.0.1:" + fake.getLocalPort() + "/v1";
      Map<String, String> env = Map.of("BENCH_SIM_URL", url, "OPENROUTER_API_KEY", "sk-or-test");
      assertThat(smoke(env, "--recipe", recipe())).isEqualTo(2);
      assertThat(smoke(env, "--base-url", url, "--max-usd", "1")).isEqualTo(2);
      assertThat(smoke(env)).isEqualTo(2);
      assertThat(err.toString(StandardCharsets.UTF_8)).contains("--yes-spend-credits").contains("Nothing was sent");
      fake.setSoTimeout(500);
      assertThatThrownBy(fake::accept).isInstanceOf(SocketTimeoutException.class);
    }
  }

  /** With the flag, against simulated providers: every check passes, and the spend is counted. */
  @Test
  @Timeout(60)
  void runsTheChecksWithTheFlag() throws Exception {
    SimUpstream sim = SimUpstream.start(vertx, SmokeBench.checks(), 1.0, 1, SimUpstream.Wrong.SHARED).await();
    int exit = smoke(Map.of("BENCH_SIM_URL", sim.baseUrl()), "--yes-spend-credits", "--recipe", recipe());
    String text = out.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(text + err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(text).contains("| healthz | yes |").contains("| pass-through sim/m1 | yes |").contains("| fusion (streamed) | yes |")
      .contains("all checks passed");
    // a pass-through plus a fusion of two members and a judge
    assertThat(sim.chatRequests()).isEqualTo(4);
    assertThat(text).contains(String.format("Spent $%.6f over 2 requests", sim.billedUsd()));
  }

  /** A cap below the first request's worst case: nothing is sent to the providers, exit 4. */
  @Test
  @Timeout(60)
  void stopsAtTheCap() throws Exception {
    SimUpstream sim = SimUpstream.start(vertx, SmokeBench.checks(), 1.0, 1, SimUpstream.Wrong.SHARED).await();
    int exit = smoke(Map.of("BENCH_SIM_URL", sim.baseUrl()), "--yes-spend-credits", "--recipe", recipe(),
      "--max-usd", "0.0000001");
    assertThat(exit).isEqualTo(4);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("stopped before the spending cap");
    assertThat(sim.chatRequests()).isZero();
  }
}

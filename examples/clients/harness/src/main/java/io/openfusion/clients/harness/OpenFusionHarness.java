package io.openfusion.clients.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A real openfusion node in front of a {@link FakeUpstream}: a panel of two members and a judge for
 * {@link Script#FUSION_MODEL}, everything else passed through. Clients reach it at {@link #baseUrl()} with
 * {@link #API_KEY}, exactly as they would reach api.openai.com. Start one per test class and close it afterwards.
 */
public final class OpenFusionHarness implements AutoCloseable {

  /** The gateway key the node requires, so each test also proves its client sends the key it was given. */
  public static final String API_KEY = "sk-openfusion-clients";

  private final FakeUpstream upstream;
  private final NodeProcess node;

  private OpenFusionHarness(FakeUpstream upstream, NodeProcess node) {
    this.upstream = upstream;
    this.node = node;
  }

  /**
   * Starts the fake upstream and the node. The jar is {@code -Dopenfusion.jar} (set by this suite's parent pom), else
   * {@code app/target/openfusion.jar} above the working directory; logs go to {@code -Dopenfusion.clients.logs}.
   */
  public static OpenFusionHarness start() throws IOException, InterruptedException {
    Path logs = Path.of(System.getProperty("openfusion.clients.logs", "target"));
    Files.createDirectories(logs);
    Path dir = Files.createTempDirectory(logs.toAbsolutePath(), "openfusion-node-");
    Path config = dir.resolve("openfusion.yaml");
    FakeUpstream upstream = FakeUpstream.start();
    try {
      Files.writeString(config, recipe(upstream.baseUrl()), StandardCharsets.UTF_8);
      ownerOnly(config);
      NodeProcess node = NodeProcess.start(jar(), config, dir.resolve("node.log"));
      return new OpenFusionHarness(upstream, node);
    } catch (IOException | InterruptedException | RuntimeException e) {
      upstream.close();
      throw e;
    }
  }

  /** {@code http://127.0.0.1:<port>/v1}: what an OpenAI client takes as its base URL. */
  public String baseUrl() {
    return origin() + "/v1";
  }

  /** {@code http://127.0.0.1:<port>}, for clients that add {@code /v1} themselves. */
  public String origin() {
    return "http://127.0.0.1:" + node.port();
  }

  public FakeUpstream upstream() {
    return upstream;
  }

  /** The node's output so far, for failure messages. */
  public String nodeLog() {
    return node.log();
  }

  @Override
  public void close() throws InterruptedException {
    try {
      node.close();
    } finally {
      upstream.close();
    }
  }

  /** The recipe holds keys: readable by its owner only, as the node asks of config files. */
  private static void ownerOnly(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // the node only warns about such files
    }
  }

  private static Path jar() {
    String configured = System.getProperty("openfusion.jar");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("app/target/openfusion.jar");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return Path.of("app/target/openfusion.jar").toAbsolutePath();
  }

  /** Two members and a judge on the fake upstream; other models pass through to it too. */
  static String recipe(String upstreamUrl) {
    String upstream = "    base_url: " + upstreamUrl + "\n    api_key: " + FakeUpstream.KEY + "\n";
    return "strategy: panel\n"
      + "aggregator: judge\n"
      + "fusion_model_name: " + Script.FUSION_MODEL + "\n"
      + "panel:\n"
      + "  - label: alpha\n" + upstream + "    model: " + Script.PANEL_A + "\n"
      + "  - label: beta\n" + upstream + "    model: " + Script.PANEL_B + "\n"
      + "judge:\n" + upstream.replace("    ", "  ") + "  model: " + Script.JUDGE + "\n"
      + "pass_through:\n" + upstream.replace("    ", "  ") + "  model: " + Script.PASS_THROUGH_MODEL + "\n"
      + "gateway:\n"
      + "  api_keys: [" + API_KEY + "]\n"
      + "timeouts:\n"
      + "  member_seconds: 20\n"
      + "  judge_seconds: 20\n"
      + "  total_seconds: 40\n"
      + "server:\n"
      + "  host: 127.0.0.1\n";
  }
}

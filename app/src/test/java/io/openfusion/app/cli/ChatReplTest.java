package io.openfusion.app.cli;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.Upstreams;
import io.openfusion.shared.config.loading.Credentials;
import io.openfusion.shared.demo.DemoOptions;
import io.openfusion.shared.demo.DemoProvider;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chat REPL driven through a JLine terminal on in-memory streams: turns, slash commands, Ctrl-C and
 * Ctrl-D, exactly as a person would type them.
 */
class ChatReplTest {

  @RegisterExtension
  static final NodeExtension<WireMockServer> openfusion = NodeExtension.wireMock().build();

  @TempDir
  Path dir;

  private TypedInput keys;
  private ByteArrayOutputStream screen;
  private Terminal terminal;
  private CompletableFuture<Integer> exit;
  private Cli cli;

  @BeforeEach
  void terminal() throws IOException {
    keys = new TypedInput();
    screen = new ByteArrayOutputStream();
    // a terminal on plain streams with JLine's own line discipline, so Ctrl-C typed here raises INT
    terminal = new ExternalTerminal("test", "dumb", keys, screen, StandardCharsets.UTF_8);
    cli = new Cli(dir).terminal(terminal);
  }

  @AfterEach
  void close() throws IOException {
    keys.end();
    terminal.close();
  }

  private void start(String... args) {
    exit = CompletableFuture.supplyAsync(() -> cli.run(args));
  }

  private String screen() {
    synchronized (screen) {
      return screen.toString(StandardCharsets.UTF_8);
    }
  }

  /** Types a line and waits until the screen shows {@code expected} after it. */
  private String typeAndWait(String line, String expected) {
    int from = screen().length();
    keys.type(line + "\n");
    await().atMost(Duration.ofSeconds(10)).until(() -> screen().substring(from).contains(expected));
    return screen().substring(from);
  }

  /** The body of the latest call WireMock saw for {@code model}. */
  private static JsonObject lastCall(String model) {
    List<LoggedRequest> calls = openfusion.upstream().findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))
      .withRequestBody(containing("\"" + model + "\"")));
    LoggedRequest last = calls.stream().max(java.util.Comparator.comparing(LoggedRequest::getLoggedDate)).orElseThrow();
    return new JsonObject(last.getBodyAsString());
  }

  private void answers() {
    openfusion.upstream().stubFor(Upstreams.call("m1").willReturn(Upstreams.answer("m1", "Paris.", 10, 5)));
    openfusion.upstream().stubFor(Upstreams.call("m2").willReturn(Upstreams.answer("m2", "It is Paris.", 12, 4)));
    openfusion.upstream().stubFor(Upstreams.call("judge-m").willReturn(Upstreams.streamed("judge-m", List.of("The capital ", "is Paris."), 100, 7)));
  }

  @Test
  void aConversationWithSlashCommands(WireMockServer upstream) throws Exception {
    answers();
    Path recipe = cli.recipe(upstream, List.of("m1", "m2"), "judge-m");
    start("chat", "--config", recipe.toString());
    await().atMost(Duration.ofSeconds(10)).until(() -> screen().contains("Ctrl-D to exit"));
    assertThat(screen()).contains("openfusion — chat with a model panel", "panel   m1, m2", "judge   judge-m · judge · strategy panel");

    String answer = typeAndWait("Capital of France?", "The capital is Paris.");
    assertThat(answer).contains("● openfusion");
    await().atMost(Duration.ofSeconds(5)).until(() -> cli.err().contains("tokens (panel 31, judge 107)"));
    assertThat(cli.err()).contains("· querying panel (2 models)…", "· 2 answered", "· synthesizing…");

    // the second turn resends the first question and answer
    typeAndWait("And of Italy?", "The capital is Paris.");
    JsonArray messages = lastCall("m1").getJsonArray("messages");
    assertThat(messages.size()).isEqualTo(3);
    assertThat(messages.getJsonObject(1).getString("content")).isEqualTo("The capital is Paris.");

    assertThat(typeAndWait("/help", "/quit")).contains("/preset quality|budget", "/tokens N", "/key", "/clear");
    assertThat(typeAndWait("/models", "max tokens")).contains("panel       m1, m2", "judge       judge-m", "as configured");
    assertThat(typeAndWait("/tokens 64", "capped")).contains("· answers capped at 64 tokens");
    assertThat(typeAndWait("/tokens many", "usage")).contains("usage: /tokens N");
    assertThat(typeAndWait("/strategy self_fusion", "strategy")).contains("· strategy self_fusion");
    assertThat(typeAndWait("/aggregator vote", "aggregator")).contains("· aggregator vote");
    assertThat(typeAndWait("/MODELS", "max tokens")).contains("strategy    self_fusion · aggregator vote", "max tokens  64");
    assertThat(typeAndWait("/strategy panel", "strategy")).contains("· strategy panel");
    assertThat(typeAndWait("/aggregator judge", "aggregator")).contains("· aggregator judge");
    assertThat(typeAndWait("/preset", "usage")).contains("usage: /preset quality|budget");
    assertThat(typeAndWait("/nope", "unknown")).contains("unknown command: /nope (try /help)");
    assertThat(typeAndWait("/clear", "cleared")).contains("· conversation cleared");

    // after /clear and /tokens, a turn sends one message and the cap
    typeAndWait("Capital of Spain?", "The capital is Paris.");
    JsonObject last = lastCall("m1");
    assertThat(last.getJsonArray("messages").size()).isEqualTo(1);
    assertThat(last.getInteger("max_tokens")).isEqualTo(64);

    // a preset keeps the earlier /tokens; without a key the chat says how to add one
    assertThat(typeAndWait("/preset quality", "/key"))
      .contains("· preset quality: panel anthropic/claude-sonnet-4, google/gemini-3-pro, deepseek/deepseek-v4-pro")
      .contains("judge anthropic/claude-sonnet-4 · max tokens 64").contains("no key for");
    assertThat(typeAndWait("/models", "max tokens")).contains("max tokens  64", "preset quality");

    typeAndWait("/quit", "bye");
    assertThat(exit.get(5, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    Path history = dir.resolve("home/.config/openfusion/history");
    assertThat(Files.readString(history)).contains("Capital of France?", "/models");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(history))).isEqualTo("rw-------");
  }

  @Test
  void ctrlCCancelsTheTurnInFlightAndDropsIt(WireMockServer upstream) throws Exception {
    answers();
    upstream.stubFor(Upstreams.call("m1").withRequestBody(containing("slow question"))
      .willReturn(Upstreams.answer("m1", "late", 1, 1).withFixedDelay(8_000)));
    Path recipe = cli.recipe(upstream, List.of("m1", "m2"), "judge-m");
    start("chat", "--config", recipe.toString());
    await().atMost(Duration.ofSeconds(10)).until(() -> screen().contains("Ctrl-D to exit"));

    keys.type("slow question\n");
    await().atMost(Duration.ofSeconds(5)).until(() -> cli.err().contains("querying panel"));
    long pressed = System.nanoTime();
    keys.interrupt();
    await().atMost(Duration.ofSeconds(3)).until(() -> cli.err().contains("· cancelled"));
    assertThat(Duration.ofNanos(System.nanoTime() - pressed)).isLessThan(Duration.ofSeconds(3));

    // the cancelled question is not part of the conversation any more
    typeAndWait("Capital of France?", "The capital is Paris.");
    List<LoggedRequest> next = upstream.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))
      .withRequestBody(containing("\"m2\"")).withRequestBody(containing("Capital of France?")));
    assertThat(next).hasSize(1);
    JsonArray messages = new JsonObject(next.get(0).getBodyAsString()).getJsonArray("messages");
    assertThat(messages.size()).isEqualTo(1);
    assertThat(messages.getJsonObject(0).getString("content")).isEqualTo("Capital of France?");

    keys.end();
    assertThat(exit.get(5, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    assertThat(screen()).contains("bye");
  }

  @Test
  void ctrlCClosesTheUpstreamConnections() throws Exception {
    Vertx vertx = Vertx.vertx();
    DemoProvider demo = DemoProvider.start(vertx, DemoOptions.instant()).await();
    try {
      Path recipe = cli.recipe(demo.baseUrl(), List.of(DemoProvider.SLOW_MODEL, DemoProvider.SLOW_MODEL), DemoProvider.JUDGE_MODEL);
      start("chat", "--config", recipe.toString());
      await().atMost(Duration.ofSeconds(10)).until(() -> screen().contains("Ctrl-D to exit"));

      keys.type("Tell me about rivers\n");
      await().atMost(Duration.ofSeconds(5)).until(() -> demo.inFlight() == 2);
      keys.interrupt();

      await().atMost(Duration.ofSeconds(5)).until(() -> demo.cancelled() == 2);
      assertThat(demo.inFlight()).isZero();
      await().atMost(Duration.ofSeconds(3)).until(() -> cli.err().contains("· cancelled"));
      typeAndWait("/quit", "bye");
      assertThat(exit.get(5, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    } finally {
      demo.stop().await();
      vertx.close().await();
    }
  }

  @Test
  void errorsShowAKeyHintAndKeyReentersIt(WireMockServer upstream) throws Exception {
    upstream.stubFor(Upstreams.call("m1").willReturn(Upstreams.error(401, "User not found")));
    upstream.stubFor(Upstreams.call("m2").willReturn(Upstreams.error(401, "User not found")));
    Path recipe = cli.recipe(upstream, List.of("m1", "m2"), "judge-m");
    start("chat", "--config", recipe.toString());
    await().atMost(Duration.ofSeconds(10)).until(() -> screen().contains("Ctrl-D to exit"));

    assertThat(typeAndWait("hello", "/key")).contains("[error]").contains("the key may be invalid or out of credit — /key to re-enter it");

    keys.type("/key\n");
    await().atMost(Duration.ofSeconds(5)).until(() -> screen().contains("OpenRouter API key:"));
    typeAndWait("sk-or-new-key", "in use");
    Path saved = Credentials.path(cli.ctx(null));
    assertThat(Files.readString(saved)).isEqualTo("sk-or-new-key\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved))).isEqualTo("rw-------");
    assertThat(Files.readString(dir.resolve("home/.config/openfusion/history"))).doesNotContain("sk-or-new-key");

    keys.end();
    assertThat(exit.get(5, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
  }

  @Test
  void aMissingKeyIsAskedForAtStartAndSaved() throws Exception {
    Files.writeString(cli.cwd.resolve("openfusion.yaml"), "preset: budget\n");
    start("chat");
    await().atMost(Duration.ofSeconds(10)).until(() -> screen().contains("saved for next time"));
    typeAndWait("sk-or-typed", "Ctrl-D to exit");
    assertThat(screen()).contains("· key saved to").contains("panel   openai/gpt-4o-mini, deepseek/deepseek-v4-pro, moonshotai/kimi-k2.6");
    assertThat(Files.readString(Credentials.path(cli.ctx(null)))).isEqualTo("sk-or-typed\n");
    keys.end();
    assertThat(exit.get(5, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
  }

  @Test
  void noKeyAtTheKeyPromptEndsWithAnError() throws Exception {
    Files.writeString(cli.cwd.resolve("openfusion.yaml"), "preset: budget\n");
    start("chat");
    await().atMost(Duration.ofSeconds(10)).until(() -> screen().contains("saved for next time"));
    keys.type("\n");
    assertThat(exit.get(5, TimeUnit.SECONDS)).isEqualTo(ExitCodes.ERROR);
    assertThat(screen()).contains("no upstream API key");
  }
}

package io.openfusion.app.cli;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.Upstreams;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code openfusion ask} and piped stdin against WireMock upstreams, in-process and through {@code --url}. */
class AskTest {

  @RegisterExtension
  static final NodeExtension<WireMockServer> openfusion = NodeExtension.wireMock().build();

  @TempDir
  Path dir;

  private void answers() {
    openfusion.upstream().stubFor(Upstreams.call("m1").willReturn(Upstreams.answer("m1", "Paris is the capital.", 10, 5)));
    openfusion.upstream().stubFor(Upstreams.call("m2").willReturn(Upstreams.answer("m2", "It is Paris.", 12, 4)));
    openfusion.upstream().stubFor(Upstreams.call("judge-m")
      .willReturn(Upstreams.streamed("judge-m", List.of("The capital ", "of France is **Paris**."), 100, 7)));
  }

  @Test
  void stdoutHoldsOnlyTheAnswerAndProgressGoesToStderr(WireMockServer upstream) throws IOException {
    answers();
    Cli cli = new Cli(dir);
    Path recipe = cli.recipe(upstream, List.of("m1", "m2"), "judge-m");

    int exit = cli.run("ask", "--config", recipe.toString(), "Capital", "of", "France?");

    assertThat(exit).as(cli.err()).isEqualTo(ExitCodes.OK);
    assertThat(cli.out()).isEqualTo("The capital of France is **Paris**.\n");
    assertThat(cli.err()).contains("· querying panel (2 models)…", "· 2 answered", "· synthesizing…")
      .contains("tokens (panel 31, judge 107)");
    upstream.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
      .withRequestBody(matchingJsonPath("$.model", com.github.tomakehurst.wiremock.client.WireMock.equalTo("m1")))
      .withRequestBody(matchingJsonPath("$.messages[0].content",
        com.github.tomakehurst.wiremock.client.WireMock.equalTo("Capital of France?"))));
  }

  @Test
  void pipedStdinIsAnsweredOnce(WireMockServer upstream) throws IOException {
    answers();
    Cli cli = new Cli(dir);
    Path recipe = cli.recipe(upstream, List.of("m1", "m2"), "judge-m");

    int exit = cli.stdin("Capital of France?\n").run("--config", recipe.toString());

    assertThat(exit).as(cli.err()).isEqualTo(ExitCodes.OK);
    assertThat(cli.out()).isEqualTo("The capital of France is **Paris**.\n");
  }

  @Test
  void jsonPrintsTheWholeCompletionWithUsage(WireMockServer upstream) throws IOException {
    answers();
    Cli cli = new Cli(dir);
    Path recipe = cli.recipe(upstream, List.of("m1", "m2"), "judge-m");

    int exit = cli.run("ask", "--json", "--config", recipe.toString(), "Capital of France?");

    assertThat(exit).as(cli.err()).isEqualTo(ExitCodes.OK);
    JsonObject completion = new JsonObject(cli.out());
    assertThat(completion.getString("object")).isEqualTo("chat.completion");
    assertThat(completion.getString("model")).isEqualTo("openfusion");
    JsonObject choice = completion.getJsonArray("choices").getJsonObject(0);
    assertThat(choice.getJsonObject("message").getString("content")).isEqualTo("The capital of France is **Paris**.");
    assertThat(choice.getString("finish_reason")).isEqualTo("stop");
    assertThat(completion.getJsonObject("usage").getInteger("total_tokens")).isEqualTo(22 + 9 + 107);
  }

  @Test
  void maxTokensCapsEveryCall(WireMockServer upstream) throws IOException {
    answers();
    Cli cli = new Cli(dir);
    Path recipe = cli.recipe(upstream, List.of("m1", "m2"), "judge-m");

    // options given before the subcommand count too
    assertThat(cli.run("--config", recipe.toString(), "ask", "--max-tokens", "77", "Capital?")).isEqualTo(ExitCodes.OK);

    upstream.verify(2, postRequestedFor(urlEqualTo("/v1/chat/completions"))
      .withRequestBody(matchingJsonPath("$.stream", com.github.tomakehurst.wiremock.client.WireMock.equalTo("false")))
      .withRequestBody(matchingJsonPath("$.max_tokens", com.github.tomakehurst.wiremock.client.WireMock.equalTo("77"))));
  }

  @Test
  void estimatePricesTheRunWithoutCallingAModel(WireMockServer upstream) throws IOException {
    upstream.stubFor(get("/v1/models").willReturn(aResponse().withHeader("content-type", "application/json").withBody(
      "{\"data\":[{\"id\":\"m1\",\"pricing\":{\"prompt\":\"0.000001\",\"completion\":\"0.000002\"}},"
        + "{\"id\":\"m2\",\"pricing\":{\"prompt\":\"0.000001\",\"completion\":\"0.000002\"}},"
        + "{\"id\":\"judge-m\",\"pricing\":{\"prompt\":\"0.000003\",\"completion\":\"0.000004\"}}]}")));
    Cli cli = new Cli(dir);
    Path recipe = cli.recipe(upstream, List.of("m1", "m2"), "judge-m",
      "cost_controls: {panel_max_tokens: 100, judge_max_tokens: 200}");

    int exit = cli.run("ask", "--estimate", "--config", recipe.toString(), "Capital of France?");

    assertThat(exit).as(cli.err()).isEqualTo(ExitCodes.OK);
    assertThat(cli.out()).startsWith("Estimate (no model was called):")
      .contains("calls          3  (2 panel, 1 judge)").contains("models         m1, m2, judge-m")
      .contains("output cap     400 tokens").contains("cost           at most $");
    upstream.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions")));

    Cli json = new Cli(dir);
    assertThat(json.run("ask", "--estimate", "--json", "--config", recipe.toString(), "Capital of France?")).isEqualTo(0);
    JsonObject estimate = new JsonObject(json.out());
    assertThat(estimate.getInteger("calls")).isEqualTo(3);
    assertThat(estimate.getInteger("max_output_tokens")).isEqualTo(400);
    assertThat(estimate.getDouble("cost_usd")).isPositive();
  }

  @Test
  void aMissingKeyIsAClearErrorBeforeAnyCall() throws IOException {
    Cli cli = new Cli(dir);
    java.nio.file.Files.writeString(cli.cwd.resolve("openfusion.yaml"), "preset: budget\n");

    int exit = cli.run("ask", "hello");

    assertThat(exit).isEqualTo(ExitCodes.ERROR);
    assertThat(cli.err()).contains("no upstream API key").contains("OPENROUTER_API_KEY").contains("openfusion setup");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void aRejectedKeyFailsWithAHint(WireMockServer upstream) throws IOException {
    upstream.stubFor(Upstreams.call("m1").willReturn(Upstreams.error(401, "Invalid API key")));
    upstream.stubFor(Upstreams.call("m2").willReturn(Upstreams.error(401, "Invalid API key")));
    Cli cli = new Cli(dir);
    Path recipe = cli.recipe(upstream, List.of("m1", "m2"), "judge-m");

    int exit = cli.run("ask", "--config", recipe.toString(), "hello");

    assertThat(exit).isEqualTo(ExitCodes.ERROR);
    assertThat(cli.err()).contains("openfusion: ").contains("the key may be invalid or out of credit");
    assertThat(cli.out()).isEmpty();
  }

  @Test
  void urlTalksToARunningServer(WireMockServer upstream) throws IOException {
    answers();
    int port = openfusion.start(Upstreams.panelRecipe(upstream, List.of("m1", "m2"), "judge-m")).port();
    Cli cli = new Cli(dir);
    int exit = cli.run("ask", "--url", "http://127.0.0.1:" + port, "Capital of France?");
    assertThat(exit).as(cli.err()).isEqualTo(ExitCodes.OK);
    assertThat(cli.out()).isEqualTo("The capital of France is **Paris**.\n");

    Cli refused = new Cli(dir);
    assertThat(refused.run("ask", "--url", "http://127.0.0.1:" + port, "--preset", "quality", "hi"))
      .isEqualTo(ExitCodes.ERROR);
    assertThat(refused.err()).contains("overrides");
  }

  @Test
  void anUnreachableServerIsARuntimeError() throws IOException {
    Cli cli = new Cli(dir);
    assertThat(cli.run("ask", "--url", "http://127.0.0.1:9", "hi")).isEqualTo(ExitCodes.ERROR);
    assertThat(cli.err()).contains("could not reach the server");
  }
}

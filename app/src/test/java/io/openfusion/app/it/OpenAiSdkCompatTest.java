package io.openfusion.app.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.Sdks;
import io.openfusion.app.testing.Upstreams;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The official OpenAI Java SDK ({@code com.openai:openai-java}) against a running node: fused answers
 * (streamed and not, with our extra {@code event: progress} / {@code event: usage} frames in the stream)
 * and pass-through of another model id must parse exactly as they would from api.openai.com.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenAiSdkCompatTest {

  private static final String ANSWER = "The capital is Paris.";

  @RegisterExtension
  static final NodeExtension<WireMockServer> openfusion = NodeExtension.wireMock()
    .node(upstream -> Upstreams.panelRecipe(upstream, List.of("m1", "m2"), "judge-m"))
    .build();

  private static OpenAIClient sdk;

  @BeforeAll
  static void sdk() {
    sdk = Sdks.openAi(openfusion);
  }

  private static ChatCompletionCreateParams.Builder params(String model) {
    return ChatCompletionCreateParams.builder().model(model).addUserMessage("Capital of France?");
  }

  /** Drains the whole stream (the SDK parses lazily, chunk by chunk) and closes it. */
  private static List<ChatCompletionChunk> drain(ChatCompletionCreateParams params) {
    try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(params)) {
      return stream.stream().toList();
    }
  }

  /** The delta text of standard chunks; chunks without {@code choices} (our named events) contribute nothing. */
  private static String content(List<ChatCompletionChunk> chunks) {
    StringBuilder text = new StringBuilder();
    for (ChatCompletionChunk chunk : chunks) {
      for (ChatCompletionChunk.Choice choice : chunk._choices().asKnown().orElse(List.of())) {
        choice.delta().content().ifPresent(text::append);
      }
    }
    return text.toString();
  }

  private static boolean standard(ChatCompletionChunk chunk) {
    return chunk._choices().asKnown().isPresent();
  }

  @Test
  void nonStreamedFusionParsesWithSummedUsage(WireMockServer upstream) {
    Upstreams.stubFusion(upstream);

    ChatCompletion completion = sdk.chat().completions().create(params("openfusion").build());

    assertThatCode(completion::validate).doesNotThrowAnyException();
    assertThat(completion.model()).isEqualTo("openfusion");
    assertThat(completion.id()).matches("chatcmpl-[0-9a-f]{24}");
    assertThat(completion.choices()).hasSize(1);
    ChatCompletion.Choice choice = completion.choices().get(0);
    assertThat(choice.message().content()).contains(ANSWER);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    CompletionUsage usage = completion.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(10 + 12 + 100);
    assertThat(usage.completionTokens()).isEqualTo(5 + 4 + 7);
    assertThat(usage.totalTokens()).isEqualTo(10 + 12 + 100 + 5 + 4 + 7);
  }

  @Test
  void streamedFusionParsesEveryChunkDespiteCustomEvents(WireMockServer upstream) {
    Upstreams.stubFusion(upstream);

    List<ChatCompletionChunk> chunks = drain(params("openfusion").build());

    assertThat(content(chunks)).isEqualTo(ANSWER);
    List<ChatCompletionChunk> standard = chunks.stream().filter(OpenAiSdkCompatTest::standard).toList();
    // the judge's two content chunks and the terminal stop chunk, each a complete chat.completion.chunk
    assertThat(standard).hasSize(3);
    standard.forEach(chunk -> {
      assertThatCode(chunk::validate).doesNotThrowAnyException();
      assertThat(chunk.model()).isEqualTo("openfusion");
    });
    assertThat(standard.stream().map(ChatCompletionChunk::id).distinct()).hasSize(1);
    assertThat(standard.get(0).choices().get(0).delta().role()).contains(ChatCompletionChunk.Choice.Delta.Role.ASSISTANT);
    assertThat(standard.get(standard.size() - 1).choices().get(0).finishReason())
      .contains(ChatCompletionChunk.Choice.FinishReason.STOP);
    // the SDK announces itself (X-Stainless-Lang), so progress and usage travel as SSE comments it skips:
    // every chunk it hands out is a standard one
    assertThat(chunks).hasSize(standard.size());
  }

  /*
   * The two tests below are what an unmodified SDK user writes (the SDK README's loop, and the SDK's own
   * accumulator helper). The SDK ignores the SSE "event:" field and would hand a named event to the
   * caller as a chunk without id or choices, so these guard that SDK clients never get named events.
   */

  @Test
  void readmeLoopOverChoicesWorksOnAFusedStream(WireMockServer upstream) {
    Upstreams.stubFusion(upstream);
    StringBuilder text = new StringBuilder();

    try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(params("openfusion").build())) {
      stream.stream()
        .flatMap(chunk -> chunk.choices().stream())
        .flatMap(choice -> choice.delta().content().stream())
        .forEach(text::append);
    }

    assertThat(text).hasToString(ANSWER);
  }

  @Test
  void sdkAccumulatorWorksOnAFusedStream(WireMockServer upstream) {
    Upstreams.stubFusion(upstream);
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();

    try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(params("openfusion").build())) {
      stream.stream().forEach(accumulator::accumulate);
    }

    ChatCompletion completion = accumulator.chatCompletion();
    assertThat(completion.model()).isEqualTo("openfusion");
    assertThat(completion.choices().get(0).message().content()).contains(ANSWER);
  }

  @Test
  void streamedFusionWithIncludeUsageStillParses(WireMockServer upstream) {
    Upstreams.stubFusion(upstream);

    List<ChatCompletionChunk> chunks = drain(params("openfusion")
      .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());

    assertThat(content(chunks)).isEqualTo(ANSWER);
    assertThat(chunks.stream().filter(OpenAiSdkCompatTest::standard)).allSatisfy(chunk ->
      assertThatCode(chunk::validate).doesNotThrowAnyException());
    // the client's stream_options never reach the panel members; the judge is always asked for usage
    upstream.verify(0, postRequestedFor(urlEqualTo("/v1/chat/completions"))
      .withRequestBody(matchingJsonPath("$.model", equalTo("m1"))).withRequestBody(matchingJsonPath("$.stream_options")));
    upstream.verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions"))
      .withRequestBody(matchingJsonPath("$.model", equalTo("judge-m")))
      .withRequestBody(matchingJsonPath("$.stream_options.include_usage", equalTo("true"))));
  }

  @Test
  void includeUsageOnAFusedStreamYieldsAStandardUsageChunk(WireMockServer upstream) {
    Upstreams.stubFusion(upstream);

    List<ChatCompletionChunk> chunks = drain(params("openfusion")
      .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());

    // like api.openai.com: one last chunk with empty choices and the request's usage
    ChatCompletionChunk last = chunks.get(chunks.size() - 1);
    assertThat(last._choices().asKnown()).contains(List.of());
    CompletionUsage usage = last.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(10 + 12 + 100);
    assertThat(usage.completionTokens()).isEqualTo(5 + 4 + 7);
    assertThat(usage.totalTokens()).isEqualTo(10 + 12 + 100 + 5 + 4 + 7);
  }

  @Test
  void passThroughNonStreamedParses(WireMockServer upstream) {
    upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.answer("gpt-x", "hello", 3, 1)));

    ChatCompletion completion = sdk.chat().completions().create(params("gpt-x").build());

    assertThat(completion.id()).isEqualTo("cmpl-gpt-x");
    assertThat(completion.model()).isEqualTo("gpt-x");
    assertThat(completion.choices().get(0).message().content()).contains("hello");
    CompletionUsage usage = completion.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(3);
    assertThat(usage.completionTokens()).isEqualTo(1);
    assertThat(usage.totalTokens()).isEqualTo(4);
  }

  @Test
  void passThroughStreamedParsesWithTheUpstreamUsageChunk(WireMockServer upstream) {
    upstream.stubFor(Upstreams.call("gpt-x").willReturn(Upstreams.streamed("gpt-x", List.of("a", "b", "c"), 3, 3)));

    List<ChatCompletionChunk> chunks = drain(params("gpt-x")
      .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());

    // three content chunks, the finish chunk, the usage-only chunk; every one a standard chunk here
    assertThat(chunks).hasSize(5).allSatisfy(chunk -> assertThat(standard(chunk)).isTrue());
    assertThat(content(chunks)).isEqualTo("abc");
    assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.model()).isEqualTo("gpt-x"));
    assertThat(chunks.get(3).choices().get(0).finishReason()).contains(ChatCompletionChunk.Choice.FinishReason.STOP);
    Optional<CompletionUsage> usage = chunks.get(4).usage();
    assertThat(chunks.get(4).choices()).isEmpty();
    assertThat(usage).get().satisfies(u -> {
      assertThat(u.promptTokens()).isEqualTo(3);
      assertThat(u.completionTokens()).isEqualTo(3);
      assertThat(u.totalTokens()).isEqualTo(6);
    });
    JsonObject sent = new JsonObject(upstream.findAll(postRequestedFor(urlEqualTo("/v1/chat/completions"))).get(0).getBodyAsString());
    assertThat(sent.getBoolean("stream")).isTrue();
    assertThat(sent.getJsonObject("stream_options").getBoolean("include_usage")).isTrue();
  }
}

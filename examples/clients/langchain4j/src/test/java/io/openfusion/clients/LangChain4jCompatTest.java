package io.openfusion.clients;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.openfusion.clients.harness.OpenFusionHarness;
import io.openfusion.clients.harness.Script;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LangChain4j's OpenAI models ({@code dev.langchain4j:langchain4j-open-ai}) pointed at openfusion the way its
 * documentation points them at any OpenAI-compatible server: {@code baseUrl}, {@code apiKey}, {@code modelName}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LangChain4jCompatTest {

  private static final String QUESTION = "What is the capital of France?";

  private static OpenFusionHarness openfusion;

  @BeforeAll
  static void start() throws Exception {
    openfusion = OpenFusionHarness.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (openfusion != null) {
      openfusion.close();
    }
  }

  private static OpenAiChatModel chatModel(String model) {
    return OpenAiChatModel.builder()
      .baseUrl(openfusion.baseUrl())
      .apiKey(OpenFusionHarness.API_KEY)
      .modelName(model)
      .timeout(Duration.ofSeconds(30))
      .maxRetries(0)
      .build();
  }

  private static OpenAiStreamingChatModel streamingModel(String model) {
    return OpenAiStreamingChatModel.builder()
      .baseUrl(openfusion.baseUrl())
      .apiKey(OpenFusionHarness.API_KEY)
      .modelName(model)
      .timeout(Duration.ofSeconds(30))
      .build();
  }

  @Test
  void fusedAnswer() {
    ChatResponse response = chatModel(Script.FUSION_MODEL).chat(ChatRequest.builder()
      .messages(UserMessage.from(QUESTION)).build());

    assertThat(response.aiMessage().text()).isEqualTo(Script.FUSED_TEXT);
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.modelName()).isEqualTo(Script.FUSION_MODEL);
    assertUsage(response.tokenUsage(), Script.FUSED_USAGE);
  }

  @Test
  void fusedStream() throws Exception {
    Streamed streamed = stream(Script.FUSION_MODEL);

    assertThat(String.join("", streamed.partials)).isEqualTo(Script.FUSED_TEXT);
    assertThat(streamed.response.aiMessage().text()).isEqualTo(Script.FUSED_TEXT);
    assertThat(streamed.response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(streamed.response.modelName()).isEqualTo(Script.FUSION_MODEL);
    // LangChain4j asks for stream_options.include_usage, and gets the whole fusion's usage
    assertUsage(streamed.response.tokenUsage(), Script.FUSED_USAGE);
  }

  @Test
  void passedThroughAnswer() {
    ChatResponse response = chatModel(Script.PASS_THROUGH_MODEL).chat(ChatRequest.builder()
      .messages(UserMessage.from(QUESTION)).build());

    assertThat(response.aiMessage().text()).isEqualTo(Script.PASS_THROUGH_TEXT);
    assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(response.modelName()).isEqualTo(Script.PASS_THROUGH_MODEL);
    assertUsage(response.tokenUsage(), Script.PASS_THROUGH_USAGE);
  }

  @Test
  void passedThroughStream() throws Exception {
    Streamed streamed = stream(Script.PASS_THROUGH_MODEL);

    assertThat(String.join("", streamed.partials)).isEqualTo(Script.PASS_THROUGH_TEXT);
    assertThat(streamed.response.aiMessage().text()).isEqualTo(Script.PASS_THROUGH_TEXT);
    assertThat(streamed.response.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(streamed.response.modelName()).isEqualTo(Script.PASS_THROUGH_MODEL);
    assertUsage(streamed.response.tokenUsage(), Script.PASS_THROUGH_USAGE);
  }

  private record Streamed(List<String> partials, ChatResponse response) {
  }

  /** Runs one streamed chat to its end; any {@code onError} fails the test with the client's own exception. */
  private static Streamed stream(String model) throws Exception {
    List<String> partials = new CopyOnWriteArrayList<>();
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    streamingModel(model).chat(QUESTION, new StreamingChatResponseHandler() {
      @Override
      public void onPartialResponse(String partial) {
        partials.add(partial);
      }

      @Override
      public void onCompleteResponse(ChatResponse response) {
        done.complete(response);
      }

      @Override
      public void onError(Throwable error) {
        done.completeExceptionally(error);
      }
    });
    return new Streamed(partials, done.get(30, TimeUnit.SECONDS));
  }

  private static void assertUsage(TokenUsage usage, Script.Usage expected) {
    assertThat(usage).as("token usage").isNotNull();
    assertThat(usage.inputTokenCount()).isEqualTo(expected.prompt());
    assertThat(usage.outputTokenCount()).isEqualTo(expected.completion());
    assertThat(usage.totalTokenCount()).isEqualTo(expected.total());
  }
}

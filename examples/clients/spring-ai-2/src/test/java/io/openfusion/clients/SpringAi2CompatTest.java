package io.openfusion.clients;

import io.openfusion.clients.harness.OpenFusionHarness;
import io.openfusion.clients.harness.Script;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring AI 2.x ({@code spring-ai-openai}, on the official openai-java SDK since 2.0) pointed at
 * openfusion with a base URL and a key, no Spring Boot context: the model objects are built directly.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpringAi2CompatTest {

  private static final String QUESTION = "What is the capital of France?";
  private static final Duration WITHIN = Duration.ofSeconds(30);

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

  /** As the Spring AI 2 docs build it: connection and model are all chat options; the base URL ends in /v1. */
  private static OpenAiChatModel model(String model, boolean streamUsage) {
    OpenAiChatOptions options = OpenAiChatOptions.builder()
      .baseUrl(openfusion.baseUrl())
      .apiKey(OpenFusionHarness.API_KEY)
      .model(model)
      .streamUsage(streamUsage)
      // one attempt: a failure should fail the test now, not after the SDK's backoff
      .maxRetries(0)
      .timeout(WITHIN)
      .build();
    return OpenAiChatModel.builder().options(options).build();
  }

  @Test
  void fusedCall() {
    ChatResponse response = model(Script.FUSION_MODEL, false).call(new Prompt(QUESTION));

    assertThat(response.getResult().getOutput().getText()).isEqualTo(Script.FUSED_TEXT);
    assertThat(response.getResult().getMetadata().getFinishReason()).isEqualToIgnoringCase("stop");
    assertThat(response.getMetadata().getModel()).isEqualTo(Script.FUSION_MODEL);
    assertUsage(response.getMetadata().getUsage(), Script.FUSED_USAGE);
  }

  /** The way tutorials and most apps consume a Spring AI stream: every response has a result with text. */
  @Test
  void fusedStreamTheUsualWay() {
    String text = model(Script.FUSION_MODEL, false).stream(new Prompt(QUESTION))
      .map(response -> response.getResult().getOutput().getText())
      .collect(Collectors.joining())
      .block(WITHIN);

    assertThat(text).isEqualTo(Script.FUSED_TEXT);
  }

  @Test
  void fusedStreamWithUsage() {
    List<ChatResponse> responses = model(Script.FUSION_MODEL, true).stream(new Prompt(QUESTION)).collectList().block(WITHIN);

    assertStream(responses, Script.FUSED_TEXT, Script.FUSION_MODEL, Script.FUSED_USAGE);
  }

  /** ChatClient, the API most Spring AI apps stream with: {@code .stream().content()}. */
  @Test
  void fusedChatClientStream() {
    String text = ChatClient.create(model(Script.FUSION_MODEL, false)).prompt(QUESTION).stream().content()
      .collect(Collectors.joining())
      .block(WITHIN);

    assertThat(text).isEqualTo(Script.FUSED_TEXT);
  }

  @Test
  void passedThroughChatClientStream() {
    String text = ChatClient.create(model(Script.PASS_THROUGH_MODEL, false)).prompt(QUESTION).stream().content()
      .collect(Collectors.joining())
      .block(WITHIN);

    assertThat(text).isEqualTo(Script.PASS_THROUGH_TEXT);
  }

  @Test
  void passedThroughCall() {
    ChatResponse response = model(Script.PASS_THROUGH_MODEL, false).call(new Prompt(QUESTION));

    assertThat(response.getResult().getOutput().getText()).isEqualTo(Script.PASS_THROUGH_TEXT);
    assertThat(response.getResult().getMetadata().getFinishReason()).isEqualToIgnoringCase("stop");
    assertThat(response.getMetadata().getModel()).isEqualTo(Script.PASS_THROUGH_MODEL);
    assertUsage(response.getMetadata().getUsage(), Script.PASS_THROUGH_USAGE);
  }

  @Test
  void passedThroughStreamTheUsualWay() {
    String text = model(Script.PASS_THROUGH_MODEL, false).stream(new Prompt(QUESTION))
      .map(response -> response.getResult().getOutput().getText())
      .collect(Collectors.joining())
      .block(WITHIN);

    assertThat(text).isEqualTo(Script.PASS_THROUGH_TEXT);
  }

  @Test
  void passedThroughStreamWithUsage() {
    List<ChatResponse> responses = model(Script.PASS_THROUGH_MODEL, true).stream(new Prompt(QUESTION)).collectList()
      .block(WITHIN);

    assertStream(responses, Script.PASS_THROUGH_TEXT, Script.PASS_THROUGH_MODEL, Script.PASS_THROUGH_USAGE);
  }

  /** The streamed text, a stop finish, the model on every response, and the request's usage on the last one. */
  private static void assertStream(List<ChatResponse> responses, String text, String model, Script.Usage usage) {
    assertThat(responses).isNotEmpty();
    List<Generation> results = responses.stream().map(ChatResponse::getResult).filter(Objects::nonNull).toList();
    assertThat(results.stream().map(result -> result.getOutput().getText()).filter(Objects::nonNull)
      .collect(Collectors.joining())).isEqualTo(text);
    assertThat(results).anySatisfy(result -> assertThat(result.getMetadata().getFinishReason()).isEqualToIgnoringCase("stop"));
    assertThat(responses).allSatisfy(response -> assertThat(response.getMetadata().getModel()).isEqualTo(model));
    assertUsage(responses.get(responses.size() - 1).getMetadata().getUsage(), usage);
  }

  private static void assertUsage(Usage usage, Script.Usage expected) {
    assertThat(usage).as("usage").isNotNull();
    assertThat(usage.getPromptTokens()).isEqualTo(expected.prompt());
    assertThat(usage.getCompletionTokens()).isEqualTo(expected.completion());
    assertThat(usage.getTotalTokens()).isEqualTo(expected.total());
  }
}

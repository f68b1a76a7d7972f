package io.openfusion.app.testing;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;

import java.time.Duration;

/**
 * The official OpenAI and Anthropic SDK clients pointed at a node, as a client application would configure them, but
 * with no retries (a retry would hide a failed first answer) and a deadline per call.
 */
public final class Sdks {

  private static final Duration CALL_DEADLINE = Duration.ofSeconds(20);

  private Sdks() {
  }

  /** An OpenAI SDK client of the extension's first node, closed with it (from {@code @BeforeAll}: after the class). */
  public static OpenAIClient openAi(NodeExtension<?> openfusion) {
    OpenAIClient sdk = OpenAIOkHttpClient.builder()
      .baseUrl("http://127.0.0.1:" + openfusion.port() + "/v1")
      .apiKey("sk-test")
      .maxRetries(0)
      .timeout(CALL_DEADLINE)
      .build();
    openfusion.onClose("the OpenAI SDK client", sdk::close);
    return sdk;
  }

  /** An Anthropic SDK client of the extension's first node, closed with it (from {@code @BeforeAll}: after the class). */
  public static AnthropicClient anthropic(NodeExtension<?> openfusion) {
    AnthropicClient sdk = AnthropicOkHttpClient.builder()
      .baseUrl("http://127.0.0.1:" + openfusion.port())
      .apiKey("sk-ant-test")
      .maxRetries(0)
      .timeout(CALL_DEADLINE)
      .build();
    openfusion.onClose("the Anthropic SDK client", sdk::close);
    return sdk;
  }
}

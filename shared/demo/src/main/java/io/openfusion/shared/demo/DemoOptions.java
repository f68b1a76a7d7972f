package io.openfusion.shared.demo;

import io.vertx.core.json.JsonObject;

/**
 * Settings of the simulated provider behind {@code --demo}.
 *
 * @param host               interface to bind; loopback by default so the demo never listens publicly
 * @param port               TCP port, {@code 0} picks a free one
 * @param firstTokenDelayMs  streaming: wait before the first chunk
 * @param interTokenDelayMs  streaming: wait between chunks
 * @param answerDelayMs      non-streaming: wait before the whole answer
 * @param maxTokensPerAnswer server-side cap on emitted word tokens; going over it ends with {@code "length"}
 */
public record DemoOptions(String host, int port, long firstTokenDelayMs, long interTokenDelayMs,
                          long answerDelayMs, int maxTokensPerAnswer) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 0;
  public static final long DEFAULT_FIRST_TOKEN_DELAY_MS = 300;
  public static final long DEFAULT_INTER_TOKEN_DELAY_MS = 25;
  public static final long DEFAULT_ANSWER_DELAY_MS = 800;
  public static final int DEFAULT_MAX_TOKENS_PER_ANSWER = 1024;
  /** Tests and benchmarks may ask for long answers through {@code x-demo-tokens}. */
  public static final int INSTANT_MAX_TOKENS_PER_ANSWER = 100_000;

  public DemoOptions {
    if (host == null || host.isBlank()) {
      host = DEFAULT_HOST;
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    if (firstTokenDelayMs < 0 || interTokenDelayMs < 0 || answerDelayMs < 0) {
      throw new IllegalArgumentException("demo delays must be >= 0");
    }
    if (maxTokensPerAnswer <= 0) {
      throw new IllegalArgumentException("maxTokensPerAnswer must be > 0, got " + maxTokensPerAnswer);
    }
  }

  /** Delays that make a live demo look like a real model is typing. */
  public static DemoOptions interactive() {
    return new DemoOptions(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_FIRST_TOKEN_DELAY_MS,
      DEFAULT_INTER_TOKEN_DELAY_MS, DEFAULT_ANSWER_DELAY_MS, DEFAULT_MAX_TOKENS_PER_ANSWER);
  }

  /** No delays at all, for tests; per-request headers can still slow a single call down. */
  public static DemoOptions instant() {
    return new DemoOptions(DEFAULT_HOST, DEFAULT_PORT, 0, 0, 0, INSTANT_MAX_TOKENS_PER_ANSWER);
  }

  /**
   * Reads the keys written by {@link #toJson()}; missing keys fall back to {@link #interactive()}.
   */
  public static DemoOptions fromJson(JsonObject json) {
    DemoOptions d = interactive();
    if (json == null) {
      return d;
    }
    return new DemoOptions(
      json.getString("host", d.host()),
      json.getInteger("port", d.port()),
      json.getLong("firstTokenDelayMs", d.firstTokenDelayMs()),
      json.getLong("interTokenDelayMs", d.interTokenDelayMs()),
      json.getLong("answerDelayMs", d.answerDelayMs()),
      json.getInteger("maxTokensPerAnswer", d.maxTokensPerAnswer()));
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("host", host)
      .put("port", port)
      .put("firstTokenDelayMs", firstTokenDelayMs)
      .put("interTokenDelayMs", interTokenDelayMs)
      .put("answerDelayMs", answerDelayMs)
      .put("maxTokensPerAnswer", maxTokensPerAnswer);
  }

  public DemoOptions withHost(String host) {
    return new DemoOptions(host, port, firstTokenDelayMs, interTokenDelayMs, answerDelayMs, maxTokensPerAnswer);
  }

  public DemoOptions withPort(int port) {
    return new DemoOptions(host, port, firstTokenDelayMs, interTokenDelayMs, answerDelayMs, maxTokensPerAnswer);
  }

  public DemoOptions withDelays(long firstTokenDelayMs, long interTokenDelayMs, long answerDelayMs) {
    return new DemoOptions(host, port, firstTokenDelayMs, interTokenDelayMs, answerDelayMs, maxTokensPerAnswer);
  }

  public DemoOptions withMaxTokensPerAnswer(int maxTokensPerAnswer) {
    return new DemoOptions(host, port, firstTokenDelayMs, interTokenDelayMs, answerDelayMs, maxTokensPerAnswer);
  }
}

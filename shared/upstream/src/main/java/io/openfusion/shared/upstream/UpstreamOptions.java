package io.openfusion.shared.upstream;

import io.vertx.core.json.JsonObject;

/**
 * Client-wide limits for upstream calls. All durations are milliseconds.
 *
 * @param connectTimeoutMs    TCP (and TLS) connect, including waiting for a pooled connection; also capped by the deadline
 * @param firstTokenTimeoutMs streaming only: from the start of the call to the first SSE data event
 * @param idleTimeoutMs       longest silence between two received body chunks once the body (non-streaming) or the first
 *                            token (streaming) has started
 * @param maxPoolSize         HTTP/1.1 connections per upstream host:port
 * @param maxEventBytes       largest single SSE event accepted
 * @param maxResponseBytes    largest non-streaming response body accepted
 */
public record UpstreamOptions(long connectTimeoutMs, long firstTokenTimeoutMs, long idleTimeoutMs, int maxPoolSize,
                              int maxEventBytes, long maxResponseBytes) {

  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
  public static final long DEFAULT_FIRST_TOKEN_TIMEOUT_MS = 60_000;
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 60_000;
  public static final int DEFAULT_MAX_POOL_SIZE = 256;
  public static final int DEFAULT_MAX_EVENT_BYTES = 1024 * 1024;
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 32L * 1024 * 1024;

  public UpstreamOptions {
    positive("connectTimeoutMs", connectTimeoutMs);
    positive("firstTokenTimeoutMs", firstTokenTimeoutMs);
    positive("idleTimeoutMs", idleTimeoutMs);
    positive("maxPoolSize", maxPoolSize);
    positive("maxEventBytes", maxEventBytes);
    positive("maxResponseBytes", maxResponseBytes);
  }

  /** @return 10 s connect, 60 s first token, 60 s idle, 256 connections, 1 MiB events, 32 MiB bodies */
  public static UpstreamOptions defaults() {
    return new UpstreamOptions(DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_FIRST_TOKEN_TIMEOUT_MS, DEFAULT_IDLE_TIMEOUT_MS,
        DEFAULT_MAX_POOL_SIZE, DEFAULT_MAX_EVENT_BYTES, DEFAULT_MAX_RESPONSE_BYTES);
  }

  /** Reads the camelCase field names of this record; missing fields keep their defaults. */
  public static UpstreamOptions fromJson(JsonObject json) {
    UpstreamOptions d = defaults();
    if (json == null) {
      return d;
    }
    return new UpstreamOptions(
        json.getLong("connectTimeoutMs", d.connectTimeoutMs()),
        json.getLong("firstTokenTimeoutMs", d.firstTokenTimeoutMs()),
        json.getLong("idleTimeoutMs", d.idleTimeoutMs()),
        json.getInteger("maxPoolSize", d.maxPoolSize()),
        json.getInteger("maxEventBytes", d.maxEventBytes()),
        json.getLong("maxResponseBytes", d.maxResponseBytes()));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("connectTimeoutMs", connectTimeoutMs)
        .put("firstTokenTimeoutMs", firstTokenTimeoutMs)
        .put("idleTimeoutMs", idleTimeoutMs)
        .put("maxPoolSize", maxPoolSize)
        .put("maxEventBytes", maxEventBytes)
        .put("maxResponseBytes", maxResponseBytes);
  }

  public UpstreamOptions withConnectTimeoutMs(long v) {
    return new UpstreamOptions(v, firstTokenTimeoutMs, idleTimeoutMs, maxPoolSize, maxEventBytes, maxResponseBytes);
  }

  public UpstreamOptions withFirstTokenTimeoutMs(long v) {
    return new UpstreamOptions(connectTimeoutMs, v, idleTimeoutMs, maxPoolSize, maxEventBytes, maxResponseBytes);
  }

  public UpstreamOptions withIdleTimeoutMs(long v) {
    return new UpstreamOptions(connectTimeoutMs, firstTokenTimeoutMs, v, maxPoolSize, maxEventBytes, maxResponseBytes);
  }

  public UpstreamOptions withMaxPoolSize(int v) {
    return new UpstreamOptions(connectTimeoutMs, firstTokenTimeoutMs, idleTimeoutMs, v, maxEventBytes, maxResponseBytes);
  }

  public UpstreamOptions withMaxEventBytes(int v) {
    return new UpstreamOptions(connectTimeoutMs, firstTokenTimeoutMs, idleTimeoutMs, maxPoolSize, v, maxResponseBytes);
  }

  public UpstreamOptions withMaxResponseBytes(long v) {
    return new UpstreamOptions(connectTimeoutMs, firstTokenTimeoutMs, idleTimeoutMs, maxPoolSize, maxEventBytes, v);
  }

  private static void positive(String name, long v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + v);
    }
  }
}

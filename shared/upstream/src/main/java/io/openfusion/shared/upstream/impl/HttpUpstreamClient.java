package io.openfusion.shared.upstream.impl;

import io.openfusion.shared.upstream.Pace;
import io.openfusion.shared.upstream.StreamResult;
import io.openfusion.shared.upstream.UpstreamCall;
import io.openfusion.shared.upstream.UpstreamClient;
import io.openfusion.shared.upstream.UpstreamException;
import io.openfusion.shared.upstream.UpstreamOptions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link UpstreamClient} on one pooled Vert.x {@link HttpClientAgent} (HTTP/1.1, keep-alive, a pool per host:port).
 * Each call: a {@link DeadlineGuard} arms the clocks, the request is sent, and a reader consumes the response body
 * chunk by chunk ({@link BodyReader} or {@link SseStreamReader}); the guard settles the call exactly once. The call's
 * {@link Dialect} (from its provider) supplies the path, credentials header and body/event translation.
 */
public final class HttpUpstreamClient implements UpstreamClient {

  /** Error bodies are read up to this many bytes; the message keeps at most 500 characters of them. */
  static final int ERROR_BODY_LIMIT = 64 * 1024;

  private final Vertx vertx;
  private final UpstreamOptions options;
  private final HttpClientAgent client;

  public HttpUpstreamClient(Vertx vertx, UpstreamOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = Objects.requireNonNull(options, "options");
    this.client = vertx.httpClientBuilder()
        .with(new HttpClientOptions()
            .setKeepAlive(true)
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.connectTimeoutMs()))
            // each call's span is made around the call (the telemetry's) and sent as the call's own traceparent
            .setTracingPolicy(TracingPolicy.IGNORE)
            .setName("openfusion-upstream"))
        .with(new PoolOptions().setHttp1MaxSize(options.maxPoolSize()))
        .build();
  }

  @Override
  public Future<JsonObject> complete(UpstreamCall call) {
    return onContext(ctx -> execute(ctx, call, false,
        (resp, guard, dialect) -> onJsonResponse(resp, guard, call, dialect)));
  }

  @Override
  public Future<StreamResult> stream(UpstreamCall call, Handler<String> onData, Pace pace) {
    Objects.requireNonNull(onData, "onData");
    Objects.requireNonNull(pace, "pace");
    return onContext(ctx -> execute(ctx, call, true,
        (resp, guard, dialect) -> onStreamResponse(resp, guard, call, dialect.events(call), onData, pace)));
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }

  /** Reads the response of a sent request; the dialect translates what it reads. */
  @FunctionalInterface
  private interface ResponseHandler<T> {
    Future<T> apply(HttpClientResponse resp, DeadlineGuard<T> guard, Dialect dialect);
  }

  private <T> Future<T> execute(Context ctx, UpstreamCall call, boolean streaming, ResponseHandler<T> onResponse) {
    Dialect dialect = Dialect.of(call.provider());
    Endpoint endpoint;
    try {
      endpoint = Endpoint.of(call.baseUrl(), dialect.path());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(UpstreamErrors.invalidUrl());
    }
    // Encoded before the clocks start, so a body that cannot be encoded fails the call without leaving timers armed.
    Buffer body = dialect.requestBody(call.body(), streaming);
    DeadlineGuard<T> guard = DeadlineGuard.start(vertx, ctx, call, options, streaming);
    if (guard.settled()) {
      return guard.future();
    }
    client.request(requestOptions(call, dialect, endpoint, streaming))
        .recover(err -> Future.failedFuture(UpstreamErrors.connect(endpoint, err)))
        .compose(req -> guard.attach(req).send(body)
            .recover(err -> Future.failedFuture(UpstreamErrors.transport(err, "before the response"))))
        .compose(resp -> guard.settled() ? guard.future() : onResponse.apply(resp, guard, dialect))
        .onComplete(guard::settle);
    return guard.future();
  }

  private Future<JsonObject> onJsonResponse(HttpClientResponse resp, DeadlineGuard<JsonObject> guard,
                                            UpstreamCall call, Dialect dialect) {
    guard.startIdleWatch();
    if (!isSuccess(resp.statusCode())) {
      return httpError(resp, guard, call);
    }
    return BodyReader.read(resp, guard, options.maxResponseBytes(), false)
        .map(HttpUpstreamClient::jsonObject)
        .map(json -> healthy(json, call))
        .map(dialect::completion);
  }

  private Future<StreamResult> onStreamResponse(HttpClientResponse resp, DeadlineGuard<StreamResult> guard,
                                                UpstreamCall call, EventTranslator events,
                                                Handler<String> onData, Pace pace) {
    if (!isSuccess(resp.statusCode())) {
      guard.startIdleWatch();
      return httpError(resp, guard, call);
    }
    if (isJson(resp.getHeader(HttpHeaders.CONTENT_TYPE))) {
      guard.startIdleWatch();
      return BodyReader.read(resp, guard, ERROR_BODY_LIMIT, true)
          .compose(buf -> Future.failedFuture(UpstreamErrors.jsonInsteadOfStream(buf, call.apiKey())));
    }
    return SseStreamReader.read(resp, guard, options.maxEventBytes(), events, onData, pace, call.apiKey());
  }

  private static <T> Future<T> httpError(HttpClientResponse resp, DeadlineGuard<T> guard, UpstreamCall call) {
    int status = resp.statusCode();
    long retryAfter = RetryAfter.millis(status, resp.headers(), System.currentTimeMillis());
    return BodyReader.read(resp, guard, ERROR_BODY_LIMIT, true)
        .compose(buf -> Future.failedFuture(
            UpstreamErrors.http(status, resp.statusMessage(), buf, retryAfter, call.apiKey())));
  }

  private RequestOptions requestOptions(UpstreamCall call, Dialect dialect, Endpoint endpoint, boolean streaming) {
    long remaining = call.deadline() - System.currentTimeMillis();
    RequestOptions ro = new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setAbsoluteURI(endpoint.url())
        .setConnectTimeout(Math.max(1, Math.min(options.connectTimeoutMs(), remaining)))
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.ACCEPT, streaming ? "text/event-stream" : "application/json")
        .putHeader(HttpHeaders.USER_AGENT, "openfusion");
    dialect.headers(ro, call);
    if (call.trace() != null) {
      call.trace().forEach(ro::putHeader);
    }
    return ro;
  }

  /** Runs the call on the current context, or on a fresh event-loop context when called from a foreign thread. */
  private <T> Future<T> onContext(Function<Context, Future<T>> action) {
    Context current = Vertx.currentContext();
    if (current != null) {
      return safely(() -> action.apply(current));
    }
    Context ctx = vertx.getOrCreateContext();
    Promise<T> promise = Promise.promise();
    ctx.runOnContext(v -> safely(() -> action.apply(ctx)).onComplete(promise));
    return promise.future();
  }

  private static <T> Future<T> safely(Supplier<Future<T>> action) {
    try {
      return action.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /**
   * A 2xx answer can still report a failure (OpenRouter answers 200 with an error body when the model failed after
   * routing; a choice can finish with {@code "error"}): that is a failed call, not an answer. Checked on the body as
   * the upstream sent it, before any translation.
   */
  private static JsonObject healthy(JsonObject json, UpstreamCall call) {
    UpstreamException reported = InBandErrors.ofCompletion(json, call.apiKey());
    if (reported != null) {
      throw reported;
    }
    return json;
  }

  private static JsonObject jsonObject(Buffer body) {
    Object value;
    try {
      value = body.length() == 0 ? null : Json.decodeValue(body);
    } catch (RuntimeException e) {
      throw UpstreamErrors.invalidJson();
    }
    if (value instanceof JsonObject json) {
      return json;
    }
    throw UpstreamErrors.invalidJson();
  }

  private static boolean isSuccess(int status) {
    return status >= 200 && status < 300;
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String ct = contentType.toLowerCase(Locale.ROOT);
    int semi = ct.indexOf(';');
    String type = (semi < 0 ? ct : ct.substring(0, semi)).trim();
    return type.equals("application/json") || type.endsWith("+json");
  }
}

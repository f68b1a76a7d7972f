package io.openfusion.shared.upstream.pricing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One unauthenticated {@code GET {baseUrl}/models} with a wall-clock timeout and a body size limit.
 * No key is sent: the price list is public on OpenRouter, and a provider key must not leak to a
 * URL whose only purpose is a cost estimate.
 */
final class ModelsFetcher {

  private final HttpClientAgent client;
  private final long maxBodyBytes;
  private final long timeoutMs;

  ModelsFetcher(Vertx vertx, long maxBodyBytes, long timeoutMs) {
    this.client = vertx.httpClientBuilder()
      .with(new HttpClientOptions().setConnectTimeout((int) timeoutMs).setName("openfusion-pricing"))
      .build();
    this.maxBodyBytes = maxBodyBytes;
    this.timeoutMs = timeoutMs;
  }

  /** Fails on a transport error, a non-2xx status, a body over the limit or the timeout. */
  Future<Buffer> fetch(String baseUrl) {
    RequestOptions options;
    try {
      options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setAbsoluteURI(baseUrl + "/models")
        .setConnectTimeout(timeoutMs)
        .setIdleTimeout(timeoutMs)
        .putHeader(HttpHeaders.ACCEPT, "application/json")
        .putHeader(HttpHeaders.USER_AGENT, "openfusion");
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    return client.request(options)
      .compose(req -> {
        sent.set(req);
        return req.send();
      })
      .compose(this::body)
      .timeout(timeoutMs, TimeUnit.MILLISECONDS)
      .onFailure(err -> {
        // Frees the connection when we stop reading early (timeout, error status, oversized body).
        HttpClientRequest req = sent.get();
        if (req != null) {
          req.reset();
        }
      });
  }

  Future<Void> close() {
    return client.close();
  }

  private Future<Buffer> body(HttpClientResponse resp) {
    Promise<Buffer> promise = Promise.promise();
    // Set first: a reset after an early failure reports here instead of being logged as unhandled.
    resp.exceptionHandler(promise::tryFail);
    if (resp.statusCode() < 200 || resp.statusCode() >= 300) {
      return Future.failedFuture(new IllegalStateException("GET /models answered HTTP " + resp.statusCode()));
    }
    String declared = resp.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (declared != null && declared.trim().matches("\\d{1,18}") && Long.parseLong(declared.trim()) > maxBodyBytes) {
      return Future.failedFuture(tooLarge());
    }
    // Read chunk by chunk rather than resp.body(), which would buffer whatever the server sends.
    Buffer acc = Buffer.buffer();
    resp.handler(chunk -> {
      if (promise.future().isComplete()) {
        return;
      }
      if (acc.length() + (long) chunk.length() > maxBodyBytes) {
        promise.tryFail(tooLarge());
      } else {
        acc.appendBuffer(chunk);
      }
    });
    resp.endHandler(v -> promise.tryComplete(acc));
    return promise.future();
  }

  private IllegalStateException tooLarge() {
    return new IllegalStateException("GET /models body is over " + maxBodyBytes + " bytes");
  }
}

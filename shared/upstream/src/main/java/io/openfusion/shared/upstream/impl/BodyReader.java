package io.openfusion.shared.upstream.impl;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * Reads a response body into memory with a byte limit, chunk by chunk (never {@code body()}), so a hostile upstream
 * cannot exhaust memory. Over the limit, it either fails with TOO_LARGE or, for error bodies, completes with the first
 * {@code limit} bytes. Either way the guard then resets the request, because the response has not ended.
 */
final class BodyReader {

  private BodyReader() {
  }

  static Future<Buffer> read(HttpClientResponse resp, DeadlineGuard<?> guard, long limit, boolean truncate) {
    Promise<Buffer> promise = Promise.promise();
    long declared = contentLength(resp);
    if (declared > limit && !truncate) {
      return Future.failedFuture(UpstreamErrors.tooLarge(limit));
    }
    Buffer acc = Buffer.buffer((int) Math.min(Math.max(declared, 256), Math.min(limit, 64 * 1024)));
    resp.exceptionHandler(t -> promise.tryFail(UpstreamErrors.transport(t, "while reading the response")));
    resp.handler(chunk -> {
      guard.touch();
      if (promise.future().isComplete()) {
        return;
      }
      long room = limit - acc.length();
      if (chunk.length() <= room) {
        acc.appendBuffer(chunk);
      } else if (truncate) {
        acc.appendBuffer(chunk, 0, (int) room);
        promise.tryComplete(acc);
      } else {
        promise.tryFail(UpstreamErrors.tooLarge(limit));
      }
    });
    resp.endHandler(v -> {
      guard.responseEnded();
      promise.tryComplete(acc);
    });
    return promise.future();
  }

  private static long contentLength(HttpClientResponse resp) {
    String v = resp.getHeader("content-length");
    if (v == null) {
      return -1;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}

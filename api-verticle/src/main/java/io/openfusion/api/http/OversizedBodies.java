package io.openfusion.api.http;

import io.netty.channel.socket.DuplexChannel;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;

/**
 * 413 {@code request_too_large} for a body over {@code server.max_body_mb}, answered at once and never left
 * hanging, whatever the client does with the rest of its body.
 *
 * <p>A client without {@code Expect: 100-continue} (Python's {@code http.client}, httpx, curl with
 * {@code -H 'Expect:'}) writes its whole body before it reads anything. Were the body left unread, its writes
 * would block on a full TCP window and it would never see the answer; were the connection simply closed with body
 * bytes still unread, the kernel would reset it and the client would see "connection reset" instead of the 413.
 * So the answer carries {@code Connection: close}, the server then closes its sending side (the client reads the
 * 413 and the end of the stream at once), discards whatever the client still sends, and closes the connection when
 * the body ends or after {@link #LINGER_MS}, whichever comes first.
 */
public final class OversizedBodies {

  /** How long the rest of an oversized body is read and thrown away after the 413 before the connection is cut. */
  public static final long LINGER_MS = 5_000;

  private OversizedBodies() {
  }

  /**
   * Refuses a request whose declared {@code Content-Length} is over {@code maxBytes} before anything else is done
   * for it (no rate-limit window, no in-flight slot, no byte of the body read). Chunked bodies have no declared
   * length: the {@code BodyHandler} stops them when they grow past the limit.
   */
  public static Handler<RoutingContext> declaredOver(long maxBytes) {
    return ctx -> {
      if (declaredLength(ctx.request()) > maxBytes) {
        reject(ctx);
      } else {
        ctx.next();
      }
    };
  }

  /** Answers 413 and ends the connection without waiting for the body (HTTP/1.x; HTTP/2 only ends the stream). */
  public static void reject(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    HttpServerResponse response = ctx.response();
    if (response.headWritten() || response.closed()) {
      return;
    }
    ApiError error = ApiError.of(ErrorCode.REQUEST_TOO_LARGE,
      "Request body is too large; shrink it or raise server.max_body_mb in the config");
    if (request.version() == HttpVersion.HTTP_2) {
      // other streams share the connection: ending this one is all it takes
      ErrorResponses.send(ctx, error);
      return;
    }
    response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
    Future<Void> written = response.setStatusCode(error.status())
      .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
      .end(ErrorResponses.format(ctx).body(error).encode());
    HttpConnection connection = request.connection();
    long deadline = ctx.vertx().setTimer(LINGER_MS, late -> connection.close());
    Future<Void> bodyGone = discardRest(request);
    written.onComplete(done -> closeSendingSide(connection));
    Future.join(written, bodyGone).onComplete(done -> {
      ctx.vertx().cancelTimer(deadline);
      connection.close();
    });
  }

  /** Reads and drops what is left of the body; completes when it ended or broke off. */
  private static Future<Void> discardRest(HttpServerRequest request) {
    if (request.isEnded()) {
      return Future.succeededFuture();
    }
    Promise<Void> gone = Promise.promise();
    request.handler(ignored -> { });
    request.endHandler(ended -> gone.tryComplete());
    request.exceptionHandler(failure -> gone.tryComplete());
    // admission pauses requests before their body is read
    request.resume();
    return gone.future();
  }

  /**
   * Sends the end of the stream right after the 413, so a client that waits for the answer sees the connection end
   * without waiting out {@link #LINGER_MS}; the receiving side stays open to drain the body. Where the transport
   * offers no half-close the client still has {@code Content-Length} and {@code Connection: close}.
   */
  private static void closeSendingSide(HttpConnection connection) {
    if (connection instanceof ConnectionBase base && base.channel() instanceof DuplexChannel channel
      && channel.isActive() && !channel.isOutputShutdown()) {
      channel.shutdownOutput();
    }
  }

  /** The declared body length, -1 when there is none (or it is not a number: the {@code BodyHandler} answers 400). */
  static long declaredLength(HttpServerRequest request) {
    String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}

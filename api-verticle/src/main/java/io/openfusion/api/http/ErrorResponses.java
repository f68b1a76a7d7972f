package io.openfusion.api.http;

import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.openfusion.shared.logging.RequestIdMdc;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes every error as the OpenAI envelope with a stable code, including the router's own 404/405/413, or in the
 * shape of the API a route serves when the route chose one ({@link #use}).
 */
public final class ErrorResponses {

  private static final String FORMAT = "openfusion.error-format";
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

  private ErrorResponses() {
  }

  /** Errors of this request, from any handler after this one (auth, admission, body limit...), take {@code format}. */
  public static void use(RoutingContext ctx, ErrorFormat format) {
    ctx.put(FORMAT, format);
  }

  /** The error shape of this request's API. */
  public static ErrorFormat format(RoutingContext ctx) {
    ErrorFormat format = ctx.get(FORMAT);
    return format == null ? ErrorFormat.OPENAI : format;
  }

  public static void send(RoutingContext ctx, ApiError error) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten() || response.closed()) {
      return;
    }
    if (error.retryAfterSeconds() > 0) {
      response.putHeader("Retry-After", Long.toString(error.retryAfterSeconds()));
    }
    response.setStatusCode(error.status())
      .putHeader("content-type", "application/json")
      .end(format(ctx).body(error).encode());
  }

  /** The failure handler for statuses vertx-web raises itself. */
  public static void onFailure(RoutingContext ctx) {
    int status = ctx.statusCode();
    if (status == 413) {
      // the body is still arriving: answering must not wait for it, nor leave the client writing into a dead end
      OversizedBodies.reject(ctx);
      return;
    }
    ApiError error = switch (status) {
      case 404 -> ApiError.of(ErrorCode.NOT_FOUND, "No route for " + ctx.request().method() + " " + ctx.request().path()
        + "; the API lives under /v1 (see GET /v1/models)");
      case 405 -> ApiError.of(ErrorCode.METHOD_NOT_ALLOWED, "Method " + ctx.request().method() + " is not allowed on "
        + ctx.request().path());
      case 400 -> ApiError.of(ErrorCode.INVALID_BODY, "Bad request");
      default -> ctx.failure() instanceof ApiError apiError ? apiError
        : ApiError.of(ErrorCode.INTERNAL_ERROR, "Internal error; the server log has the details (request id "
          + ctx.response().headers().get(RequestIds.HEADER) + ")");
    };
    if (error.code().equals(ErrorCode.INTERNAL_ERROR.wire()) && ctx.failure() != null) {
      RequestIdMdc.run(RequestIds.of(ctx), () -> LOG.error("unhandled failure on {}", ctx.request().path(), ctx.failure()));
    }
    send(ctx, error);
  }
}

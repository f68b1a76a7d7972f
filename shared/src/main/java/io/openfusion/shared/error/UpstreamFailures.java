package io.openfusion.shared.error;

import io.openfusion.shared.upstream.UpstreamException;

/** Turns what went wrong with an upstream call into what a client is told. */
public final class UpstreamFailures {

  private UpstreamFailures() {
  }

  /** Keeps an upstream HTTP status; timeouts become 504; every other transport problem a 502. */
  public static ApiError toApiError(Throwable failure) {
    if (failure instanceof ApiError apiError) {
      return apiError;
    }
    if (failure instanceof UpstreamException upstream) {
      return switch (upstream.kind()) {
        case HTTP_STATUS -> ApiError.upstream(upstream.status(), upstream.getMessage());
        case TIMEOUT -> ApiError.of(ErrorCode.TIMEOUT, upstream.getMessage());
        default -> ApiError.of(ErrorCode.UPSTREAM_ERROR, upstream.getMessage());
      };
    }
    return ApiError.of(ErrorCode.UPSTREAM_ERROR, "Upstream call failed: " + failure.getClass().getSimpleName());
  }

  /** Short reason for progress events and "All panel members failed" messages. */
  public static String reason(Throwable failure) {
    String message = failure.getMessage();
    return message == null ? failure.getClass().getSimpleName() : message;
  }
}

package io.openfusion.shared.upstream;

import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;

/** Turns what went wrong with an upstream call into what a client is told. */
public final class UpstreamFailures {

  private UpstreamFailures() {
  }

  /**
   * Keeps an upstream HTTP status; timeouts become 504; an error the upstream reported inside a 2xx answer, a cut
   * stream and every other transport problem a 502 {@code upstream_error}, with the upstream client's message (the
   * provider's own words where it gave some).
   */
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

package io.openfusion.api.http;

import io.openfusion.shared.bus.TraceHeaders;
import io.openfusion.shared.logging.RequestIdMdc;
import io.openfusion.shared.tracing.Tracing;
import io.vertx.ext.web.RoutingContext;

/**
 * Where a request's trace starts on the api: the node's Vert.x tracer made the HTTP server span (continuing the
 * client's {@code traceparent} when it sent one); this handler marks it with the request id, keeps what the request's
 * bus message will carry ({@link #of}), and puts the trace into the log lines of the handlers that run synchronously
 * after it. Installed only on a node with traces, right after {@link RequestIds}.
 */
public final class EdgeTraces {

  private static final String KEY = "openfusion.trace";

  private final Tracing tracing;

  public EdgeTraces(Tracing tracing) {
    this.tracing = tracing;
  }

  public void mark(RoutingContext ctx) {
    String requestId = RequestIds.of(ctx);
    TraceHeaders trace = tracing.edge(requestId);
    if (trace == null) {
      ctx.next();
      return;
    }
    ctx.put(KEY, trace);
    RequestIdMdc.run(requestId, trace.traceId(), trace.spanId(), ctx::next);
  }

  /** @return the request's server span as bus headers, or null (no traces, or no span for this request) */
  public static TraceHeaders of(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}

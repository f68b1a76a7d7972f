package io.openfusion.api.http;

import io.openfusion.shared.logging.RequestIdMdc;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Takes the client's {@code X-Request-Id} when it is sane, otherwise makes one, and echoes it back. The handlers
 * that run synchronously after it log with that id ({@link RequestIdMdc}).
 */
public final class RequestIds {

  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "openfusion.request-id";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private RequestIds() {
  }

  public static void assign(RoutingContext ctx) {
    String given = ctx.request().getHeader(HEADER);
    String id = given != null && SAFE.matcher(given).matches() ? given : UUID.randomUUID().toString();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    RequestIdMdc.run(id, ctx::next);
  }

  public static String of(RoutingContext ctx) {
    return ctx.get(KEY);
  }
}

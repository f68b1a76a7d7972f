package io.openfusion.api.http;

import io.vertx.ext.web.RoutingContext;

/**
 * Security headers for the playground's pages and assets. The playground is plain files from this
 * origin (its libraries come from {@code /webjars/}) and talks only to {@code /v1} on the same origin,
 * so the policy allows nothing else: no inline script, no inline style sheet, no other host, no
 * framing. Images may be data URLs (attached pictures are previewed that way).
 */
public final class PlaygroundHeaders {

  /** Same-origin only; {@code data:} images for attachment previews; no plugins, no framing. */
  public static final String CONTENT_SECURITY_POLICY = String.join("; ",
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'");

  private PlaygroundHeaders() {
  }

  public static void apply(RoutingContext ctx) {
    ctx.response().headers()
      .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
      .set("X-Content-Type-Options", "nosniff")
      .set("Referrer-Policy", "no-referrer")
      .set("X-Frame-Options", "DENY");
    ctx.next();
  }
}

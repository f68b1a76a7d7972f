package io.openfusion.api.http;

import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.openfusion.shared.identity.CallerIds;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * The optional gateway allowlist. Compares against every key in constant time (no early exit), so the
 * response time does not reveal how much of a key matched.
 */
public final class GatewayAuth {

  private static final String CALLER = "openfusion.caller";
  /** Anthropic's key header, accepted like a bearer token. */
  public static final String API_KEY_HEADER = "x-api-key";
  private final List<byte[]> keys;

  public GatewayAuth(List<String> keys) {
    this.keys = keys.stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
  }

  public void handle(RoutingContext ctx) {
    if (keys.isEmpty()) {
      var address = ctx.request().remoteAddress();
      ctx.put(CALLER, io.openfusion.shared.identity.CallerIds.ofAddress(address == null ? null : address.hostAddress()));
      ctx.next();
      return;
    }
    String token = token(ctx);
    if (!matches(token.getBytes(StandardCharsets.UTF_8))) {
      ErrorResponses.send(ctx, ApiError.of(ErrorCode.INVALID_API_KEY,
        "Invalid API key: send 'Authorization: Bearer <key>' (or 'x-api-key: <key>') with one of this server's gateway keys"));
      return;
    }
    ctx.put(CALLER, callerId(token));
    ctx.next();
  }

  /** The bearer token, else the {@code x-api-key} header Anthropic's clients send; empty when neither is there. */
  private static String token(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header != null && header.startsWith("Bearer ")) {
      return header.substring(7).strip();
    }
    String apiKey = ctx.request().getHeader(API_KEY_HEADER);
    return apiKey == null ? "" : apiKey.strip();
  }

  /** Identifies a key without carrying it: the caller id travels on the event bus and into per-caller state. */
  private static String callerId(String token) {
    // the same derivation budgets use to find their key (CallerIds), so the two always agree
    return CallerIds.ofGatewayKey(token);
  }

  private boolean matches(byte[] token) {
    boolean found = false;
    for (byte[] key : keys) {
      found |= MessageDigest.isEqual(key, token);
    }
    return found;
  }

  /** Who is calling: the gateway key when keys are configured, else the client address. */
  public static String caller(RoutingContext ctx) {
    return ctx.get(CALLER);
  }
}

package io.openfusion.api.chat;

import io.vertx.core.http.HttpServerRequest;

/**
 * Whether a client gets openfusion's named SSE events ({@code event: progress}, {@code usage},
 * {@code analysis}, {@code panel_answer}).
 *
 * <p>Browsers, curl and the openfusion CLI read them happily, but OpenAI's generated SDKs hand every
 * SSE message to the caller as a chat chunk whatever its event name, and a chunk without
 * {@code choices} breaks ordinary SDK code. So those SDKs (recognised by the {@code X-Stainless-Lang}
 * header they all send) get the same information as SSE comments, which every parser skips, unless
 * they ask otherwise. {@code X-OpenFusion-Events: on|off} always wins.
 */
public final class EventsPreference {

  public static final String HEADER = "X-OpenFusion-Events";
  private static final String SDK_HEADER = "X-Stainless-Lang";

  private EventsPreference() {
  }

  public static boolean wants(HttpServerRequest request) {
    String explicit = request.getHeader(HEADER);
    if (explicit != null) {
      return !("off".equalsIgnoreCase(explicit.strip()) || "false".equalsIgnoreCase(explicit.strip())
        || "0".equals(explicit.strip()));
    }
    return request.getHeader(SDK_HEADER) == null;
  }
}

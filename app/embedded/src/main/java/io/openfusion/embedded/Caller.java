package io.openfusion.embedded;

import io.openfusion.shared.identity.CallerIds;
import io.vertx.core.MultiMap;

/**
 * Who sent a request, as a {@link RecipeResolver} sees it.
 *
 * @param id      the caller id openfusion keeps per-caller state under: {@code key:<fingerprint>} for a request
 *                authenticated with one of the config's gateway keys ({@link #idOfGatewayKey}), {@code ip:<address>}
 *                when the config has no gateway keys. It never contains the key itself.
 * @param headers the request's HTTP headers (read only; e.g. a tenant header the host's own gateway set)
 */
public record Caller(String id, MultiMap headers) {

  /**
   * The caller id of requests authenticated with {@code gatewayKey}, to map a host's keys to its tenants once, at start.
   *
   * @param gatewayKey one of the config's {@code gateway.api_keys}
   * @return the id {@link #id()} carries for that key
   */
  public static String idOfGatewayKey(String gatewayKey) {
    return CallerIds.ofGatewayKey(gatewayKey);
  }

  /** @return the value of header {@code name}, or null */
  public String header(String name) {
    return headers == null ? null : headers.get(name);
  }
}

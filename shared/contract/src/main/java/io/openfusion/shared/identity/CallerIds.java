package io.openfusion.shared.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The caller identities per-caller state is kept under: {@code key:<fingerprint>} for a gateway key,
 * {@code ip:<address>} when the gateway is open. The fingerprint identifies a key without carrying it,
 * so caller ids may travel on the event bus, name map entries and appear in logs.
 */
public final class CallerIds {

  /** Hex characters of SHA-256 kept: 96 bits, plenty to tell a server's keys apart. */
  private static final int FINGERPRINT_BYTES = 12;

  private CallerIds() {
  }

  /** The caller id of a request authenticated with {@code gatewayKey}. */
  public static String ofGatewayKey(String gatewayKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(gatewayKey.getBytes(StandardCharsets.UTF_8));
      return "key:" + HexFormat.of().formatHex(digest, 0, FINGERPRINT_BYTES);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** The caller id of a request from {@code address} when the gateway is open. */
  public static String ofAddress(String address) {
    return "ip:" + (address == null ? "unknown" : address);
  }
}

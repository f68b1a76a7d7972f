package io.openfusion.api.wire;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Random ids with the prefixes each API's clients know ({@code resp_}, {@code msg_}, {@code fc_}, {@code toolu_}). */
public final class Ids {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {
  }

  /** {@code prefix} followed by 24 hex digits. */
  public static String random(String prefix) {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    return prefix + HexFormat.of().formatHex(bytes);
  }
}

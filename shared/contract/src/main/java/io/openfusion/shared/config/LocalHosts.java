package io.openfusion.shared.config;

import java.net.URI;

/** Tells hosts on this machine or a private network from remote ones, by the URL alone (no DNS). */
final class LocalHosts {

  private LocalHosts() {
  }

  static boolean isLocal(String baseUrl) {
    String host;
    try {
      host = URI.create(baseUrl).getHost();
    } catch (IllegalArgumentException | NullPointerException e) {
      return false;
    }
    if (host == null) {
      return false;
    }
    host = host.toLowerCase();
    return host.equals("localhost") || host.endsWith(".localhost") || host.startsWith("127.") || host.equals("[::1]")
      || host.startsWith("10.") || host.startsWith("192.168.") || isPrivate172(host) || host.equals("host.docker.internal")
      || !host.contains(".") && !host.contains(":");
  }

  private static boolean isPrivate172(String host) {
    if (!host.startsWith("172.")) {
      return false;
    }
    String[] parts = host.split("\\.");
    try {
      int second = Integer.parseInt(parts[1]);
      return second >= 16 && second <= 31;
    } catch (RuntimeException e) {
      return false;
    }
  }
}

package io.openfusion.bench.slow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Bytes the kernel holds in the TCP queues between the fake upstream, the proxy and the clients, from
 * {@code /proc/net/tcp} and {@code /proc/net/tcp6} (established sockets on loopback, matched by port). On loopback
 * these queues grow to megabytes per connection (send buffers auto-tune up to {@code net.ipv4.tcp_wmem}'s maximum,
 * receive buffers up to {@code tcp_rmem}'s), so an upstream that "wrote" an answer may only have filled the kernel:
 * what the fake wrote, minus what the clients read, minus these queues, is what sits inside the proxy process.
 *
 * @param fakeTx       the fake's send queues (written by the fake, not yet taken by the proxy's kernel side)
 * @param proxyRx      the proxy's receive queues on its upstream connections (arrived, not yet read by the proxy)
 * @param proxyTx      the proxy's send queues on its client connections (written by the proxy, not yet delivered)
 * @param clientRx     the clients' receive queues (delivered, not yet read by the clients)
 */
record SocketQueues(long fakeTx, long proxyRx, long proxyTx, long clientRx) {

  static final SocketQueues NONE = new SocketQueues(0, 0, 0, 0);

  long total() {
    return fakeTx + proxyRx + proxyTx + clientRx;
  }

  /**
   * @param proxyPort the proxy's HTTP port
   * @param fakePort  the fake upstream's port
   */
  static SocketQueues read(int proxyPort, int fakePort) {
    List<String> lines = new java.util.ArrayList<>();
    for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        lines.addAll(Files.readAllLines(Path.of(file)));
      } catch (IOException e) {
        // no IPv6 table: nothing to add
      }
    }
    return parse(lines, proxyPort, fakePort);
  }

  /** Sums the queues of the established sockets in {@code /proc/net/tcp}-format lines (header lines are skipped). */
  static SocketQueues parse(List<String> lines, int proxyPort, int fakePort) {
    long[] sums = new long[4];
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 5 || !f[3].equals("01") || !f[0].endsWith(":")) {
        continue; // established sockets only
      }
      int local = port(f[1]);
      int remote = port(f[2]);
      String[] q = f[4].split(":");
      long tx = Long.parseLong(q[0], 16);
      long rx = Long.parseLong(q[1], 16);
      if (local == fakePort) {
        sums[0] += tx;
      } else if (remote == fakePort) {
        sums[1] += rx;
      } else if (local == proxyPort) {
        sums[2] += tx;
      } else if (remote == proxyPort) {
        sums[3] += rx;
      }
    }
    return new SocketQueues(sums[0], sums[1], sums[2], sums[3]);
  }

  private static int port(String address) {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1), 16);
  }
}

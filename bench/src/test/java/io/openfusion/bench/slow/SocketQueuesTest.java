package io.openfusion.bench.slow;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SocketQueuesTest {

  @Test
  void queuesAreSummedBySideOfTheProxy() {
    // proxy on :8080 (0x1F90), fake upstream on :9000 (0x2328)
    List<String> lines = List.of(
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
      "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1",
      // the fake's side of an upstream connection: 0x100 bytes not yet taken
      "   1: 0100007F:2328 0100007F:A000 01 00000100:00000000 00:00000000 00000000     0        0 2 1",
      // the proxy's side of it: 0x200 bytes arrived, not read
      "   2: 0100007F:A000 0100007F:2328 01 00000000:00000200 00:00000000 00000000     0        0 3 1",
      // the proxy's side of a client connection: 0x300 bytes written, not delivered
      "   3: 0100007F:1F90 0100007F:B000 01 00000300:00000000 00:00000000 00000000     0        0 4 1",
      // the client's side: 0x400 bytes delivered, not read
      "   4: 0100007F:B000 0100007F:1F90 01 00000000:00000400 00:00000000 00000000     0        0 5 1",
      // a closing socket (state 06) and another service are ignored
      "   5: 0100007F:B001 0100007F:1F90 06 00000000:00009999 00:00000000 00000000     0        0 6 1",
      "   6: 0100007F:C000 0100007F:0050 01 00000777:00000777 00:00000000 00000000     0        0 7 1");
    SocketQueues q = SocketQueues.parse(lines, 8080, 9000);
    assertThat(q).isEqualTo(new SocketQueues(0x100, 0x200, 0x300, 0x400));
    assertThat(q.total()).isEqualTo(0x100 + 0x200 + 0x300 + 0x400);
  }

  @Test
  void ipv6LinesParseTheSameWay() {
    List<String> lines = List.of(
      "   0: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:B000 01 00001000:00000000 00:00000000 00000000 0 0 1 1");
    assertThat(SocketQueues.parse(lines, 8080, 9000).proxyTx()).isEqualTo(0x1000);
  }
}

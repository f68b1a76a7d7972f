package io.openfusion.app.node;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.Upstreams;
import io.openfusion.shared.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A node started without a host listens on loopback only. Asserted on the socket the kernel holds (Linux
 * {@code /proc/net/tcp}), not on the config alone: no connection to another address of this machine is needed.
 */
class DefaultListenerTest {

  private static final Path[] SOCKET_TABLES = {Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6")};
  private static final String LISTEN = "0A";

  @RegisterExtension
  static final NodeExtension<WireMockServer> openfusion = NodeExtension.wireMock().build();

  @Test
  void aNodeWithoutAHostListensOnLoopbackOnly(WireMockServer upstream) throws IOException {
    assumeTrue(Files.isReadable(SOCKET_TABLES[0]), "needs Linux /proc/net/tcp");
    var config = Upstreams.panelRecipe(upstream, List.of("m1"), "judge-m")
      .withServer(ServerConfig.defaults().withPort(0));
    Node node = openfusion.start(new NodeOptions(config, Role.all(), null, 1, "test-" + UUID.randomUUID())).node();

    List<InetAddress> bound = listeningAddresses(node.httpPort());

    assertThat(bound).as("sockets listening on port " + node.httpPort()).isNotEmpty()
      .allSatisfy(address -> assertThat(address.isLoopbackAddress()).as(address.toString()).isTrue());
  }

  /** Local addresses of the listening TCP sockets on {@code port}, from the kernel's socket tables. */
  private static List<InetAddress> listeningAddresses(int port) throws IOException {
    String portHex = String.format(Locale.ROOT, "%04X", port);
    List<InetAddress> addresses = new ArrayList<>();
    for (Path table : SOCKET_TABLES) {
      if (!Files.isReadable(table)) {
        continue;
      }
      for (String line : Files.readAllLines(table)) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length < 4 || !fields[1].contains(":")) {
          continue;
        }
        String[] local = fields[1].split(":");
        if (local[1].equalsIgnoreCase(portHex) && fields[3].equals(LISTEN)) {
          addresses.add(address(local[0]));
        }
      }
    }
    return addresses;
  }

  /** The kernel prints addresses as 32-bit words in host (little-endian) order. */
  private static InetAddress address(String hex) throws IOException {
    byte[] raw = HexFormat.of().parseHex(hex);
    for (int word = 0; word < raw.length; word += 4) {
      for (int i = 0; i < 2; i++) {
        byte b = raw[word + i];
        raw[word + i] = raw[word + 3 - i];
        raw[word + 3 - i] = b;
      }
    }
    return InetAddress.getByAddress(raw);
  }
}

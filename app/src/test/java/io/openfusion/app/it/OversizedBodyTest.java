package io.openfusion.app.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.openfusion.api.http.OversizedBodies;
import io.openfusion.app.testing.Client;
import io.openfusion.app.testing.NodeExtension;
import io.openfusion.app.testing.RunningNode;
import io.openfusion.app.testing.Upstreams;
import io.openfusion.shared.config.LimitsConfig;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.ServerConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A body over {@code server.max_body_mb} gets 413 {@code request_too_large} and the connection ends, for the clients
 * that send no {@code Expect: 100-continue}: plain sockets that declare a length or send chunks, that write their
 * whole body before reading (as Python's {@code http.client} does) or stop and wait for the answer. Every test has a
 * deadline, so a hang fails it rather than the build.
 */
class OversizedBodyTest {

  private static final int LIMIT = 64 * 1024;
  /** More than the kernel's socket buffers hold, so a client writing it all blocks until the server reads. */
  private static final int BEYOND_SOCKET_BUFFERS = 32 * 1024 * 1024;
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  /** A FIN that comes "at once" comes well before the server would cut the connection anyway. */
  private static final int AT_ONCE_MS = (int) OversizedBodies.LINGER_MS - 1_000;
  private static final String PREFIX = "{\"model\":\"openfusion\",\"messages\":[{\"role\":\"user\",\"content\":\"";
  private static final String SUFFIX = "\"}]}";

  @RegisterExtension
  static final NodeExtension<WireMockServer> openfusion = NodeExtension.wireMock().node(OversizedBodyTest::recipe).build();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"/v1/chat/completions", "/v1/estimate"})
  void declaredLengthWrittenInFullBeforeReading(String path) {
    assertTimeoutPreemptively(DEADLINE, () -> {
      byte[] body = body(BEYOND_SOCKET_BUFFERS);
      try (Socket socket = connect()) {
        OutputStream out = socket.getOutputStream();
        out.write(head(path, "Content-Length: " + body.length));
        // the whole body first, as Python's http.client and httpx do: this blocks unless the server reads it
        out.write(body);
        out.flush();

        assertTooLargeThenClosed(socket);
      }
    });
  }

  @Test
  void declaredLengthAnsweredBeforeTheBodyIsSent() {
    assertTimeoutPreemptively(DEADLINE, () -> {
      try (Socket socket = connect()) {
        OutputStream out = socket.getOutputStream();
        out.write(head("/v1/chat/completions", "Content-Length: " + (10 * LIMIT)));
        out.write(body(1024));
        out.flush();

        // nothing more is sent: the answer comes anyway, and the connection ends at once
        assertTooLargeThenClosed(socket);
      }
    });
  }

  @Test
  void chunkedBodyWrittenInFullBeforeReading() {
    assertTimeoutPreemptively(DEADLINE, () -> {
      try (Socket socket = connect()) {
        OutputStream out = socket.getOutputStream();
        out.write(head("/v1/chat/completions", "Transfer-Encoding: chunked"));
        writeChunks(out, body(BEYOND_SOCKET_BUFFERS));
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();

        assertTooLargeThenClosed(socket);
      }
    });
  }

  @Test
  void chunkedBodyPastTheLimitThenWaiting() {
    assertTimeoutPreemptively(DEADLINE, () -> {
      try (Socket socket = connect()) {
        OutputStream out = socket.getOutputStream();
        out.write(head("/v1/chat/completions", "Transfer-Encoding: chunked"));
        writeChunks(out, body(2 * LIMIT));
        out.flush();

        // the body never ends: the answer and the end of the connection come without it
        assertTooLargeThenClosed(socket);
      }
    });
  }

  @Test
  void aClientThatNeverStopsWritingIsCutOff() {
    assertTimeoutPreemptively(DEADLINE, () -> {
      try (Socket socket = connect()) {
        OutputStream out = socket.getOutputStream();
        out.write(head("/v1/chat/completions", "Transfer-Encoding: chunked"));
        out.flush();
        AtomicLong written = new AtomicLong();
        // bounded: about 8 MB a second for at most 20 s, so it outlasts the server's patience
        CompletableFuture<IOException> writer = CompletableFuture.supplyAsync(() -> {
          byte[] chunk = chunk(new byte[8 * 1024]);
          long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
          try {
            while (System.nanoTime() < until) {
              out.write(chunk);
              out.flush();
              written.addAndGet(chunk.length);
              Thread.sleep(1);
            }
            return null;
          } catch (IOException e) {
            return e;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
          }
        });

        assertTooLargeThenClosed(socket);
        IOException cut = writer.join();
        assertThat(cut).as("the server closed the connection while the client was still writing").isNotNull();
        assertThat(written.get()).isGreaterThan(LIMIT);
      }
    });
  }

  @Test
  void bodiesWithinTheLimitStillPass(Client client) {
    var response = client.post("/v1/estimate", Client.chat("openfusion", "x".repeat(LIMIT / 2), false));
    assertThat(response.statusCode()).isEqualTo(200);
  }

  @Test
  void aDeclaredOversizeUsesNoneOfTheRateLimit(WireMockServer upstream) {
    // one request a minute: the two 413s use none of it, so the request after them is admitted
    RunningNode limited = openfusion.start(recipe(upstream).toBuilder().limits(new LimitsConfig(0, 1)).build());
    assertTimeoutPreemptively(DEADLINE, () -> {
      for (int i = 0; i < 2; i++) {
        try (Socket socket = connect(limited.port())) {
          socket.getOutputStream().write(head("/v1/chat/completions", "Content-Length: " + (LIMIT + 1)));
          assertTooLargeThenClosed(socket);
        }
      }
    });
    var admitted = limited.client().post("/v1/chat/completions", new JsonObject().put("model", "openfusion"));
    assertThat(admitted.statusCode()).as(admitted.bodyAsString()).isEqualTo(400);
    var refused = limited.client().post("/v1/chat/completions", new JsonObject().put("model", "openfusion"));
    assertThat(refused.statusCode()).as("the limit is in force").isEqualTo(429);
  }

  private static OpenFusionConfig recipe(WireMockServer upstream) {
    return Upstreams.panelRecipe(upstream, List.of("m1"), "judge-m").withServer(new ServerConfig("127.0.0.1", 0, LIMIT));
  }

  private static Socket connect() throws IOException {
    return connect(openfusion.port());
  }

  private static Socket connect(int port) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(AT_ONCE_MS);
    return socket;
  }

  private static byte[] head(String path, String framing) {
    return ("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      + framing + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** A chat request whose JSON body is {@code size} bytes long. */
  private static byte[] body(int size) {
    byte[] body = new byte[size];
    Arrays.fill(body, (byte) 'x');
    byte[] prefix = PREFIX.getBytes(StandardCharsets.US_ASCII);
    byte[] suffix = SUFFIX.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(prefix, 0, body, 0, prefix.length);
    System.arraycopy(suffix, 0, body, size - suffix.length, suffix.length);
    return body;
  }

  private static void writeChunks(OutputStream out, byte[] body) throws IOException {
    for (int at = 0; at < body.length; at += 8 * 1024) {
      out.write(chunk(Arrays.copyOfRange(body, at, Math.min(body.length, at + 8 * 1024))));
    }
  }

  private static byte[] chunk(byte[] data) {
    ByteArrayOutputStream chunk = new ByteArrayOutputStream();
    chunk.writeBytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    chunk.writeBytes(data);
    chunk.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    return chunk.toByteArray();
  }

  /** Reads one response: 413, {@code Connection: close}, the error envelope, then the end of the stream. */
  private static void assertTooLargeThenClosed(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    String head = readHead(in);
    assertThat(head).startsWith("HTTP/1.1 413 ");
    String lower = head.toLowerCase(Locale.ROOT);
    assertThat(lower).contains("\r\ncontent-type: application/json");
    int length = Integer.parseInt(lower.replaceAll("(?s).*\r\ncontent-length: *(\\d+).*", "$1"));
    JsonObject error = new JsonObject(new String(in.readNBytes(length), StandardCharsets.UTF_8)).getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("request_too_large");
    assertThat(error.getString("type")).isEqualTo("invalid_request_error");
    assertThat(error.getString("message")).contains("server.max_body_mb");
    assertThat(lower).as("the client is told not to send another request on it").contains("\r\nconnection: close\r\n");
    try {
      assertThat(in.read()).as("nothing after the answer: the connection ends").isEqualTo(-1);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the connection stayed open after the 413", e);
    } catch (IOException reset) {
      // a reset after the whole answer was read also ends the connection
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      assertThat(b).as("the response head ended early: " + head).isNotEqualTo(-1);
      head.write(b);
      byte[] bytes = head.toByteArray();
      int n = bytes.length;
      if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n') {
        return head.toString(StandardCharsets.US_ASCII);
      }
    }
  }
}

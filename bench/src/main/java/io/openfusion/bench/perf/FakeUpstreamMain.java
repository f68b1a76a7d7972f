package io.openfusion.bench.perf;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.io.IOException;
import java.io.InputStream;

/**
 * Runs {@link FakeUpstream} in a JVM of its own, so the CPU time it spends per request can be read from {@code /proc}
 * apart from the proxy's and the load driver's. Arguments are the fields of {@link FakeUpstreamOptions} in order
 * ({@link FakeUpstreamOptions#toArgs()}); it prints {@value #PORT_LINE} and the port once it listens, and exits when
 * its standard input closes, so it never outlives the harness that started it.
 */
public final class FakeUpstreamMain {

  static final String PORT_LINE = "fake-upstream-port ";

  private FakeUpstreamMain() {
  }

  public static void main(String[] argv) throws IOException {
    FakeUpstreamOptions options = FakeUpstreamOptions.fromArgs(argv);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.instances()).setWorkerPoolSize(1)
      .setInternalBlockingPoolSize(1));
    FakeUpstream fake = FakeUpstream.start(vertx, options).await();
    System.out.println(PORT_LINE + fake.port());
    System.out.flush();
    InputStream in = System.in;
    while (in.read() >= 0) {
      // nothing is sent; the harness closing the pipe is the signal to stop
    }
    vertx.close().await();
    System.exit(0);
  }
}

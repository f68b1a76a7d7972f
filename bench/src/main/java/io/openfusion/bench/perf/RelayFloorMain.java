package io.openfusion.bench.perf;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * The {@code relay} target of {@code bench perf}: the cheapest pass-through Vert.x makes, as a floor for the proxy's
 * own. Each request is sent to the fake upstream as it came (method, path, content type, body) and the upstream's
 * status, content type and body are piped back with Vert.x's own {@code pipeTo} (so a slow client still pauses the
 * upstream). No validation, routing, bus, metrics, logs or stream checks: what the proxy costs above this row is what
 * openfusion adds to relaying. It runs in a JVM of its own with the proxy's JVM options, as many verticle instances
 * as the proxy deploys by default and Vert.x's default event loops.
 *
 * <p>Arguments: upstream host, upstream port, listen port, instances.
 */
public final class RelayFloorMain {

  /** The row name of this relay in the perf report. */
  static final String TARGET = "relay";

  private RelayFloorMain() {
  }

  public static void main(String[] args) {
    String upstreamHost = args[0];
    int upstreamPort = Integer.parseInt(args[1]);
    int port = Integer.parseInt(args[2]);
    int instances = Integer.parseInt(args[3]);
    // the transport the proxy prefers too: Netty's native epoll where it loads, else NIO
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    vertx.deployVerticle(() -> new Relay(upstreamHost, upstreamPort, port), new DeploymentOptions().setInstances(instances))
      .onSuccess(id -> System.out.println("relay listening on " + port + (vertx.isNativeTransportEnabled()
        ? " (native transport)" : " (NIO: " + vertx.unavailableNativeTransportCause() + ")")))
      .onFailure(failure -> {
        failure.printStackTrace();
        System.exit(1);
      });
  }

  private static final class Relay extends VerticleBase {

    private final String upstreamHost;
    private final int upstreamPort;
    private final int port;
    private HttpClient client;

    Relay(String upstreamHost, int upstreamPort, int port) {
      this.upstreamHost = upstreamHost;
      this.upstreamPort = upstreamPort;
      this.port = port;
    }

    @Override
    public Future<?> start() {
      client = vertx.httpClientBuilder()
        .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setDefaultHost(upstreamHost)
          .setDefaultPort(upstreamPort))
        .with(new PoolOptions().setHttp1MaxSize(1024).setMaxWaitQueueSize(-1))
        .build();
      // as the proxy's api: no WebSocket compression, so no WebSocket extension handler in each connection's pipeline
      return vertx.createHttpServer(new HttpServerOptions().setPerMessageWebSocketCompressionSupported(false)
          .setPerFrameWebSocketCompressionSupported(false))
        .requestHandler(this::relay).listen(port, "127.0.0.1");
    }

    private void relay(HttpServerRequest request) {
      HttpServerResponse response = request.response();
      if (request.path().equals("/healthz")) {
        response.end("ok");
        return;
      }
      if (request.path().equals("/metrics")) {
        // the harness scrapes every target around a run; this relay has no meters
        response.setStatusCode(404).end();
        return;
      }
      RequestOptions options = new RequestOptions().setMethod(request.method()).setURI(request.uri());
      String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
      if (type != null) {
        options.putHeader(HttpHeaders.CONTENT_TYPE, type);
      }
      request.body()
        .compose(body -> client.request(options).compose(upstream -> upstream.send(body)))
        .onSuccess(upstream -> {
          response.setStatusCode(upstream.statusCode());
          String upstreamType = upstream.getHeader(HttpHeaders.CONTENT_TYPE);
          if (upstreamType != null) {
            response.putHeader(HttpHeaders.CONTENT_TYPE, upstreamType);
          }
          String length = upstream.getHeader(HttpHeaders.CONTENT_LENGTH);
          if (length != null) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, length);
          } else {
            response.setChunked(true);
          }
          upstream.pipeTo(response);
        })
        .onFailure(failure -> {
          if (!response.headWritten()) {
            response.setStatusCode(502).end(String.valueOf(failure.getMessage()));
          } else {
            response.reset();
          }
        });
    }
  }
}

package io.openfusion.bench.perf;

import io.openfusion.bench.common.Percentiles;
import io.openfusion.bench.common.Proc;
import io.openfusion.shared.sse.SseEvent;
import io.openfusion.shared.sse.SseParser;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import io.vertx.core.VertxOptions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A closed-loop load generator on its own single-event-loop Vert.x instance: {@code concurrency} clients, each sending
 * its next request when its previous one ended, until the scenario's request count is reached or its time cap passes.
 * Loopback only. Keep-alive connections to each port are kept between scenarios, so a scenario measures requests,
 * not TCP handshakes. SSE bodies are parsed with the proxy's own {@link SseParser} to find the first content chunk
 * (TTFT), an error chunk and the closing {@code [DONE]}.
 */
public final class LoadDriver implements AutoCloseable {

  private static final long REQUEST_IDLE_TIMEOUT_MS = 30_000;
  /** Enough connections for the largest concurrency measured. */
  private static final int MAX_CONNECTIONS = 1024;

  private final Vertx vertx;
  private final Context context;
  private final Map<Integer, HttpClientAgent> clients = new HashMap<>();

  public LoadDriver() {
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1).setInternalBlockingPoolSize(1));
    this.context = vertx.getOrCreateContext();
  }

  /**
   * Runs one scenario on the driver's event loop.
   *
   * @param monitor samples the proxy's memory while the scenario runs, may be null
   * @param proxyCpu the proxy's CPU milliseconds so far (-1 when there is none)
   */
  public Future<ScenarioResult> run(Scenario scenario, ProcessMonitor monitor, LongSupplier proxyCpu) {
    Promise<ScenarioResult> promise = Promise.promise();
    context.runOnContext(v -> new Run(scenario, monitor, proxyCpu, promise).start());
    return promise.future();
  }

  /** Drops the kept connections to a port (its server is about to go away). */
  public void forget(int port) {
    context.runOnContext(v -> {
      HttpClientAgent c = clients.remove(port);
      if (c != null) {
        c.close();
      }
    });
  }

  @Override
  public void close() {
    io.openfusion.bench.common.Futures.awaitClose(vertx.close(), 15, "load driver");
  }

  private HttpClientAgent client(int port) {
    return clients.computeIfAbsent(port, p -> vertx.httpClientBuilder()
      .with(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setDefaultHost("127.0.0.1")
        .setDefaultPort(p).setConnectTimeout(10_000).setName("bench-driver-" + p))
      .with(new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS).setMaxWaitQueueSize(-1))
      .build());
  }

  private final class Run {
    private final Scenario s;
    private final ProcessMonitor monitor;
    private final LongSupplier proxyCpu;
    private final Promise<ScenarioResult> promise;
    private final HttpClientAgent client;
    private final Buffer body;
    private final long[] ttft;
    private final long[] ttlb;
    private final List<String> errorSamples = new ArrayList<>();
    private int issued;
    private int finished;
    private int ok;
    private int errors;
    private long startNanos;
    private long lastEndNanos;
    private long capTimer = -1;
    private long graceTimer = -1;
    private boolean stopIssuing;
    private boolean settled;
    private long proxyCpuStart;
    private long benchCpuStart;

    Run(Scenario s, ProcessMonitor monitor, LongSupplier proxyCpu, Promise<ScenarioResult> promise) {
      this.s = s;
      this.monitor = monitor;
      this.proxyCpu = proxyCpu;
      this.promise = promise;
      this.client = client(s.port());
      this.body = Buffer.buffer(s.body());
      this.ttft = new long[s.requests()];
      this.ttlb = new long[s.requests()];
    }

    void start() {
      proxyCpuStart = proxyCpu.getAsLong();
      benchCpuStart = Proc.cpuMillis(ProcessHandle.current().pid());
      if (monitor != null) {
        monitor.resetMax();
      }
      startNanos = System.nanoTime();
      lastEndNanos = startNanos;
      capTimer = vertx.setTimer(s.timeCapMs(), t -> {
        stopIssuing = true;
        if (finished < issued) {
          graceTimer = vertx.setTimer(Scenario.GRACE_MS, g -> {
            int abandoned = issued - finished;
            errors += abandoned;
            sample("abandoned " + abandoned + " requests still running " + Scenario.GRACE_MS + " ms after the time cap");
            finished = issued;
            settle();
          });
        } else {
          settle();
        }
      });
      int clients = Math.min(s.concurrency(), s.requests());
      for (int i = 0; i < clients; i++) {
        next();
      }
    }

    private void next() {
      if (stopIssuing || issued >= s.requests()) {
        if (finished == issued) {
          settle();
        }
        return;
      }
      issued++;
      long t0 = System.nanoTime();
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/chat/completions")
        .putHeader("content-type", "application/json").setIdleTimeout(REQUEST_IDLE_TIMEOUT_MS);
      client.request(options)
        .compose(req -> req.send(body))
        .onComplete(ar -> {
          if (ar.failed()) {
            done(t0, -1, false, "transport: " + ar.cause());
          } else {
            read(ar.result(), t0);
          }
        });
    }

    private void read(HttpClientResponse resp, long t0) {
      int status = resp.statusCode();
      long[] first = {-1};
      boolean[] sawDone = {false};
      String[] error = {null};
      Buffer small = status == 200 && !s.stream() ? null : Buffer.buffer();
      SseParser parser = status == 200 && s.stream() ? SseParser.create(1 << 20, ev -> onEvent(ev, t0, first, sawDone, error)) : null;
      resp.handler(buf -> {
        if (parser != null) {
          parser.handle(buf);
        } else {
          if (first[0] < 0) {
            first[0] = System.nanoTime() - t0;
          }
          if (small != null && small.length() < 4096) {
            small.appendBuffer(buf);
          }
        }
      });
      resp.exceptionHandler(err -> done(t0, first[0], false, "body: " + err));
      resp.endHandler(v -> {
        if (parser != null) {
          parser.end();
        }
        if (status != 200) {
          done(t0, first[0], false, "HTTP " + status + " " + (small == null ? "" : truncate(small.toString())));
        } else if (s.stream() && error[0] != null) {
          done(t0, first[0], false, "error chunk " + truncate(error[0]));
        } else if (s.stream() && (!sawDone[0] || first[0] < 0)) {
          done(t0, first[0], false, sawDone[0] ? "stream without content" : "stream ended without [DONE]");
        } else {
          done(t0, first[0], true, null);
        }
      });
    }

    private void onEvent(SseEvent ev, long t0, long[] first, boolean[] sawDone, String[] error) {
      if (ev.event() != null) {
        return; // progress, usage, analysis: named events OpenAI clients skip
      }
      String data = ev.data();
      if (ev.isDone()) {
        sawDone[0] = true;
      } else if (data.startsWith("{\"error\"")) {
        error[0] = data;
      } else if (first[0] < 0 && hasContent(data)) {
        first[0] = System.nanoTime() - t0;
      }
    }

    private void done(long t0, long firstNanos, boolean success, String message) {
      if (settled) {
        return;
      }
      long end = System.nanoTime();
      finished++;
      if (success) {
        ttft[ok] = firstNanos / 1000;
        ttlb[ok] = (end - t0) / 1000;
        ok++;
        lastEndNanos = end;
      } else {
        errors++;
        lastEndNanos = end;
        sample(message);
      }
      next();
    }

    private void sample(String message) {
      if (errorSamples.size() < 5 && message != null) {
        errorSamples.add(message);
      }
    }

    private void settle() {
      if (settled) {
        return;
      }
      settled = true;
      vertx.cancelTimer(capTimer);
      if (graceTimer != -1) {
        vertx.cancelTimer(graceTimer);
      }
      long wallMs = Math.max(1, (lastEndNanos - startNanos) / 1_000_000);
      long proxyCpuEnd = proxyCpu.getAsLong();
      long benchCpu = Proc.cpuMillis(ProcessHandle.current().pid()) - benchCpuStart;
      Percentiles first = Percentiles.of(ttft, ok);
      Percentiles last = Percentiles.of(ttlb, ok);
      long rss = monitor == null ? -1 : monitor.current();
      long rssMax = monitor == null ? -1 : Math.max(monitor.max(), rss);
      ScenarioResult result = new ScenarioResult(s, ok, errors, wallMs, first.at(0.5), first.at(0.99),
        last.at(0.5), last.at(0.9), last.at(0.99), last.max(), rss, rssMax,
        proxyCpuStart < 0 || proxyCpuEnd < 0 ? -1 : proxyCpuEnd - proxyCpuStart, benchCpu, Proc.loadAverage(), errorSamples, null, -1, -1, -1,
        -1, -1);
      promise.complete(result);
    }
  }

  /** A content delta with at least one character: the fake's and the proxy's chunks are compact JSON. */
  static boolean hasContent(String data) {
    int at = data.indexOf("\"content\":\"");
    return at >= 0 && at + 11 < data.length() && data.charAt(at + 11) != '"';
  }

  private static String truncate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}

package io.openfusion.bench.slow;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Clients that read their streams slowly: each sends one streamed request on its own connection and takes the body at
 * a fixed rate by pausing the response between reads (so the bytes it has not taken stay in the kernel and then in
 * the proxy, as with a client on a slow link), until {@link #hurry()}; from then on each reads as fast as it can
 * until its stream ends. A small receive buffer per connection ({@code rcvbufBytes}) stands for the slow link's
 * window: with the kernel's auto-tuned buffer a loopback client could hold megabytes the proxy never sees.
 */
final class SlowReaders {

  /** Granularity of a reader's progress record. */
  static final long STEP = 128 * 1024;

  private final Vertx vertx;
  private final Context context;
  private final HttpClientAgent client;
  private final List<Reader> readers = new ArrayList<>();
  private final long bytesPerSecond;
  private final CountDownLatch done;

  SlowReaders(Vertx vertx, int port, int clients, long bytesPerSecond, int rcvbufBytes) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.bytesPerSecond = bytesPerSecond;
    HttpClientOptions options = new HttpClientOptions().setKeepAlive(false).setTcpNoDelay(true).setDefaultHost("127.0.0.1")
      .setDefaultPort(port).setConnectTimeout(10_000).setName("bench-slow-readers");
    if (rcvbufBytes > 0) {
      options.setReceiveBufferSize(rcvbufBytes);
    }
    this.client = vertx.httpClientBuilder().with(options)
      .with(new PoolOptions().setHttp1MaxSize(clients + 4).setMaxWaitQueueSize(-1)).build();
    this.done = new CountDownLatch(clients);
  }

  /** Starts every reader, each with its request id and its prompt (which carries the fake's marker). */
  void start(List<String> ids, String model, boolean stream) {
    context.runOnContext(v -> {
      for (String id : ids) {
        Reader r = new Reader(id);
        readers.add(r);
        r.send(model, stream);
      }
    });
  }

  /** Every reader from now on reads as fast as it can. */
  void hurry() {
    context.runOnContext(v -> readers.forEach(Reader::hurry));
  }

  /** Waits until every stream ended (or failed), at most {@code seconds}. */
  boolean awaitEnd(long seconds) throws InterruptedException {
    return done.await(seconds, TimeUnit.SECONDS);
  }

  /** Closes the connections of streams still running (a bounded run's end). */
  void close() {
    CountDownLatch closed = new CountDownLatch(1);
    context.runOnContext(v -> {
      readers.forEach(Reader::abort);
      client.close().onComplete(x -> closed.countDown());
    });
    try {
      closed.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  long bytesRead() {
    long sum = 0;
    for (Reader r : List.copyOf(readers)) {
      sum += r.bytes;
    }
    return sum;
  }

  List<Reader> readers() {
    return List.copyOf(readers);
  }

  /** One client; its fields are written on the readers' event loop and read by the harness after the run. */
  final class Reader {
    final String id;
    volatile long sentAtMs = -1;
    volatile long firstByteAtMs = -1;
    volatile long lastByteAtMs = -1;
    volatile long endedAtMs = -1;
    volatile long bytes;
    volatile long bytesAtHurry = -1;
    volatile int status = -1;
    volatile boolean sawDone;
    volatile boolean sawError;
    volatile String failure;
    private HttpClientResponse response;
    private long paceStartNanos;
    private long paceStartBytes;
    private long resumeTimer = -1;
    private boolean fast;
    private boolean finished;
    private final StringBuilder tail = new StringBuilder();
    /** (epoch ms, bytes read) each time another {@link #STEP} bytes arrived: how far the client was at a given moment. */
    private final List<long[]> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
    private long nextStep;

    Reader(String id) {
      this.id = id;
    }

    void send(String model, boolean stream) {
      String body = "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":"
        + "\"Write a very long essay. [" + LongStreamUpstream.MARKER + id + "]\"}]}";
      sentAtMs = System.currentTimeMillis();
      client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/chat/completions")
          .putHeader("content-type", "application/json").putHeader("x-request-id", id).setIdleTimeout(300_000))
        .compose(req -> req.send(Buffer.buffer(body)))
        .onSuccess(this::read)
        .onFailure(err -> finish("transport: " + err));
    }

    private void read(HttpClientResponse resp) {
      response = resp;
      status = resp.statusCode();
      paceStartNanos = System.nanoTime();
      resp.handler(buf -> {
        long now = System.currentTimeMillis();
        if (firstByteAtMs < 0) {
          firstByteAtMs = now;
        }
        lastByteAtMs = now;
        bytes += buf.length();
        if (bytes >= nextStep) {
          progress.add(new long[] {now, bytes});
          nextStep = bytes + STEP;
        }
        keepTail(buf);
        pace();
      });
      resp.exceptionHandler(err -> finish("body: " + err));
      resp.endHandler(v -> finish(null));
    }

    /** Pauses the response until the bytes read so far fit the rate. */
    private void pace() {
      if (fast || finished) {
        return;
      }
      long dueNanos = paceStartNanos + (bytes - paceStartBytes) * 1_000_000_000L / bytesPerSecond;
      long waitMs = (dueNanos - System.nanoTime()) / 1_000_000;
      if (waitMs >= 1 && resumeTimer < 0) {
        response.pause();
        resumeTimer = vertx.setTimer(waitMs, t -> {
          resumeTimer = -1;
          if (!finished) {
            response.resume();
          }
        });
      }
    }

    void hurry() {
      fast = true;
      bytesAtHurry = bytes;
      if (resumeTimer >= 0) {
        vertx.cancelTimer(resumeTimer);
        resumeTimer = -1;
        if (response != null && !finished) {
          response.resume();
        }
      }
    }

    void abort() {
      if (!finished && response != null) {
        response.request().connection().close();
        finish("still streaming when the run ended");
      }
    }

    private void keepTail(Buffer buf) {
      String s = buf.toString(StandardCharsets.UTF_8);
      tail.append(s.length() > 512 ? s.substring(s.length() - 512) : s);
      if (tail.length() > 1024) {
        tail.delete(0, tail.length() - 512);
      }
    }

    private void finish(String error) {
      if (finished) {
        return;
      }
      finished = true;
      endedAtMs = System.currentTimeMillis();
      String end = tail.toString();
      sawDone = end.contains("data: [DONE]");
      sawError = end.contains("\"error\"");
      if (error != null) {
        failure = error;
      } else if (status != 200) {
        failure = "HTTP " + status + " " + (end.length() > 200 ? end.substring(0, 200) : end);
      } else if (!sawDone) {
        failure = "stream ended without [DONE]";
      } else if (sawError) {
        failure = "error chunk: " + end.substring(Math.max(0, end.indexOf("\"error\"") - 10));
      }
      done.countDown();
    }

    boolean ok() {
      return failure == null && status == 200 && sawDone;
    }

    /** Bytes the client had read at {@code atMs} (at most {@link #STEP} short), or -1 before its first byte. */
    long bytesAt(long atMs) {
      if (endedAtMs >= 0 && atMs >= lastByteAtMs) {
        return bytes;
      }
      long at = -1;
      for (long[] p : progress) {
        if (p[0] > atMs) {
          break;
        }
        at = p[1];
      }
      return at;
    }
  }
}

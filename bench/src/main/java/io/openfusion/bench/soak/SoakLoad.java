package io.openfusion.bench.soak;

import io.openfusion.bench.soak.SoakTally.Kind;
import io.openfusion.bench.soak.SoakTally.Outcome;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The soak's clients: a closed loop of {@code concurrency} clients, each sending one request at a time to the api
 * nodes in turn, cycling through a fixed mix (fusion and pass-through, streamed and not, the flaky model, clients that
 * leave mid-stream). A 503 {@code shutting_down} or a refused connection means the request was not accepted: it is
 * counted and sent to the next api node, as a load balancer would. Every other answer is judged: a full answer, or for
 * the flaky pass-through a defined error (an error status with the OpenAI envelope, or an error chunk and
 * {@code [DONE]}); anything else (no answer in time, a stream cut without an ending, a fusion that failed) is lost.
 */
final class SoakLoad {

  private static final long REQUEST_TIMEOUT_MS = 60_000;
  private static final int MAX_ATTEMPTS = 20;

  private final Vertx vertx;
  private final HttpClient http;
  private final List<Integer> backends = new CopyOnWriteArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger sent = new AtomicInteger();
  private final int maxRequests;
  private final SoakTally tally;

  SoakLoad(Vertx vertx, int concurrency, int maxRequests, SoakTally tally) {
    this.vertx = vertx;
    this.maxRequests = maxRequests;
    this.tally = tally;
    // no keep-alive: a connection the server closes as it stops can then never swallow a request unseen
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setConnectTimeout(5_000),
      new PoolOptions().setHttp1MaxSize(concurrency * 2));
  }

  void addBackend(int port) {
    backends.add(port);
  }

  void removeBackend(int port) {
    backends.remove((Integer) port);
  }

  /** Starts {@code concurrency} clients; the future completes when every one has finished its last request. */
  Future<Void> run(int concurrency) {
    List<Future<Void>> clients = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      Promise<Void> done = Promise.promise();
      vertx.runOnContext(v -> next(done));
      clients.add(done.future());
    }
    return Future.all(clients).mapEmpty();
  }

  void stop() {
    running.set(false);
  }

  private void next(Promise<Void> done) {
    int n = sent.incrementAndGet();
    if (!running.get() || n > maxRequests) {
      done.tryComplete();
      return;
    }
    Kind kind = SoakTally.kindOf(n);
    send(kind, n, 0).onComplete(outcome -> {
      if (outcome.succeeded()) {
        tally.record(kind, outcome.result());
      } else {
        tally.lose(kind, "#" + n + " " + outcome.cause().getMessage());
      }
      next(done);
    });
  }

  private Future<Outcome> send(Kind kind, int n, int attempt) {
    List<Integer> ports = List.copyOf(backends);
    if (ports.isEmpty()) {
      return Future.failedFuture("no api node to send it to");
    }
    int port = ports.get((n + attempt) % ports.size());
    Buffer body = new JsonObject().put("model", kind.model).put("stream", kind.stream)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "soak question " + n)))
      .toBuffer();
    Promise<Outcome> result = Promise.promise();
    HttpClientRequest[] request = new HttpClientRequest[1];
    long timer = vertx.setTimer(REQUEST_TIMEOUT_MS, t -> {
      if (result.tryFail("no answer within " + REQUEST_TIMEOUT_MS + " ms via :" + port) && request[0] != null) {
        request[0].reset();
      }
    });
    http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
        .setURI("/v1/chat/completions").putHeader("content-type", "application/json"))
      .compose(req -> {
        request[0] = req;
        return req.send(body);
      })
      .onSuccess(response -> receive(kind, n, attempt, port, request[0], response, result))
      .onFailure(failure -> {
        if (failure instanceof ConnectException && attempt < MAX_ATTEMPTS) {
          // nothing listens there any more: the node is gone and never saw the request
          tally.refuse();
          backends.remove((Integer) port);
          retry(kind, n, attempt, result);
        } else {
          result.tryFail("via :" + port + ": " + failure);
        }
      });
    return result.future().andThen(done -> vertx.cancelTimer(timer));
  }

  private void receive(Kind kind, int n, int attempt, int port, HttpClientRequest request, HttpClientResponse response,
                       Promise<Outcome> result) {
    response.exceptionHandler(failure -> result.tryFail("via :" + port + ": " + failure));
    if (kind.leaves && response.statusCode() == 200) {
      response.handler(chunk -> {
        if (result.tryComplete(Outcome.LEFT)) {
          request.reset();
        }
      });
      response.endHandler(v -> result.tryComplete(Outcome.LEFT));
      return;
    }
    response.body().onSuccess(bytes -> {
      String text = bytes.toString();
      if (response.statusCode() == 503 && text.contains("shutting_down") && attempt < MAX_ATTEMPTS) {
        tally.refuse();
        backends.remove((Integer) port);
        retry(kind, n, attempt, result);
        return;
      }
      Outcome outcome = SoakTally.judge(kind, response.statusCode(), text);
      if (outcome != null) {
        result.tryComplete(outcome);
      } else {
        result.tryFail("via :" + port + ": " + SoakTally.problem(kind, response.statusCode(), text));
      }
    }).onFailure(failure -> result.tryFail("via :" + port + ": " + failure));
  }

  private void retry(Kind kind, int n, int attempt, Promise<Outcome> result) {
    vertx.setTimer(50, t -> send(kind, n, attempt + 1).onComplete(result));
  }
}

package io.openfusion.bench.slow;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What one slow-reader run measured: one proxy build, one target, a fresh proxy.
 *
 * @param idleRssKb        the proxy's VmRSS after warm-up, idle (median of samples over 2 s)
 * @param slowMaxRssKb     highest VmRSS sampled (every 100 ms) during the slow phase
 * @param slowEndRssKb     VmRSS at the end of the slow phase
 * @param drainMaxRssKb    highest VmRSS while the clients read as fast as they could
 * @param slowEnd          the upstream's streams and the clients at the end of the slow phase
 * @param drainEnd         the same once every stream ended (or the drain cap passed)
 * @param drainS           seconds from the end of the slow phase until the last stream ended
 * @param requests         per request: the client's view against the proxy's log and the fake's
 * @param timeline         one sample a second
 * @param busyBeforePct    whole-machine CPU over the second before the run (other tenants)
 * @param busyDuringPct    whole-machine CPU over the slow phase (the proxy, the harness, other tenants)
 * @param proxyCpuSlowMs   the proxy's CPU time during the slow phase
 * @param proxyExit        null while the proxy ran to the end, else how it ended
 */
record SlowRun(String target, String build, String jar, int repeat, long idleRssKb, long slowMaxRssKb, long slowEndRssKb,
               long drainMaxRssKb, Snapshot slowEnd, Snapshot drainEnd, double drainS, List<Request> requests,
               List<Sample> timeline, double busyBeforePct, double busyDuringPct, String loadAvgStart, String loadAvgEnd,
               long proxyCpuSlowMs, String proxyExit, long longAnswerBytes, long startedAtMs, long slowEndAtMs,
               double wireRatio) {

  long growthKb() {
    return slowMaxRssKb < 0 || idleRssKb < 0 ? -1 : slowMaxRssKb - idleRssKb;
  }

  /**
   * Answer bytes inside the proxy process: what the fake wrote, minus what is still in the kernel on the upstream
   * side, minus what the clients read or the kernel holds on the client side (client-side bytes converted to upstream
   * bytes by {@link #wireRatio}, the size of a client's stream over the upstream's: 1 for pass-through, another value
   * where the proxy re-encodes the text).
   */
  long inProxyBytes(long upstreamWritten, long clientBytes, SocketQueues q) {
    double ratio = wireRatio > 0 ? wireRatio : 1;
    return Math.round(upstreamWritten - q.fakeTx() - q.proxyRx() - (clientBytes + q.clientRx() + q.proxyTx()) / ratio);
  }

  /** Streams whose upstream call the proxy logged as ended before the slow phase was over. */
  int upstreamEndedInSlowPhase() {
    return (int) requests.stream().filter(x -> x.upstreamLoggedAtMs() >= 0 && x.upstreamLoggedAtMs() <= slowEndAtMs).count();
  }

  /**
   * The upstream's streams and the clients at one moment.
   *
   * @param streams      tracked upstream streams (one per client request that reached the upstream)
   * @param open         streams neither finished nor cut
   * @param waiting      open streams waiting for the proxy to read (write queue full)
   * @param finished     streams the fake wrote to the end
   * @param cut          streams the proxy closed before their end
   * @param writtenMin   fewest bytes a stream managed to write
   * @param writtenMed   median
   * @param writtenMax   most
   * @param waitedShare  median share of its time a stream spent waiting for the proxy
   * @param finishedAtMedS median seconds from a stream's start to its end (finished streams only; -1 when none)
   * @param clientBytesMed median bytes a client had read
   * @param clientsEnded  clients whose stream ended
   * @param written       bytes the fake wrote, all streams
   * @param clientBytes   bytes the clients read, all streams
   * @param queues        what the kernel held in the TCP queues along the way
   */
  record Snapshot(int streams, int open, int waiting, int finished, int cut, long writtenMin, long writtenMed,
                  long writtenMax, double waitedShare, double finishedAtMedS, long clientBytesMed, int clientsEnded,
                  long written, long clientBytes, SocketQueues queues) {

    JsonObject toJson() {
      return new JsonObject().put("upstream_written_bytes", written).put("client_bytes", clientBytes)
        .put("queues", queuesJson(queues)).put("streams", streams).put("open", open).put("waiting_for_drain", waiting)
        .put("finished", finished).put("cut", cut).put("written_min_bytes", writtenMin).put("written_median_bytes", writtenMed)
        .put("written_max_bytes", writtenMax).put("waited_share_median", waitedShare)
        .put("finished_after_median_s", finishedAtMedS).put("client_bytes_median", clientBytesMed)
        .put("clients_ended", clientsEnded);
    }
  }

  /**
   * One client request, all times epoch milliseconds (-1 when it did not happen).
   *
   * @param loggedAtMs         when the proxy logged the request as done ({@code openfusion.request})
   * @param upstreamLoggedAtMs when the proxy logged its streamed upstream call as ended
   * @param upstreamEndedAtMs  when the fake handed its last byte to the connection
   * @param unreadAtLoggedBytes what the client had still to read when the proxy logged the request done (-1 unknown)
   */
  record Request(String id, long sentAtMs, long firstByteAtMs, long lastByteAtMs, long bytes, boolean ok, String failure,
                 long loggedAtMs, String loggedOutcome, long loggedLatencyMs, long upstreamLoggedAtMs,
                 long upstreamEndedAtMs, long unreadAtLoggedBytes) {

    /** Logged done minus the client's last byte: negative when the proxy called it done before the client had it. */
    long loggedMinusLastByteMs() {
      return loggedAtMs < 0 || lastByteAtMs < 0 ? Long.MIN_VALUE : loggedAtMs - lastByteAtMs;
    }

    JsonObject toJson() {
      return new JsonObject().put("id", id).put("sent_at_ms", sentAtMs).put("first_byte_at_ms", firstByteAtMs)
        .put("last_byte_at_ms", lastByteAtMs).put("bytes", bytes).put("ok", ok).put("failure", failure)
        .put("logged_at_ms", loggedAtMs).put("logged_outcome", loggedOutcome).put("logged_latency_ms", loggedLatencyMs)
        .put("upstream_logged_at_ms", upstreamLoggedAtMs).put("upstream_ended_at_ms", upstreamEndedAtMs)
        .put("unread_at_logged_bytes", unreadAtLoggedBytes);
    }
  }

  /** One second of the run: seconds since the clients started, and what each side had done by then. */
  record Sample(double t, long rssKb, long upstreamWritten, int upstreamWaiting, int upstreamFinished, long clientBytes,
                SocketQueues queues, long heapUsed, long heapCommitted) {

    JsonArray toJson() {
      return new JsonArray().add(t).add(rssKb).add(upstreamWritten).add(upstreamWaiting).add(upstreamFinished).add(clientBytes)
        .add(queues.fakeTx()).add(queues.proxyRx()).add(queues.proxyTx()).add(queues.clientRx()).add(heapUsed).add(heapCommitted);
    }
  }

  static JsonObject queuesJson(SocketQueues q) {
    return new JsonObject().put("fake_tx", q.fakeTx()).put("proxy_rx", q.proxyRx()).put("proxy_tx", q.proxyTx())
      .put("client_rx", q.clientRx());
  }

  JsonObject toJson() {
    JsonArray reqs = new JsonArray();
    requests.forEach(r -> reqs.add(r.toJson()));
    JsonArray samples = new JsonArray();
    timeline.forEach(s -> samples.add(s.toJson()));
    return new JsonObject().put("target", target).put("build", build).put("jar", jar).put("repeat", repeat)
      .put("idle_rss_kb", idleRssKb).put("slow_max_rss_kb", slowMaxRssKb).put("slow_end_rss_kb", slowEndRssKb)
      .put("rss_growth_kb", growthKb()).put("drain_max_rss_kb", drainMaxRssKb)
      .put("slow_end", slowEnd.toJson()).put("drain_end", drainEnd.toJson()).put("drain_s", drainS)
      .put("busy_before_pct", busyBeforePct).put("busy_during_pct", busyDuringPct)
      .put("loadavg_start", loadAvgStart).put("loadavg_end", loadAvgEnd).put("proxy_cpu_slow_ms", proxyCpuSlowMs)
      .put("proxy_exit", proxyExit).put("long_answer_bytes", longAnswerBytes).put("wire_ratio", wireRatio)
      .put("started_at_ms", startedAtMs).put("slow_end_at_ms", slowEndAtMs)
      .put("slow_end_in_proxy_bytes", inProxyBytes(slowEnd.written(), slowEnd.clientBytes(), slowEnd.queues()))
      .put("upstream_calls_ended_in_slow_phase", upstreamEndedInSlowPhase())
      .put("timeline_columns", new JsonArray(List.of("t_s", "rss_kb", "upstream_written_bytes", "upstream_waiting",
        "upstream_finished", "client_bytes", "fake_tx", "proxy_rx", "proxy_tx", "client_rx", "heap_used_bytes",
        "heap_committed_bytes")))
      .put("timeline", samples).put("requests", reqs);
  }
}

package io.openfusion.bench.perf;

/**
 * How the performance fake upstream behaves. Every request gets the same shape, so latencies are set here (or by
 * {@code PerfBench} flags), never by request headers: the proxy does not forward a client's headers upstream.
 *
 * @param host           interface to bind (loopback)
 * @param port           0 picks a free port
 * @param ttftMs         streaming: delay before the first chunk
 * @param interTokenMs   streaming: delay between chunks
 * @param tokens         content chunks per answer (one word each); usage reports this many completion tokens
 * @param jsonLatencyMs  non-streaming: delay before the whole answer; negative = the streamed answer's full time,
 *                       {@code ttft + (tokens - 1) * interToken}, so both formats cost the same
 * @param failRate       fraction of requests answered with {@code failStatus} and an OpenAI error body
 * @param failStatus     HTTP status of simulated failures
 * @param instances      server verticle instances (event loops)
 * @param seed           seeds the failure draws
 */
public record FakeUpstreamOptions(String host, int port, long ttftMs, long interTokenMs, int tokens, long jsonLatencyMs,
                                  double failRate, int failStatus, int instances, long seed) {

  /** USD per prompt token and per completion token, reported as {@code usage.cost}. */
  public static final double PROMPT_PRICE = 0.0000001;
  public static final double COMPLETION_PRICE = 0.0000004;

  public FakeUpstreamOptions {
    if (tokens < 1) {
      throw new IllegalArgumentException("tokens must be >= 1");
    }
    if (ttftMs < 0 || interTokenMs < 0) {
      throw new IllegalArgumentException("delays must be >= 0");
    }
    if (failRate < 0 || failRate > 1) {
      throw new IllegalArgumentException("failRate must be in [0, 1]");
    }
    host = host == null ? "127.0.0.1" : host;
    instances = Math.max(1, instances);
  }

  public static FakeUpstreamOptions defaults() {
    return new FakeUpstreamOptions("127.0.0.1", 0, 100, 10, 20, -1, 0, 500, 1, 42);
  }

  /** What a streamed answer takes from request to last byte, with zero processing time. */
  public long streamMs() {
    return ttftMs + (tokens - 1) * interTokenMs;
  }

  public long effectiveJsonLatencyMs() {
    return jsonLatencyMs < 0 ? streamMs() : jsonLatencyMs;
  }

  /** This record as {@link FakeUpstreamMain}'s arguments, the fields in order. */
  public java.util.List<String> toArgs() {
    return java.util.List.of(host, Integer.toString(port), Long.toString(ttftMs), Long.toString(interTokenMs),
      Integer.toString(tokens), Long.toString(jsonLatencyMs), Double.toString(failRate), Integer.toString(failStatus),
      Integer.toString(instances), Long.toString(seed));
  }

  public static FakeUpstreamOptions fromArgs(String[] a) {
    if (a.length != 10) {
      throw new IllegalArgumentException("expected the 10 fields of FakeUpstreamOptions, got " + a.length);
    }
    return new FakeUpstreamOptions(a[0], Integer.parseInt(a[1]), Long.parseLong(a[2]), Long.parseLong(a[3]),
      Integer.parseInt(a[4]), Long.parseLong(a[5]), Double.parseDouble(a[6]), Integer.parseInt(a[7]),
      Integer.parseInt(a[8]), Long.parseLong(a[9]));
  }

  public String describe() {
    return "ttft " + ttftMs + " ms, inter-token " + interTokenMs + " ms, " + tokens + " tokens (stream "
      + streamMs() + " ms), JSON " + effectiveJsonLatencyMs() + " ms, fail rate " + failRate
      + (failRate > 0 ? " (HTTP " + failStatus + ")" : "") + ", " + instances + " event loop(s)";
  }
}

package io.openfusion.bench.perf;

/**
 * One measured cell: a target (upstream alone, pass-through, fusion, fusion on a cluster), a format and a
 * concurrency, bounded by a request count and a wall-clock cap.
 *
 * @param target      row label, e.g. {@code upstream}, {@code passthrough}, {@code fusion}
 * @param format      {@code sse} or {@code json}
 * @param concurrency closed-loop clients, each sending its next request when the previous one ended
 * @param requests    requests to complete (the cap may stop it earlier)
 * @param timeCapMs   no new request starts after this; in-flight ones get {@link #GRACE_MS} more
 * @param port        loopback port of the target
 * @param model       the {@code model} to request
 */
public record Scenario(String target, String format, int concurrency, int requests, long timeCapMs, int port,
                      String model) {

  /** How long requests still in flight at the cap may take before they count as errors. */
  public static final long GRACE_MS = 15_000;

  public boolean stream() {
    return "sse".equals(format);
  }

  public String body() {
    return "{\"model\":\"" + model + "\",\"stream\":" + stream() + ",\"messages\":[{\"role\":\"user\",\"content\":"
      + "\"Compare Postgres and SQLite for a small SaaS in three sentences.\"}]}";
  }
}

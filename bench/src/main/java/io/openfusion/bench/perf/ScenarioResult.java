package io.openfusion.bench.perf;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * What one run of a {@link Scenario} measured. Times are microseconds; TTFT is the first content chunk for SSE
 * and the first response byte for JSON.
 *
 * @param ok               requests that ended with HTTP 200 and a complete, error-free body
 * @param errors           everything else, timeouts at the cap included
 * @param wallMs           first send to last completion
 * @param proxyRssKb       proxy VmRSS at the end of the run (-1 without a proxy)
 * @param proxyRssMaxKb    highest VmRSS sampled during the run
 * @param proxyCpuMs       CPU time the proxy process(es) used during the run
 * @param benchCpuMs       CPU time the harness JVM (the load driver) used during the run
 * @param upstreamCpuMs    CPU time the fake upstream's process used during the run (serving the proxy's upstream calls in a
 *                         proxy cell, the driver's in an upstream-alone cell), or -1
 * @param loadAvg          /proc/loadavg when the run ended
 * @param errorSamples     a few error messages
 * @param proxyGc          the proxy's GC pauses and allocations during the run (from its /metrics), or null
 * @param backgroundCpuPct CPU busy % of the whole machine just before the run, while the harness was idle
 *                         (other tenants' load); -1 when not measured
 * @param proxyJitMs       of {@code proxyCpuMs}, the time the proxy's JIT compiler threads used (a proxy not yet warm
 *                         compiles during the run), or -1
 */
public record ScenarioResult(Scenario scenario, int ok, int errors, long wallMs, long ttftP50, long ttftP99,
                             long ttlbP50, long ttlbP90, long ttlbP99, long ttlbMax, long proxyRssKb, long proxyRssMaxKb,
                             long proxyCpuMs, long benchCpuMs, String loadAvg, List<String> errorSamples,
                             ProxyMetrics.Delta proxyGc, double backgroundCpuPct, long proxySysMs,
                             long proxyContextSwitches, long upstreamCpuMs, long proxyJitMs) {

  public ScenarioResult with(ProxyMetrics.Delta gc, double background, long sysMs, long switches, long upstreamCpu,
                             long jitMs) {
    return new ScenarioResult(scenario, ok, errors, wallMs, ttftP50, ttftP99, ttlbP50, ttlbP90, ttlbP99, ttlbMax, proxyRssKb,
      proxyRssMaxKb, proxyCpuMs, benchCpuMs, loadAvg, errorSamples, gc, background, sysMs, switches, upstreamCpu, jitMs);
  }

  /** Share of the proxy's CPU time its JIT compiler threads used during the run, or -1. */
  public double proxyJitShare() {
    return proxyCpuMs <= 0 || proxyJitMs < 0 ? -1 : (double) proxyJitMs / proxyCpuMs;
  }

  /** The fake upstream's CPU per completed request: one upstream call for pass-through, all of a fusion's calls. */
  public double upstreamCpuUsPerRequest() {
    return ok == 0 || upstreamCpuMs < 0 ? -1 : upstreamCpuMs * 1000.0 / ok;
  }

  /**
   * The proxy's CPU over the upstream's in the same run: what the proxy spends per request for each unit the upstream
   * spends serving that request's calls; -1 when either was not measured or the upstream used no measurable CPU.
   */
  public double proxyToUpstreamCpu() {
    return proxyCpuMs < 0 || upstreamCpuMs <= 0 ? -1 : (double) proxyCpuMs / upstreamCpuMs;
  }

  /** Share of the proxy's CPU time spent in the kernel (syscalls, wake-ups), or -1. */
  public double proxySysShare() {
    return proxyCpuMs <= 0 || proxySysMs < 0 ? -1 : (double) proxySysMs / proxyCpuMs;
  }

  public double proxySwitchesPerRequest() {
    return ok == 0 || proxyContextSwitches < 0 ? -1 : (double) proxyContextSwitches / ok;
  }

  public double rps() {
    return wallMs <= 0 ? 0 : ok * 1000.0 / wallMs;
  }

  public double proxyCpuUsPerRequest() {
    return ok == 0 || proxyCpuMs < 0 ? -1 : proxyCpuMs * 1000.0 / ok;
  }

  public double benchCpuUsPerRequest() {
    return ok == 0 ? -1 : benchCpuMs * 1000.0 / ok;
  }

  public JsonObject toJson() {
    return new JsonObject()
      .put("target", scenario.target())
      .put("format", scenario.format())
      .put("concurrency", scenario.concurrency())
      .put("requests", scenario.requests())
      .put("ok", ok)
      .put("errors", errors)
      .put("wall_ms", wallMs)
      .put("rps", rps())
      .put("ttft_p50_us", ttftP50)
      .put("ttft_p99_us", ttftP99)
      .put("ttlb_p50_us", ttlbP50)
      .put("ttlb_p90_us", ttlbP90)
      .put("ttlb_p99_us", ttlbP99)
      .put("ttlb_max_us", ttlbMax)
      .put("proxy_rss_kb", proxyRssKb)
      .put("proxy_rss_max_kb", proxyRssMaxKb)
      .put("proxy_cpu_ms", proxyCpuMs)
      .put("bench_cpu_ms", benchCpuMs)
      .put("upstream_cpu_ms", upstreamCpuMs)
      .put("loadavg", loadAvg)
      .put("background_cpu_pct", backgroundCpuPct)
      .put("proxy_sys_ms", proxySysMs)
      .put("proxy_context_switches", proxyContextSwitches)
      .put("proxy_jit_ms", proxyJitMs)
      .put("proxy_gc_pauses", proxyGc == null ? null : proxyGc.pauses())
      .put("proxy_gc_pause_ms", proxyGc == null ? null : proxyGc.pauseMs())
      .put("proxy_allocated_bytes_per_request", proxyGc == null || ok == 0 ? null : proxyGc.allocatedBytes() / ok)
      .put("error_samples", new JsonArray(errorSamples));
  }
}

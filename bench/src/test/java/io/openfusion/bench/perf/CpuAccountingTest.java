package io.openfusion.bench.perf;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CpuAccountingTest {

  /** One run of {@code ok} requests with the proxy's and the fake upstream's CPU milliseconds over it. */
  static ScenarioResult run(String target, String format, int c, int ok, long proxyMs, long upstreamMs) {
    return run(target, format, c, ok, proxyMs, upstreamMs, -1);
  }

  static ScenarioResult run(String target, String format, int c, int ok, long proxyMs, long upstreamMs, long jitMs) {
    Scenario s = new Scenario(target, format, c, ok, 60_000, 1, "m");
    return new ScenarioResult(s, ok, 0, 1000, 0, 0, 0, 0, 0, 0, -1, -1, proxyMs, 0, "0.5 0.5 0.5", List.of(), null, 5,
      -1, -1, upstreamMs, jitMs);
  }

  @Test
  void theJitsShareOfTheProxysCpuIsShownPerCell() {
    ScenarioResult warming = run("passthrough", "sse", 256, 1000, 1200, 400, 300);
    assertThat(warming.proxyJitShare()).isEqualTo(0.25);
    assertThat(run("passthrough", "sse", 256, 1000, 1200, 400).proxyJitShare()).isEqualTo(-1);
    assertThat(warming.toJson().getLong("proxy_jit_ms")).isEqualTo(300);

    Map<String, PerfReport.Cell> cells = PerfReport.cells(List.of(warming,
      run("passthrough", "sse", 256, 1000, 1000, 400, 10), run("passthrough", "sse", 256, 1000, 1100, 400, 22)));
    assertThat(cells.get(PerfReport.key("passthrough", "sse", 256)).jitShare()).isEqualTo(0.02);
    assertThat(CpuAccounting.render(cells.values())).contains("| **2.75** (2.50-3.00) | 2.0% | 3 |");
  }

  @Test
  void theCompilerThreadsOfThisJvmAreFoundAndCostNoMoreThanTheProcess() {
    long pid = ProcessHandle.current().pid();
    long jit = io.openfusion.bench.common.Proc.compilerCpuMillis(pid);
    assertThat(jit).isBetween(0L, io.openfusion.bench.common.Proc.cpuMillis(pid));
    assertThat(io.openfusion.bench.common.Proc.compilerCpuMillis(Long.MAX_VALUE)).isEqualTo(-1);
  }

  @Test
  void perRequestCpuAndTheRatioComeFromTheSameRun() {
    ScenarioResult r = run("passthrough", "sse", 64, 500, 400, 500);
    assertThat(r.proxyCpuUsPerRequest()).isEqualTo(800.0);
    assertThat(r.upstreamCpuUsPerRequest()).isEqualTo(1000.0);
    assertThat(r.proxyToUpstreamCpu()).isEqualTo(0.8);
    assertThat(run("passthrough", "sse", 64, 500, 400, 0).proxyToUpstreamCpu()).isEqualTo(-1);
    assertThat(run("passthrough", "sse", 64, 500, 400, -1).upstreamCpuUsPerRequest()).isEqualTo(-1);
  }

  @Test
  void theVerdictIsTheMedianRatioOverRunsPerCell() {
    Map<String, PerfReport.Cell> cells = PerfReport.cells(List.of(
      run("passthrough", "sse", 256, 1000, 900, 1000), run("passthrough", "sse", 256, 1000, 2000, 1000),
      run("passthrough", "sse", 256, 1000, 950, 1000),
      run("fusion", "json", 256, 1000, 3000, 2000), run("fusion", "json", 256, 1000, 3200, 2000),
      run("passthrough", "json", 256, 1000, 5000, 1000), run("upstream", "sse", 256, 1000, -1, 1000)));
    PerfReport.Cell pt = cells.get(PerfReport.key("passthrough", "sse", 256));
    assertThat(pt.cpuRatio()).isEqualTo(0.95);
    assertThat(pt.cpuRatioMin()).isEqualTo(0.9);
    assertThat(pt.cpuRatioMax()).isEqualTo(2.0);

    List<JsonObject> targets = CpuAccounting.targets(cells.values(), new ProxyBuild("", Path.of("/x.jar")));
    assertThat(targets).extracting(t -> t.getString("target")).containsExactly(
      "passthrough CPU/req <= 1.0 x its upstream calls' (sse, c=256)",
      "fusion CPU/req <= 1.0 x its upstream calls' (json, c=256)");
    assertThat(targets).extracting(t -> t.getString("status")).containsExactly("MET", "MISSED");
    assertThat(targets.get(1).getString("measured")).startsWith("1.55 x (3100 vs 2000 µs per request");

    String table = CpuAccounting.render(cells.values());
    assertThat(table).contains("| passthrough | json | 256 | 5000 µs | 1000 µs | **5.00**").doesNotContain("| upstream |");
  }

  @Test
  void withSeveralBuildsEachBuildGetsItsOwnTargets() {
    Map<String, PerfReport.Cell> cells = PerfReport.cells(List.of(
      run("fusion@before", "sse", 64, 500, 1000, 500), run("fusion@after", "sse", 64, 500, 400, 500)));
    List<JsonObject> after = CpuAccounting.targets(cells.values(), new ProxyBuild("after", Path.of("/a.jar")));
    assertThat(after).singleElement().satisfies(t -> {
      assertThat(t.getString("target")).endsWith("[after]");
      assertThat(t.getString("status")).isEqualTo("MET");
    });
  }

  @Test
  void theFakeUpstreamProcessIsStartedFromItsOptionsAndReportsItsPort() {
    FakeUpstreamOptions o = new FakeUpstreamOptions("127.0.0.1", 0, 100, 10, 20, -1, 0.25, 503, 2, 7);
    assertThat(FakeUpstreamOptions.fromArgs(o.toArgs().toArray(String[]::new))).isEqualTo(o);
    assertThat(FakeUpstreamProcess.parsePort(FakeUpstreamMain.PORT_LINE + "41234")).isEqualTo(41234);
    assertThat(FakeUpstreamProcess.parsePort("Picked up JAVA_TOOL_OPTIONS")).isEqualTo(-1);
    assertThat(FakeUpstreamProcess.parsePort(null)).isEqualTo(-1);
  }
}

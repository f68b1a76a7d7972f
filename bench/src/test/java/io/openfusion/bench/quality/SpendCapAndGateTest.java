package io.openfusion.bench.quality;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The safety rails of a paid run, exercised end to end against the simulator through the command line. */
class SpendCapAndGateTest {

  private static JsonObject read(Path file) throws Exception {
    return new JsonObject(Files.readString(file));
  }

  /**
   * A cap far below what the run would cost: the run stops before passing it, the simulated providers billed no more
   * than the cap, everything they billed was counted, the tasks that finished did so in every mode, and the exit code
   * says the run was cut short.
   */
  @Test
  @Timeout(180)
  void maxUsdStopsTheRunBeforeTheCap(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("capped.json");
    double cap = 0.005;
    int exit = QualityBench.execute(new String[] {"--offline", "--tasks", "synthetic:100", "--modes", "solo,vote",
      "--max-usd", Double.toString(cap), "--concurrency", "4", "--output", out.toString()});
    assertThat(exit).isEqualTo(QualityBench.EXIT_CAP);
    JsonObject run = read(out);
    JsonObject spend = run.getJsonObject("spend");
    assertThat(spend.getBoolean("stopped")).isTrue();
    assertThat(spend.getString("stop_reason")).contains("spending cap reached");
    double billed = spend.getDouble("simulator_billed_usd");
    assertThat(billed).isGreaterThan(0).isLessThanOrEqualTo(cap);
    assertThat(spend.getDouble("spent_usd")).isCloseTo(billed, within(1e-9));
    int complete = run.getInteger("tasks_complete");
    assertThat(complete).isBetween(1, 99);
    for (Object m : run.getJsonArray("modes")) {
      assertThat(((JsonObject) m).getInteger("tasks")).isEqualTo(complete);
    }
    assertThat(Files.readString(dir.resolve("capped.md"))).contains("stopped before the spending cap");
  }

  /**
   * A baseline run at p = 0.8, a rerun of the same system with other random draws (noise: must pass), and a rerun of a
   * worse system at p = 0.6 (a real drop: must exit 3). The runs write result files that serve as baselines.
   */
  @Test
  @Timeout(300)
  void failOnRegressionTripsOnADropAndNotOnNoise(@TempDir Path dir) throws Exception {
    Path base = dir.resolve("base.json");
    List<String> common = List.of("--offline", "--tasks", "synthetic:200", "--modes", "solo,vote", "--pairwise", "none");
    assertThat(QualityBench.execute(args(common, "--p", "0.8", "--seed", "1", "--output", base.toString())))
      .isEqualTo(QualityBench.EXIT_OK);

    Path same = dir.resolve("same.json");
    assertThat(QualityBench.execute(args(common, "--p", "0.8", "--seed", "2", "--output", same.toString(),
      "--fail-on-regression", base.toString()))).isEqualTo(QualityBench.EXIT_OK);
    JsonObject gate = read(same).getJsonObject("gate");
    assertThat(gate.getBoolean("regressed")).isFalse();
    assertThat(gate.getJsonArray("checks")).hasSize(2);

    Path worse = dir.resolve("worse.json");
    assertThat(QualityBench.execute(args(common, "--p", "0.6", "--seed", "3", "--output", worse.toString(),
      "--fail-on-regression", base.toString()))).isEqualTo(QualityBench.EXIT_REGRESSION);
    assertThat(read(worse).getJsonObject("gate").getBoolean("regressed")).isTrue();
    assertThat(Files.readString(dir.resolve("worse.md"))).contains("**REGRESSION**").contains("accuracy/vote");

    // a baseline of other tasks is refused, not compared
    assertThat(QualityBench.execute(new String[] {"--offline", "--tasks", "synthetic:20", "--modes", "solo", "--pairwise",
      "none", "--output", dir.resolve("other.json").toString(), "--fail-on-regression", base.toString()}))
      .isEqualTo(QualityBench.EXIT_USAGE);
  }

  @Test
  void badArgumentsExitWithUsageBeforeAnythingRuns(@TempDir Path dir) throws Exception {
    assertThat(QualityBench.execute(new String[] {"--offline", "--max-usd", "lots"})).isEqualTo(QualityBench.EXIT_USAGE);
    assertThat(QualityBench.execute(new String[] {"--offline", "--fail-on-regression", dir.resolve("nope.json").toString()}))
      .isEqualTo(QualityBench.EXIT_USAGE);
    assertThat(QualityBench.execute(new String[] {"--offline", "--pairwise-orders", "3"})).isEqualTo(QualityBench.EXIT_USAGE);
    assertThat(QualityBench.execute(new String[] {"--offline", "--typo"})).isEqualTo(QualityBench.EXIT_USAGE);
    // offline never reaches a real provider: live recipes are refused, before any request
    assertThat(QualityBench.execute(new String[] {"--offline", "--tasks", "synthetic:3", "--recipe-dir",
      "bench/recipes/openrouter", "--modes", "solo", "--output", dir.resolve("x.json").toString()}))
      .isEqualTo(QualityBench.EXIT_USAGE);
    assertThat(QualityBench.maxUsd(null, false)).isEqualTo(QualityBench.DEFAULT_LIVE_MAX_USD);
    assertThat(QualityBench.maxUsd(null, true)).isInfinite();
    assertThat(QualityBench.maxUsd("none", false)).isInfinite();
    assertThat(QualityBench.price("0.15,0.6")).containsExactly(0.15, 0.6);
  }

  private static String[] args(List<String> common, String... more) {
    List<String> all = new java.util.ArrayList<>(common);
    all.addAll(List.of(more));
    return all.toArray(new String[0]);
  }
}

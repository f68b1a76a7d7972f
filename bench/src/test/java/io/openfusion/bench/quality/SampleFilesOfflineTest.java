package io.openfusion.bench.quality;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed sample files run as the README shows, here against simulated members that are always right, so every
 * stage (loader, prompt, answer, grading, pairwise judging) must agree with the file's own references and rubrics.
 */
class SampleFilesOfflineTest {

  private static JsonObject mode(JsonObject run, String name) {
    return run.getJsonArray("modes").stream().map(JsonObject.class::cast).filter(m -> name.equals(m.getString("mode")))
      .findFirst().orElseThrow();
  }

  @Test
  @Timeout(240)
  void gsm8kRubricAndResearchSamples(@TempDir Path dir) throws Exception {
    Path gsm = dir.resolve("gsm8k.json");
    assertThat(QualityBench.execute(new String[] {"--offline", "--p", "1", "--tasks", "gsm8k:bench/tasks/gsm8k-sample.jsonl",
      "--modes", "solo,vote", "--output", gsm.toString()})).isZero();
    JsonObject g = new JsonObject(Files.readString(gsm));
    assertThat(mode(g, "vote").getDouble("accuracy")).isEqualTo(1.0);
    assertThat(mode(g, "solo").getInteger("graded")).isEqualTo(8);

    Path rubric = dir.resolve("rubric.json");
    assertThat(QualityBench.execute(new String[] {"--offline", "--p", "1", "--tasks", "rubric:bench/tasks/rubric-sample.jsonl",
      "--modes", "solo,panel_judge", "--pairwise", "none", "--output", rubric.toString()})).isZero();
    JsonObject r = new JsonObject(Files.readString(rubric));
    // always right: every point made, no mistake
    assertThat(mode(r, "panel_judge").getDouble("rubric_score")).isEqualTo(1.0);
    assertThat(mode(r, "solo").getInteger("grade_errors")).isZero();
    assertThat(r.getJsonObject("rubric_by_domain").fieldNames()).contains("Medicine", "Finance", "Technology");

    Path research = dir.resolve("research.json");
    assertThat(QualityBench.execute(new String[] {"--offline", "--p", "1", "--tasks", "bench/tasks/research-sample.jsonl",
      "--modes", "solo,panel_judge", "--pairwise", "panel_judge:solo", "--output", research.toString()})).isZero();
    JsonObject pair = new JsonObject(Files.readString(research)).getJsonArray("pairwise").getJsonObject(0);
    assertThat(pair.getInteger("judged")).isEqualTo(6);
    assertThat(pair.getInteger("unparsed")).isZero();
    assertThat(pair.getInteger("ties")).isEqualTo(6); // equally complete answers
  }
}

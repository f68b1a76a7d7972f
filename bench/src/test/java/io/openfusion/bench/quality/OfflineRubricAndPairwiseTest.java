package io.openfusion.bench.quality;

import io.openfusion.bench.common.RepoPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Rubric grading and pairwise judging of open prompts, through the proxy, against simulated members and graders whose
 * behaviour is known, so the measured numbers can be held against theory.
 */
class OfflineRubricAndPairwiseTest {

  private static Path recipe(String path) {
    return RepoPaths.resolve(path);
  }

  /**
   * 150 rubric tasks (6 points, 2 mistakes each), members right 70 % of the time: a single member scores what one
   * draw per criterion gives, the synthesizing judge keeps every point any of 5 members made and only mistakes most
   * of them made, so panel + judge must score clearly higher, each inside its own interval of theory.
   */
  @Test
  @Timeout(180)
  void rubricScoresMatchTheoryAndTheSynthesisBeatsSolo() throws Exception {
    QualityBench.Options o = QualityBench.Options.offline("synthetic-rubric:150", 0.7, 5, SimUpstream.Wrong.SHARED,
      List.of("solo", "panel_judge"), 16, List.of("none"));
    Report report = QualityBench.run(o);
    List<Task> tasks = TaskLoader.load("synthetic-rubric:150", 0);
    Report.Summary solo = report.summaries().get("solo");
    Report.Summary panel = report.summaries().get("panel_judge");
    assertThat(solo.rubricTasks()).isEqualTo(150);
    assertThat(solo.gradeErrors()).isZero();
    assertThat(solo.graded()).isZero();
    double soloTheory = Theory.rubricMean(tasks, 0.7, 1);
    double panelTheory = Theory.rubricMean(tasks, 0.7, 5);
    assertThat(soloTheory).isBetween(0.4, 0.6);
    assertThat(panelTheory).isGreaterThan(0.9);
    assertThat(soloTheory).isBetween(solo.score().low(), solo.score().high());
    assertThat(panelTheory).isBetween(panel.score().low(), panel.score().high());

    Report.Paired paired = report.pairedWithSolo().get(0);
    assertThat(paired.mode()).isEqualTo("panel_judge");
    assertThat(paired.difference().low()).isGreaterThan(0.2);
    assertThat(paired.wins()).isGreaterThan(10 * paired.losses());
    assertThat(report.byDomain()).containsOnlyKeys("Finance", "Medicine", "Technology");
    assertThat(report.markdown()).contains("| panel_judge - solo |").contains("| solo rubric score |")
      .contains("| rubric score by domain |");
    assertThat(report.json().getJsonArray("metrics").getJsonObject(0).getString("kind")).isEqualTo("mean");
  }

  /**
   * Open prompts without a reference: a member covering each of 8 points with p = 0.9 against one with p = 0.7, judged
   * by a simulated judge that prefers the answer with more points. The better system's win rate must contain the
   * exact expectation and its whole Wilson interval must lie above 50 %.
   */
  @Test
  @Timeout(180)
  void theBetterSystemWinsByTheExpectedMargin() throws Exception {
    QualityBench.Options o = QualityBench.Options.offline("synthetic-open:300", 0.7, 3, SimUpstream.Wrong.SHARED,
        List.of(), 16, List.of("strong:solo"))
      .withRecipes(List.of(recipe("bench/recipes/offline/solo.yaml"), recipe("bench/src/test/resources/recipes/strong.yaml")));
    Report report = QualityBench.run(o);
    PairwiseResult p = report.pairwise().get(0);
    double theory = Theory.pointsWinRate(TaskLoader.OPEN_POINTS, 0.9, 0.7);
    assertThat(p.judged()).isEqualTo(300);
    assertThat(p.unparsed()).isZero();
    assertThat(p.inconsistent()).isZero();
    assertThat(theory).isBetween(p.interval().low(), p.interval().high());
    assertThat(p.interval().low()).isGreaterThan(0.5);
    // open prompts have no accuracy or score of their own
    assertThat(report.summaries().get("strong").graded()).isZero();
    assertThat(report.summaries().get("strong").rubricTasks()).isZero();
  }

  /**
   * Two equally good systems and a judge that says "A" whenever it cannot tell them apart. In one order per task the
   * bias turns every tie into a win for whichever side was shown first; in both orders those become
   * position-inconsistent ties, and the win rate's interval contains 50 %.
   */
  @Test
  @Timeout(180)
  void bothOrdersCancelAPositionBiasedJudge() throws Exception {
    List<Path> recipes = List.of(recipe("bench/recipes/offline/solo.yaml"), recipe("bench/src/test/resources/recipes/twin.yaml"));
    QualityBench.Options base = QualityBench.Options.offline("synthetic-open:300", 0.7, 4, SimUpstream.Wrong.SHARED,
      List.of(), 16, List.of("twin:solo")).withRecipes(recipes);

    PairwiseResult both = QualityBench.run(base.withJudge(SimUpstream.PAIRWISE_BIASED, 2)).pairwise().get(0);
    assertThat(both.inconsistent()).isGreaterThan(30);
    assertThat(both.positionARate()).isGreaterThan(0.6);
    assertThat(both.interval().low()).isLessThan(0.5);
    assertThat(both.interval().high()).isGreaterThan(0.5);

    PairwiseResult one = QualityBench.run(base.withJudge(SimUpstream.PAIRWISE_BIASED, 1)).pairwise().get(0);
    assertThat(one.ties()).isZero();
    assertThat(one.decided()).isEqualTo(both.decided() + both.inconsistent());
  }
}

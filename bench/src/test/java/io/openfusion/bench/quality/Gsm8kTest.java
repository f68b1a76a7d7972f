package io.openfusion.bench.quality;

import io.openfusion.bench.common.RepoPaths;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Gsm8kTest {

  @Test
  void theReferenceIsTheNumberAfterTheLastHashes() {
    assertThat(Gsm8k.gold("2 + 2 = <<2+2=4>>4\n#### 4")).isEqualTo("4");
    assertThat(Gsm8k.gold("big\n#### 1,234")).isEqualTo("1234");
    assertThat(Gsm8k.gold("#### $5.25")).isEqualTo("5.25");
    assertThat(Gsm8k.gold("colder\n#### -7")).isEqualTo("-7");
    assertThat(Gsm8k.gold("#### 3 is a draft\n#### 12")).isEqualTo("12");
    assertThatThrownBy(() -> Gsm8k.gold("no marker 12")).hasMessageContaining("####");
    assertThatThrownBy(() -> Gsm8k.gold("#### twelve")).hasMessageContaining("no number after ####");
  }

  @Test
  void readsTheGsm8kFormatAndAsksForAFinalAnswerLine() {
    List<Task> tasks = Gsm8k.parse("""
      {"question": "Tom has 3 apples and buys 4 more. How many now?", "answer": "3 + 4 = <<3+4=7>>7\\n#### 7"}

      {"question": "Ann saves $1,000 a month. How much in a year?", "answer": "12 * 1000 = 12000\\n#### 12,000"}
      """, "g.jsonl");
    assertThat(tasks).extracting(Task::id).containsExactly("gsm8k-1", "gsm8k-2");
    assertThat(tasks.get(1).answer()).isEqualTo("12000");
    assertThat(tasks).allMatch(t -> t.scoring() == Scoring.Method.NUMERIC);
    assertThat(tasks.get(0).prompt()).startsWith("Tom has 3 apples").contains("The answer is N");
  }

  @Test
  void gradesByTheFinalNumberOfTheAnswer() {
    Task t = Gsm8k.parse("{\"question\": \"q\", \"answer\": \"#### 12,000\"}", "g").get(0);
    assertThat(Scoring.score(t.scoring(), "12 months * $1,000 = $12,000.\nThe answer is 12,000.", t.answer())).isTrue();
    assertThat(Scoring.score(t.scoring(), "The answer is 12000", t.answer())).isTrue();
    // the final number decides, even when the right one appears earlier
    assertThat(Scoring.score(t.scoring(), "The answer is 12000 (that is 12 * 1000)", t.answer())).isFalse();
    assertThat(Scoring.score(t.scoring(), "I cannot tell", t.answer())).isFalse();
  }

  @Test
  void badLinesNameTheirLine() {
    assertThatThrownBy(() -> Gsm8k.parse("{\"question\": \"q\", \"answer\": \"#### 1\"}\n{\"question\": \"q\"}", "g.jsonl"))
      .hasMessageStartingWith("g.jsonl:2:").hasMessageContaining("question and answer");
    assertThatThrownBy(() -> Gsm8k.parse("{\"question\": \"q\", \"answer\": \"no marker\"}", "g.jsonl"))
      .hasMessageStartingWith("g.jsonl:1:");
    assertThatThrownBy(() -> Gsm8k.parse("{\"id\": 1, \"question\": \"q\", \"answer\": \"#### 1\"}\n"
      + "{\"id\": 1, \"question\": \"r\", \"answer\": \"#### 2\"}", "g.jsonl")).hasMessageContaining("duplicate id 1");
  }

  @Test
  void theSampleLoadsThroughItsPrefixAndEachReferenceScoresItself() throws Exception {
    List<Task> tasks = TaskLoader.load("gsm8k:" + RepoPaths.resolve("bench/tasks/gsm8k-sample.jsonl"), 0);
    assertThat(tasks).hasSizeBetween(5, 12);
    for (Task t : tasks) {
      assertThat(Scoring.score(t.scoring(), "So the answer is " + t.answer() + ".", t.answer())).as(t.id()).isTrue();
    }
    assertThat(tasks).extracting(Task::answer).contains("88", "5.25", "11");
  }
}

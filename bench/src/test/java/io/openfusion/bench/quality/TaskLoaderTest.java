package io.openfusion.bench.quality;

import io.openfusion.bench.common.RepoPaths;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskLoaderTest {

  @Test
  void readsTasksAndTheOlderFieldNames() {
    List<Task> tasks = TaskLoader.parse("""
      {"id": "a", "prompt": "2+2?", "answer": "4", "scoring": "numeric"}

      # a comment
      {"id": 7, "prompt": "Capital of France?", "expected": "Paris", "match": "contains"}
      {"id": "c", "prompt": "Say hi", "answer": "hi"}
      {"id": "d", "prompt": "Explain MoA", "scoring": "judge"}
      """, "inline");
    assertThat(tasks).extracting(Task::id).containsExactly("a", "7", "c", "d");
    assertThat(tasks.get(0).scoring()).isEqualTo(Scoring.Method.NUMERIC);
    assertThat(tasks.get(1).answer()).isEqualTo("Paris");
    assertThat(tasks.get(1).scoring()).isEqualTo(Scoring.Method.CONTAINS);
    assertThat(tasks.get(2).scoring()).isEqualTo(Scoring.Method.EXACT);
    assertThat(tasks.get(3).answer()).isEmpty();
  }

  @Test
  void promptsWithoutAReferenceAreOpenAndRubricLinesAreRubricTasks() {
    List<Task> tasks = TaskLoader.parse("""
      {"id": "r1", "prompt": "Compare A and B."}
      {"id": "r2", "prompt": "Explain C.", "domain": "Tech", "rubric": [{"criterion": "names C", "weight": 2}]}
      {"id": "r3", "prompt": "Explain D.", "scoring": "none"}
      """, "inline");
    assertThat(tasks.get(0).isOpen()).isTrue();
    assertThat(tasks.get(0).hasReference()).isFalse();
    assertThat(tasks.get(1).isRubric()).isTrue();
    assertThat(tasks.get(1).domain()).isEqualTo("Tech");
    assertThat(tasks.get(2).isOpen()).isTrue();
    assertThatThrownBy(() -> TaskLoader.parse("{\"id\":\"a\",\"prompt\":\"x\",\"scoring\":\"rubric\"}", "f.jsonl"))
      .hasMessageContaining("needs a rubric");
  }

  @Test
  void specsKeepTheirPrefixWhenThePathIsResolved() {
    assertThat(TaskLoader.path("gsm8k:bench/tasks/x.jsonl")).isEqualTo("bench/tasks/x.jsonl");
    assertThat(TaskLoader.withPath("rubric:a.jsonl", "/abs/a.jsonl")).isEqualTo("rubric:/abs/a.jsonl");
    assertThat(TaskLoader.withPath("b.jsonl", "/abs/b.jsonl")).isEqualTo("/abs/b.jsonl");
    assertThat(TaskLoader.path("synthetic-rubric:10")).isNull();
  }

  @Test
  void theShippedResearchPromptsAreOpen() throws Exception {
    List<Task> tasks = TaskLoader.load(RepoPaths.resolve("bench/tasks/research-sample.jsonl").toString(), 0);
    assertThat(tasks).hasSizeBetween(4, 12).allMatch(Task::isOpen);
  }

  @Test
  void namesTheLineOfABadTask() {
    assertThatThrownBy(() -> TaskLoader.parse("{\"id\":\"a\",\"prompt\":\"x\",\"answer\":\"1\"}\n{not json", "f.jsonl"))
      .hasMessageStartingWith("f.jsonl:2:");
    assertThatThrownBy(() -> TaskLoader.parse("{\"id\":\"a\",\"answer\":\"1\"}", "f.jsonl"))
      .hasMessageContaining("f.jsonl:1: id and prompt are required");
    assertThatThrownBy(() -> TaskLoader.parse("{\"id\":\"a\",\"prompt\":\"x\",\"scoring\":\"numeric\"}", "f.jsonl"))
      .hasMessageContaining("answer is required");
    assertThatThrownBy(() -> TaskLoader.parse("{\"id\":\"a\",\"prompt\":\"x\",\"answer\":\"1\"}\n"
      + "{\"id\":\"a\",\"prompt\":\"y\",\"answer\":\"2\"}", "f.jsonl")).hasMessageContaining("duplicate id a");
    assertThatThrownBy(() -> TaskLoader.parse("{\"id\":\"a\",\"prompt\":\"x\",\"answer\":\"1\",\"scoring\":\"fuzzy\"}", "f.jsonl"))
      .hasMessageContaining("f.jsonl:1:");
  }

  @Test
  void theShippedSetsLoadAndScoreTheirOwnAnswers() throws Exception {
    List<Task> smoke = TaskLoader.load(RepoPaths.resolve("bench/tasks/smoke.jsonl").toString(), 0);
    List<Task> sample = TaskLoader.load(RepoPaths.resolve("bench/tasks/sample.jsonl").toString(), 0);
    assertThat(smoke).hasSizeBetween(3, 8);
    assertThat(sample).hasSizeBetween(15, 30);
    for (Task t : sample) {
      assertThat(Scoring.score(t.scoring(), t.answer(), t.answer())).as(t.id()).isTrue();
    }
    assertThat(TaskLoader.load(RepoPaths.resolve("bench/tasks/sample.jsonl").toString(), 5)).hasSize(5);
  }

  @Test
  void syntheticRubricAndOpenSets() throws Exception {
    List<Task> rubric = TaskLoader.load("synthetic-rubric:30", 0);
    assertThat(rubric).hasSize(30).allMatch(Task::isRubric);
    assertThat(rubric.get(0).rubric()).hasSize(8);
    assertThat(rubric.stream().map(Task::domain).distinct()).hasSize(3);
    assertThat(TaskLoader.load("synthetic-open:12", 0)).hasSize(12).allMatch(Task::isOpen);
    assertThat(TaskLoader.load("synthetic:50:7", 10)).hasSize(10);
  }

  @Test
  void syntheticTasksAreDeterministicAndUnique() {
    List<Task> a = TaskLoader.synthetic(200, 3);
    List<Task> b = TaskLoader.synthetic(200, 3);
    assertThat(a).isEqualTo(b);
    assertThat(a.stream().map(Task::prompt).distinct().count()).isEqualTo(200);
    assertThat(a).allMatch(t -> t.scoring() == Scoring.Method.NUMERIC);
  }
}

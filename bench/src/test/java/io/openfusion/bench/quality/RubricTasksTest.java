package io.openfusion.bench.quality;

import io.openfusion.bench.common.RepoPaths;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RubricTasksTest {

  @Test
  void readsAFlatRubric() {
    Task t = RubricTasks.parse("""
      {"id": "m1", "domain": "Medicine", "prompt": "Q?", "rubric": [{"criterion": "says X", "weight": 3},
        {"criterion": "says Y", "weight": 1, "section": "depth"}, {"criterion": "harmful advice", "weight": -50}]}
      """.replace("\n  ", ""), "r.jsonl").get(0);
    assertThat(t.id()).isEqualTo("m1");
    assertThat(t.domain()).isEqualTo("Medicine");
    assertThat(t.isRubric()).isTrue();
    assertThat(t.rubric()).extracting(RubricItem::weight).containsExactly(3.0, 1.0, -50.0);
    assertThat(t.rubric().get(1).section()).isEqualTo("depth");
  }

  @Test
  void readsTheDracoShapeWithItsRubricAsAJsonStringOfSections() {
    String rubric = "{\"sections\": [{\"title\": \"Factual accuracy\", \"criteria\": [{\"criterion\": \"a\", \"weight\": 10}, "
      + "{\"criterion\": \"b\", \"weight\": -25}]}, {\"name\": \"Citations\", \"items\": [{\"requirement\": \"c\", "
      + "\"points\": \"2\"}]}]}";
    String line = new io.vertx.core.json.JsonObject().put("id", "d-7").put("domain", "Finance").put("problem", "Q?")
      .put("answer", rubric).encode();
    Task t = RubricTasks.parse(line, "draco.jsonl").get(0);
    assertThat(t.prompt()).isEqualTo("Q?");
    assertThat(t.rubric()).extracting(RubricItem::criterion).containsExactly("a", "b", "c");
    assertThat(t.rubric()).extracting(RubricItem::section).containsExactly("Factual accuracy", "Factual accuracy", "Citations");
    assertThat(t.rubric().get(2).weight()).isEqualTo(2.0);
  }

  @Test
  void findsTheCriteriaListInAnUnknownShapeAndNumbersTasksWithoutId() {
    String line = "{\"question\": \"Q?\", \"criteria\": {\"v2\": {\"checklist\": [{\"description\": \"d\", \"weight\": 1}]}}}";
    Task t = RubricTasks.parse(line, "x").get(0);
    assertThat(t.id()).isEqualTo("rubric-1");
    assertThat(t.rubric()).extracting(RubricItem::criterion).containsExactly("d");
  }

  @Test
  void badRubricsNameTheirLine() {
    assertThatThrownBy(() -> RubricTasks.parse("{\"prompt\": \"q\"}", "r.jsonl"))
      .hasMessageStartingWith("r.jsonl:1:").hasMessageContaining("criteria");
    assertThatThrownBy(() -> RubricTasks.parse("{\"prompt\": \"q\", \"rubric\": [{\"criterion\": \"x\"}]}", "r.jsonl"))
      .hasMessageContaining("needs text").hasMessageContaining("weight");
    assertThatThrownBy(() -> RubricTasks.parse("{\"prompt\": \"q\", \"rubric\": [{\"criterion\": \"x\", \"weight\": -1}]}",
      "r.jsonl")).hasMessageContaining("positive weight");
    assertThatThrownBy(() -> RubricTasks.parse("{\"prompt\": \"q\", \"answer\": \"Paris\"}", "r.jsonl"))
      .hasMessageContaining("plain string");
    assertThatThrownBy(() -> RubricTasks.parse("{\"prompt\": \"q\", \"rubric\": \"{not json\"}", "r.jsonl"))
      .hasMessageContaining("not valid JSON");
  }

  @Test
  void theSampleLoads() throws Exception {
    List<Task> tasks = TaskLoader.load("rubric:" + RepoPaths.resolve("bench/tasks/rubric-sample.jsonl"), 0);
    assertThat(tasks).hasSizeBetween(3, 10);
    assertThat(tasks).allMatch(Task::isRubric);
    assertThat(tasks).extracting(Task::domain).contains("Medicine", "Finance", "Technology");
    assertThat(tasks).allMatch(t -> t.rubric().stream().anyMatch(i -> i.weight() < 0));
  }
}

package io.openfusion.judge;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AnalysisSplitterTest {

  @Test
  void aSentinelSplitAcrossEveryCharacterIsStillFound() {
    AnalysisSplitter splitter = new AnalysisSplitter();
    String stream = "Answer text.\n" + AnalysisSplitter.SENTINEL + "\n{\"consensus\":\"yes\"}";
    StringBuilder shown = new StringBuilder();
    for (char c : stream.toCharArray()) {
      shown.append(splitter.accept(String.valueOf(c)));
    }
    shown.append(splitter.flush());
    assertThat(shown.toString()).isEqualTo("Answer text.\n");
    assertThat(splitter.analysis().getString("consensus")).isEqualTo("yes");
  }

  @Test
  void withoutASentinelEverythingIsAnswerAndTextThatMerelyStartsLikeOneIsKept() {
    AnalysisSplitter splitter = new AnalysisSplitter();
    String shown = splitter.accept("a == b, and ===ANA") + splitter.accept("LYZE this") + splitter.flush();
    assertThat(shown).isEqualTo("a == b, and ===ANALYZE this");
    assertThat(splitter.analysis()).isNull();
  }

  @Test
  void aTrailerThatIsNotAJsonObjectIsKeptRaw() {
    AnalysisSplitter splitter = new AnalysisSplitter();
    splitter.accept("x" + AnalysisSplitter.SENTINEL + "```json\n{}\n```");
    assertThat(splitter.analysis().getString("raw")).startsWith("```json");
  }
}

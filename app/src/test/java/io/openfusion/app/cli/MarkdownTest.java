package io.openfusion.app.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Markdown rendered for the terminal, whole and streamed in arbitrary pieces. */
class MarkdownTest {

  private static final String ANSWER = String.join("\n",
    "# Postgres or SQLite",
    "",
    "Use **SQLite** for a *single* server and `Postgres` for [several](https://example.com).",
    "",
    "- one",
    "  - nested",
    "2. second",
    "",
    "> quoted",
    "",
    "```python",
    "def f(x):  # square",
    "    return x * 2",
    "```",
    "",
    "| db | writes |",
    "|---|---|",
    "| SQLite | one at a time |",
    "| Postgres | many |",
    "",
    "Done.");

  private static String stream(List<String> pieces) {
    StringWriter text = new StringWriter();
    MarkdownStream printer = new MarkdownStream(new PrintWriter(text), () -> 80, () -> 24);
    pieces.forEach(printer::append);
    printer.finish();
    return text.toString();
  }

  /** What a person sees on an 80-column terminal: lines wrapped, cursor movements applied, escape codes removed. */
  private static List<String> screen(String output) {
    List<String> lines = new java.util.ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < output.length(); i++) {
      char c = output.charAt(i);
      if (c == '\033') {
        int end = i + 1;
        while (end < output.length() && !Character.isLetter(output.charAt(end))) {
          end++;
        }
        String seq = output.substring(i, end + 1);
        if (seq.endsWith("A")) {
          int n = Integer.parseInt(seq.substring(2, seq.length() - 1));
          for (int k = 0; k < n; k++) {
            line = new StringBuilder(lines.remove(lines.size() - 1));
          }
        } else if (seq.endsWith("J")) {
          line.setLength(0);
        }
        i = end;
      } else if (c == '\r') {
        line.setLength(0);
      } else if (c == '\n') {
        lines.add(line.toString());
        line.setLength(0);
      } else {
        if (line.length() == 80) {
          lines.add(line.toString());
          line.setLength(0);
        }
        line.append(c);
      }
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }

  @Test
  void inlineStylesBecomeAnsi() {
    String out = new MarkdownAnsi(80).render("Use **SQLite** and `code` and *this*", 0);
    assertThat(out).contains(Ansi.BOLD + "SQLite").contains(Ansi.CYAN + "code").contains(Ansi.ITALIC + "this");
    assertThat(Ansi.strip(out)).isEqualTo("Use SQLite and code and this");
  }

  @Test
  void aStreamedAnswerEndsUpRendered() {
    List<String> screen = screen(stream(List.of(ANSWER)));
    assertThat(screen).containsExactly(
      "Postgres or SQLite",
      "",
      "Use SQLite for a single server and Postgres for several (https://example.com).",
      "",
      "• one",
      "  ◦ nested",
      "2. second",
      "",
      "│ quoted",
      "",
      "```python",
      "  def f(x):  # square",
      "      return x * 2",
      "```",
      "",
      " db       │ writes",
      "──────────┼──────────────",
      " SQLite   │ one at a time",
      " Postgres │ many",
      "",
      "Done.");
  }

  @Test
  void tinyDeltasRenderTheSameAsOneBigOne() {
    List<String> pieces = new java.util.ArrayList<>();
    for (int i = 0; i < ANSWER.length(); i += 3) {
      pieces.add(ANSWER.substring(i, Math.min(ANSWER.length(), i + 3)));
    }
    assertThat(screen(stream(pieces))).isEqualTo(screen(stream(List.of(ANSWER))));
  }

  @Test
  void codeIsColouredWhileItStreams() {
    String out = stream(List.of("```java\n", "return \"x\"; // done\n", "```\n"));
    assertThat(out).contains(Ansi.MAGENTA + "return").contains(Ansi.GREEN + "\"x\"").contains(Ansi.DIM + "// done");
  }

  @Test
  void theProgressLineSummarisesThePanel() {
    ProgressState state = new ProgressState();
    state.apply(new io.vertx.core.json.JsonObject().put("stage", "panel").put("total", 3));
    assertThat(state.apply(new io.vertx.core.json.JsonObject().put("stage", "panel_member").put("ok", true)
      .put("completed", 1).put("total", 3))).isEqualTo("querying panel · 1/3 answered");
    assertThat(state.apply(new io.vertx.core.json.JsonObject().put("stage", "panel_member").put("ok", false)
      .put("completed", 2).put("total", 3))).isEqualTo("querying panel · 1/3 answered, 1 failed");
    assertThat(state.apply(new io.vertx.core.json.JsonObject().put("stage", "synthesis"))).isEqualTo("synthesizing…");
    assertThat(state.panelSummary()).isEqualTo("1 answered, 1 failed");
  }
}

package io.openfusion.app.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a streamed Markdown answer on an ANSI terminal, line by line. The line being written is shown raw
 * as its deltas arrive; once it is complete it is erased and printed again rendered (headings, emphasis,
 * lists, code). Code fences are tracked across lines so code is coloured while it streams, and table rows
 * are collected and printed as one aligned table when the table ends.
 */
final class MarkdownStream implements AnswerPrinter {

  private static final Pattern FENCE = Pattern.compile("^(\\s*)(`{3,}|~{3,})\\s*([^`\\s]*).*$");

  private final PrintWriter out;
  private final IntSupplier width;
  private final IntSupplier height;
  private final StringBuilder partial = new StringBuilder();
  private final List<String> table = new ArrayList<>();
  private int echoedColumns;
  private boolean echoFrozen;
  private int tableRows;
  private String fence;
  private String fenceLang;
  private String fenceIndent;
  private boolean lastBlank = true;
  private boolean started;

  MarkdownStream(PrintWriter out, IntSupplier width, IntSupplier height) {
    this.out = out;
    this.width = width;
    this.height = height;
  }

  @Override
  public void append(String delta) {
    if (delta.isEmpty()) {
      return;
    }
    started = true;
    String text = delta.replace("\r\n", "\n").replace('\r', '\n').replace("\t", "    ");
    int from = 0;
    while (from <= text.length()) {
      int nl = text.indexOf('\n', from);
      String piece = nl < 0 ? text.substring(from) : text.substring(from, nl);
      if (!piece.isEmpty()) {
        partial.append(piece);
        echo(piece);
      }
      if (nl < 0) {
        break;
      }
      completeLine();
      from = nl + 1;
    }
    out.flush();
  }

  @Override
  public void finish() {
    if (partial.length() > 0) {
      completeLine();
    }
    flushTable();
    out.flush();
  }

  @Override
  public boolean started() {
    return started;
  }

  /** Shows raw text of the unfinished line, as long as it fits on the screen for erasing later. */
  private void echo(String piece) {
    if (echoFrozen) {
      return;
    }
    int cols = Ansi.width(piece);
    int maxRows = Math.max(1, height.getAsInt() - 2 - tableRows);
    if ((echoedColumns + cols + width() - 1) / width() > maxRows) {
      echoFrozen = true;
      return;
    }
    out.print(piece);
    echoedColumns += cols;
  }

  private void completeLine() {
    String line = partial.toString();
    partial.setLength(0);
    erase(echoedColumns == 0 ? 0 : (echoedColumns - 1) / width());
    echoedColumns = 0;
    echoFrozen = false;
    if (fence == null && isTableRow(line)) {
      table.add(line);
      int rows = Math.max(1, (Ansi.width(line) + width() - 1) / width());
      if (tableRows + rows < height.getAsInt() - 2) {
        out.println(line);
        tableRows += rows;
      }
      return;
    }
    flushTable();
    printLine(line);
  }

  /** Moves up {@code rowsAbove} rows to the start of the region to rewrite, and clears to the end of the screen. */
  private void erase(int rowsAbove) {
    if (rowsAbove > 0) {
      out.print("\033[" + rowsAbove + "A");
    }
    out.print("\r\033[J");
  }

  private void printLine(String line) {
    Matcher fenceMatch = FENCE.matcher(line);
    if (fence != null) {
      String trimmed = line.strip();
      if (trimmed.startsWith(fence) && trimmed.chars().allMatch(c -> c == fence.charAt(0))) {
        fence = null;
        out.println(Ansi.DIM + line + "\033[22m");
      } else {
        String code = line.startsWith(fenceIndent) ? line.substring(fenceIndent.length()) : line.stripLeading();
        out.println(fenceIndent + "  " + CodeHighlighter.line(fenceLang, code));
      }
      lastBlank = false;
      return;
    }
    if (fenceMatch.matches()) {
      fenceIndent = fenceMatch.group(1);
      fence = fenceMatch.group(2);
      fenceLang = fenceMatch.group(3);
      out.println(Ansi.DIM + line + "\033[22m");
      lastBlank = false;
      return;
    }
    if (line.isBlank()) {
      if (!lastBlank) {
        out.println();
      }
      lastBlank = true;
      return;
    }
    lastBlank = false;
    int indent = 0;
    while (indent < line.length() && line.charAt(indent) == ' ') {
      indent++;
    }
    String pad = " ".repeat(indent);
    String rendered = new MarkdownAnsi(width()).render(line.substring(indent), indent / 2);
    if (Ansi.strip(rendered).isBlank()) {
      rendered = line.substring(indent);
    }
    out.println(pad + rendered.replace("\n", "\n" + pad) + Ansi.RESET);
  }

  private static boolean isTableRow(String line) {
    String t = line.strip();
    return t.length() > 1 && t.startsWith("|") && t.indexOf('|', 1) > 0;
  }

  /** Prints the collected table aligned, in place of its raw rows. */
  private void flushTable() {
    if (table.isEmpty()) {
      return;
    }
    int rows = tableRows;
    List<String> lines = new ArrayList<>(table);
    table.clear();
    tableRows = 0;
    erase(rows);
    out.print("\r");
    MarkdownAnsi md = new MarkdownAnsi(width());
    List<List<String>> cells = new ArrayList<>();
    int separator = -1;
    for (String line : lines) {
      List<String> row = split(line);
      if (separator < 0 && row.stream().allMatch(c -> c.strip().matches(":?-{1,}:?"))) {
        separator = cells.size();
        continue;
      }
      cells.add(row.stream().map(c -> md.inline(c.strip())).toList());
    }
    int columns = cells.stream().mapToInt(List::size).max().orElse(0);
    int[] widths = new int[columns];
    for (List<String> row : cells) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], Ansi.width(row.get(i)));
      }
    }
    int total = 0;
    for (int w : widths) {
      total += w + 3;
    }
    if (total > width()) {
      for (String line : lines) {
        out.println(md.inline(line.strip()) + Ansi.RESET);
      }
      lastBlank = false;
      return;
    }
    String bar = Ansi.DIM + " │ " + "\033[22m";
    for (int r = 0; r < cells.size(); r++) {
      List<String> row = cells.get(r);
      StringBuilder text = new StringBuilder(" ");
      for (int i = 0; i < columns; i++) {
        String cell = i < row.size() ? row.get(i) : "";
        if (i > 0) {
          text.append(bar);
        }
        boolean header = r == 0 && separator == 1;
        text.append(header ? Ansi.BOLD + cell + Ansi.RESET : cell).append(" ".repeat(widths[i] - Ansi.width(cell)));
      }
      out.println(text.toString().stripTrailing());
      if (r == 0 && separator == 1) {
        StringBuilder rule = new StringBuilder(Ansi.DIM + "─");
        for (int i = 0; i < columns; i++) {
          rule.append(i > 0 ? "─┼─" : "").append("─".repeat(widths[i]));
        }
        out.println(rule.append("\033[22m"));
      }
    }
    lastBlank = false;
  }

  private static List<String> split(String line) {
    String t = line.strip();
    if (t.startsWith("|")) {
      t = t.substring(1);
    }
    if (t.endsWith("|") && !t.endsWith("\\|")) {
      t = t.substring(0, t.length() - 1);
    }
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c == '\\' && i + 1 < t.length() && t.charAt(i + 1) == '|') {
        cell.append('|');
        i++;
      } else if (c == '|') {
        cells.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    cells.add(cell.toString());
    return cells;
  }

  private int width() {
    return Math.max(20, width.getAsInt());
  }
}

package io.openfusion.app.cli;

import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Renders Markdown (parsed by commonmark) as ANSI-styled terminal text: bold and underlined headings, bold,
 * italics, inline code, links with their target, bullet and numbered lists, quotes, rules and coloured code
 * blocks. Streaming feeds it one line at a time ({@link MarkdownStream}); whole documents work too.
 */
final class MarkdownAnsi {

  private static final Parser PARSER = Parser.builder().build();
  private static final String[] BULLETS = {"•", "◦", "▪"};

  private final int width;

  MarkdownAnsi(int width) {
    this.width = Math.max(20, width);
  }

  /** Renders a Markdown text; the result has no trailing newline. */
  String render(String markdown, int nesting) {
    Node document = PARSER.parse(markdown);
    StringBuilder out = new StringBuilder();
    Writer writer = new Writer(out, nesting);
    for (Node block = document.getFirstChild(); block != null; block = block.getNext()) {
      if (out.length() > 0) {
        out.append('\n');
      }
      writer.block(block, "");
    }
    return out.toString();
  }

  /** Renders only the inline content of {@code markdown} (table cells). */
  String inline(String markdown) {
    Node document = PARSER.parse(markdown);
    StringBuilder out = new StringBuilder();
    Writer writer = new Writer(out, 0);
    for (Node block = document.getFirstChild(); block != null; block = block.getNext()) {
      writer.children(block, "");
    }
    return out.toString();
  }

  private final class Writer {

    private final StringBuilder out;
    private final int nesting;
    private final Deque<String> styles = new ArrayDeque<>();

    Writer(StringBuilder out, int nesting) {
      this.out = out;
      this.nesting = nesting;
    }

    void block(Node node, String prefix) {
      if (node instanceof Heading heading) {
        String style = switch (heading.getLevel()) {
          case 1 -> Ansi.BOLD + Ansi.UNDERLINE + Ansi.MAGENTA;
          case 2 -> Ansi.BOLD + Ansi.MAGENTA;
          default -> Ansi.BOLD;
        };
        styled(style, () -> children(heading, prefix));
      } else if (node instanceof Paragraph) {
        children(node, prefix);
      } else if (node instanceof BulletList list) {
        items(list, prefix, null);
      } else if (node instanceof OrderedList list) {
        Integer start = list.getMarkerStartNumber();
        items(list, prefix, start == null ? 1 : start);
      } else if (node instanceof BlockQuote quote) {
        String bar = Ansi.DIM + "│ " + "\033[22m";
        out.append(bar);
        int n = 0;
        for (Node child = quote.getFirstChild(); child != null; child = child.getNext()) {
          if (n++ > 0) {
            out.append('\n').append(prefix).append(bar);
          }
          Node inner = child;
          styled(Ansi.ITALIC, () -> block(inner, prefix + bar));
        }
      } else if (node instanceof ThematicBreak) {
        out.append(Ansi.DIM).append("─".repeat(Math.min(width, 60))).append("\033[22m");
      } else if (node instanceof FencedCodeBlock code) {
        codeLines(code.getInfo(), code.getLiteral(), prefix);
      } else if (node instanceof IndentedCodeBlock code) {
        codeLines("", code.getLiteral(), prefix);
      } else if (node instanceof HtmlBlock html) {
        out.append(stripNewline(html.getLiteral()));
      } else {
        children(node, prefix);
      }
    }

    private void items(Node list, String prefix, Integer number) {
      int n = 0;
      for (Node item = list.getFirstChild(); item != null; item = item.getNext()) {
        if (n > 0) {
          out.append('\n').append(prefix);
        }
        String marker = number == null ? BULLETS[nesting % BULLETS.length] : (number + n) + ".";
        out.append(Ansi.CYAN).append(marker).append("\033[39m ");
        String hanging = prefix + " ".repeat(Ansi.width(marker) + 1);
        int blocks = 0;
        for (Node child = item.getFirstChild(); child != null; child = child.getNext()) {
          if (blocks++ > 0) {
            out.append('\n').append(hanging);
          }
          block(child, hanging);
        }
        n++;
      }
    }

    private void codeLines(String info, String literal, String prefix) {
      String lang = info == null ? "" : info.strip().split("\\s+")[0];
      String[] lines = stripNewline(literal).split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        if (i > 0) {
          out.append('\n').append(prefix);
        }
        out.append("  ").append(CodeHighlighter.line(lang, lines[i]));
      }
    }

    void children(Node parent, String prefix) {
      for (Node node = parent.getFirstChild(); node != null; node = node.getNext()) {
        inlineNode(node, prefix);
      }
    }

    private void inlineNode(Node node, String prefix) {
      if (node instanceof Text text) {
        out.append(text.getLiteral());
      } else if (node instanceof Code code) {
        styled(Ansi.CYAN, () -> out.append(code.getLiteral()));
      } else if (node instanceof Emphasis) {
        styled(Ansi.ITALIC, () -> children(node, prefix));
      } else if (node instanceof StrongEmphasis) {
        styled(Ansi.BOLD, () -> children(node, prefix));
      } else if (node instanceof Link link) {
        int start = out.length();
        styled(Ansi.UNDERLINE + Ansi.BLUE, () -> children(link, prefix));
        String label = Ansi.strip(out.substring(start));
        String target = link.getDestination();
        if (target != null && !target.isEmpty() && !target.equals(label) && !("mailto:" + label).equals(target)) {
          styled(Ansi.DIM, () -> out.append(" (").append(target).append(')'));
        }
      } else if (node instanceof Image image) {
        out.append("[image");
        if (image.getFirstChild() != null) {
          out.append(": ");
          children(image, prefix);
        }
        out.append(']');
      } else if (node instanceof SoftLineBreak) {
        out.append('\n').append(prefix);
      } else if (node instanceof HardLineBreak) {
        out.append('\n').append(prefix);
      } else if (node instanceof HtmlInline html) {
        out.append(html.getLiteral());
      } else if (node instanceof ListItem || node instanceof Paragraph) {
        children(node, prefix);
      } else {
        block(node, prefix);
      }
    }

    /** Applies a style around {@code body}, restoring the enclosing styles afterwards. */
    private void styled(String style, Runnable body) {
      styles.push(style);
      out.append(style);
      body.run();
      styles.pop();
      out.append(Ansi.RESET);
      styles.descendingIterator().forEachRemaining(out::append);
    }
  }

  private static String stripNewline(String text) {
    return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
  }
}

package io.openfusion.app.cli;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deliberately simple syntax colouring for one line of a fenced code block: comments, strings, numbers and
 * the keywords of common languages. It works line by line so code can be coloured while it streams.
 */
final class CodeHighlighter {

  private static final Set<String> HASH_COMMENTS = Set.of("python", "py", "sh", "bash", "shell", "zsh", "console",
    "yaml", "yml", "ruby", "rb", "toml", "perl", "r", "dockerfile", "makefile", "make", "ini", "conf", "properties",
    "powershell", "ps1", "nix", "elixir", "ex");
  private static final Set<String> DASH_COMMENTS = Set.of("sql", "lua", "haskell", "hs", "elm", "ada");
  private static final Set<String> KEYWORDS = Set.of(
    "abstract", "and", "as", "async", "await", "break", "case", "catch", "class", "const", "continue", "def", "default",
    "defer", "del", "do", "elif", "else", "enum", "except", "export", "extends", "false", "final", "finally", "fn", "for",
    "from", "func", "function", "go", "if", "impl", "implements", "import", "in", "interface", "is", "lambda", "let",
    "loop", "match", "mod", "mut", "new", "nil", "None", "not", "null", "or", "package", "pass", "private", "protected",
    "pub", "public", "raise", "record", "return", "self", "static", "struct", "super", "switch", "this", "throw",
    "throws", "trait", "True", "False", "true", "try", "type", "typeof", "use", "val", "var", "void", "while", "with",
    "yield", "select", "where", "insert", "update", "delete", "create", "table", "into", "values", "join", "on",
    "group", "by", "order", "limit", "then", "fi", "done", "esac", "echo", "local", "int", "long", "double",
    "float", "boolean", "bool", "char", "string", "String");

  private static final Pattern TOKENS = Pattern.compile(
    "(?<string>\"(?:[^\"\\\\]|\\\\.)*\"?|'(?:[^'\\\\]|\\\\.)*'?|`[^`]*`?)"
      + "|(?<number>\\b\\d+(?:\\.\\d+)?\\b)"
      + "|(?<word>[A-Za-z_][A-Za-z0-9_]*)");

  private CodeHighlighter() {
  }

  static String line(String language, String code) {
    String lang = language == null ? "" : language.toLowerCase(Locale.ROOT);
    int comment = commentStart(lang, code);
    String body = comment >= 0 ? code.substring(0, comment) : code;
    StringBuilder out = new StringBuilder();
    Matcher m = TOKENS.matcher(body);
    int last = 0;
    while (m.find()) {
      out.append(body, last, m.start());
      if (m.group("string") != null) {
        out.append(Ansi.GREEN).append(m.group()).append("\033[39m");
      } else if (m.group("number") != null) {
        out.append(Ansi.YELLOW).append(m.group()).append("\033[39m");
      } else if (KEYWORDS.contains(m.group())) {
        out.append(Ansi.MAGENTA).append(m.group()).append("\033[39m");
      } else {
        out.append(m.group());
      }
      last = m.end();
    }
    out.append(body.substring(last));
    if (comment >= 0) {
      out.append(Ansi.DIM).append(code.substring(comment)).append("\033[22m");
    }
    return out.toString();
  }

  /** Where a line comment starts, outside string literals, or -1. */
  private static int commentStart(String lang, String code) {
    boolean hash = HASH_COMMENTS.contains(lang) || lang.isEmpty();
    boolean dash = DASH_COMMENTS.contains(lang);
    boolean slash = !HASH_COMMENTS.contains(lang) && !DASH_COMMENTS.contains(lang);
    char quote = 0;
    for (int i = 0; i < code.length(); i++) {
      char c = code.charAt(i);
      if (quote != 0) {
        if (c == '\\') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
        continue;
      }
      if (c == '"' || c == '\'' || c == '`') {
        quote = c;
      } else if (slash && c == '/' && i + 1 < code.length() && code.charAt(i + 1) == '/') {
        return i;
      } else if (dash && c == '-' && i + 1 < code.length() && code.charAt(i + 1) == '-') {
        return i;
      } else if (hash && c == '#' && (i == 0 || Character.isWhitespace(code.charAt(i - 1)))) {
        return i;
      }
    }
    return -1;
  }
}

package io.openfusion.bench.quality;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Answer checks: text is normalised (NFKC, trimmed, trailing whitespace and {@code .,;:!?} stripped, whitespace
 * collapsed, lower-cased) before {@code exact} equality or {@code contains} containment; {@code numeric} compares the
 * last number of each side (with {@code $} and thousands separators removed) within 1e-6. {@code judge} asks a grader
 * model for a yes/no against the reference and {@code rubric} asks it which weighted criteria the answer meets (see
 * {@link Rubric}); both are handled by the harness, not here. {@code none} marks an open prompt without a reference,
 * which only pairwise judging compares.
 */
public final class Scoring {

  /** How an answer is compared with the reference. */
  public enum Method {
    EXACT, CONTAINS, NUMERIC, JUDGE, RUBRIC, NONE;

    public static Method parse(String s) {
      if (s == null || s.isBlank()) {
        return EXACT;
      }
      return switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "exact" -> EXACT;
        case "contains" -> CONTAINS;
        case "numeric" -> NUMERIC;
        case "judge" -> JUDGE;
        case "rubric" -> RUBRIC;
        case "none" -> NONE;
        default -> throw new IllegalArgumentException("scoring must be exact, contains, numeric, judge, rubric or none, got \""
          + s + "\"");
      };
    }

    /** Right or wrong against a reference answer. */
    public boolean hasReference() {
      return this == EXACT || this == CONTAINS || this == NUMERIC || this == JUDGE;
    }

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private static final Pattern TRAILING = Pattern.compile("[\\s.,;:!?]+$");
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final Pattern NUMBER = Pattern.compile("-?\\$?\\d[\\d,]*(?:\\.\\d+)?");

  private Scoring() {
  }

  public static String normalize(String text) {
    if (text == null) {
      return "";
    }
    String s = Normalizer.normalize(text, Normalizer.Form.NFKC).strip();
    s = TRAILING.matcher(s).replaceAll("");
    s = SPACES.matcher(s).replaceAll(" ");
    return s.toLowerCase(Locale.ROOT);
  }

  /** The last number in the text as a double, or null when there is none. */
  public static Double lastNumber(String text) {
    if (text == null) {
      return null;
    }
    Matcher m = NUMBER.matcher(Normalizer.normalize(text, Normalizer.Form.NFKC));
    String last = null;
    while (m.find()) {
      last = m.group();
    }
    if (last == null) {
      return null;
    }
    try {
      return Double.parseDouble(last.replace("$", "").replace(",", ""));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * @throws IllegalArgumentException for {@link Method#JUDGE} and {@link Method#RUBRIC}, which need a grader call, and
   *                                  for {@link Method#NONE}, which has nothing to compare with
   */
  public static boolean score(Method method, String answer, String expected) {
    return switch (method) {
      case EXACT -> normalize(answer).equals(normalize(expected));
      case CONTAINS -> normalize(answer).contains(normalize(expected));
      case NUMERIC -> {
        Double a = lastNumber(answer);
        Double e = lastNumber(expected);
        yield a != null && e != null && Math.abs(a - e) < 1e-6;
      }
      case JUDGE, RUBRIC -> throw new IllegalArgumentException(method.wire() + " scoring needs a grader call");
      case NONE -> throw new IllegalArgumentException("an open prompt has no reference to score against");
    };
  }
}

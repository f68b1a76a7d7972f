package io.openfusion.bench.quality;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Blind pairwise judging: which answer goes in position A (decided by the MD5 of the task id, so about half the
 * tasks put each side first and a rerun puts them in the same place), the judge prompt, and verdict parsing (a
 * standalone {@code TIE} is a tie; otherwise whichever of a standalone {@code A} or {@code B} comes first; otherwise
 * unparsed).
 */
public final class Pairwise {

  /** A judge's verdict, already mapped back from positions to sides. */
  public enum Verdict { FIRST, SECOND, TIE, UNPARSED }

  /** What the judge said, by position. */
  public enum Position { A, B, TIE, UNPARSED }

  private static final Pattern TIE = Pattern.compile("\\bTIE\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern A_OR_B = Pattern.compile("\\b([AB])\\b");

  static final String SYSTEM = "You are an impartial judge comparing two answers to the same question. Judge correctness "
    + "first, then completeness and usefulness. Do NOT reward length. Reply with exactly one of: A, B, TIE.";

  private Pairwise() {
  }

  /** {@code true} when the first side of the comparison is shown as answer A for this task. */
  public static boolean firstIsA(String taskId) {
    try {
      byte[] md5 = MessageDigest.getInstance("MD5").digest(taskId.getBytes(StandardCharsets.UTF_8));
      return (md5[md5.length - 1] & 1) == 0;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String userPrompt(String question, String answerA, String answerB) {
    return "Question:\n" + question + "\n\nAnswer A:\n" + answerA + "\n\nAnswer B:\n" + answerB
      + "\n\nWhich answer is better? Reply with exactly one of: A, B, TIE.";
  }

  public static Position parse(String reply) {
    if (reply == null) {
      return Position.UNPARSED;
    }
    if (TIE.matcher(reply).find()) {
      return Position.TIE;
    }
    Matcher m = A_OR_B.matcher(reply);
    if (m.find()) {
      return m.group(1).equals("A") ? Position.A : Position.B;
    }
    return Position.UNPARSED;
  }

  public static Verdict toSides(Position p, boolean firstIsA) {
    return switch (p) {
      case A -> firstIsA ? Verdict.FIRST : Verdict.SECOND;
      case B -> firstIsA ? Verdict.SECOND : Verdict.FIRST;
      case TIE -> Verdict.TIE;
      case UNPARSED -> Verdict.UNPARSED;
    };
  }
}

package io.openfusion.bench.quality;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Blind pairwise judging. The judge sees the question and two answers labelled A and B, never which mode wrote them,
 * and replies A, B or TIE (a standalone {@code TIE} is a tie; otherwise whichever of a standalone {@code A} or
 * {@code B} comes first; otherwise unparsed).
 *
 * <p>By default every task is judged in both orders (first side as A, then as B), so a judge that favours a position
 * cannot move the result: a side wins the task only when it wins in one order and does not lose in the other; a win
 * in each order for opposite sides is a tie, counted as position-inconsistent. With one order
 * ({@code --pairwise-orders 1}, half the judge cost) the first side is shown as A on the tasks whose id hashes even
 * (MD5), so about half the tasks put each side first and a rerun puts them in the same place.
 */
public final class Pairwise {

  /** A verdict mapped back from positions to sides. */
  public enum Verdict { FIRST, SECOND, TIE, UNPARSED }

  /** What the judge said, by position. */
  public enum Position { A, B, TIE, UNPARSED }

  private static final Pattern TIE = Pattern.compile("\\bTIE\\b", Pattern.CASE_INSENSITIVE);
  private static final Pattern A_OR_B = Pattern.compile("\\b([AB])\\b");

  static final String SYSTEM = "You are an impartial judge comparing two answers to the same question. Judge correctness "
    + "first, then completeness and usefulness. Do NOT reward length, and do not let the order of the answers influence "
    + "you. Reply with exactly one of: A, B, TIE.";

  private Pairwise() {
  }

  /** {@code true} when the first side is shown as answer A for this task (single-order judging). */
  public static boolean firstIsA(String taskId) {
    try {
      byte[] md5 = MessageDigest.getInstance("MD5").digest(taskId.getBytes(StandardCharsets.UTF_8));
      return (md5[md5.length - 1] & 1) == 0;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The orders a task is judged in: {@code true} = the first side shown as A. */
  public static List<Boolean> orders(String taskId, int orders) {
    return orders >= 2 ? List.of(true, false) : List.of(firstIsA(taskId));
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

  /**
   * One task's verdict from its orders: unparsed if any order is; a side when no order went to the other side and at
   * least one went to it; otherwise a tie (including the position-inconsistent case, see {@link #inconsistent}).
   */
  public static Verdict combine(List<Verdict> perOrder) {
    if (perOrder.isEmpty() || perOrder.contains(Verdict.UNPARSED)) {
      return Verdict.UNPARSED;
    }
    boolean first = perOrder.contains(Verdict.FIRST);
    boolean second = perOrder.contains(Verdict.SECOND);
    if (first && !second) {
      return Verdict.FIRST;
    }
    if (second && !first) {
      return Verdict.SECOND;
    }
    return Verdict.TIE;
  }

  /** True when the orders gave the task to opposite sides: the judge followed the position, not the answers. */
  public static boolean inconsistent(List<Verdict> perOrder) {
    return perOrder.contains(Verdict.FIRST) && perOrder.contains(Verdict.SECOND);
  }
}

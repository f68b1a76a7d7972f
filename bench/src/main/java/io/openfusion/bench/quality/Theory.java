package io.openfusion.bench.quality;

/**
 * What the offline check should measure. Members are right independently with probability {@code p}; a wrong
 * answer is either one value all wrong members share (then a vote is a binary majority) or a value of the member's
 * own (then one correct vote beats every single wrong one, ties going to the first member).
 */
public final class Theory {

  private Theory() {
  }

  public static double binomialPmf(int n, int k, double p) {
    double c = 1;
    for (int i = 1; i <= k; i++) {
      c = c * (n - k + i) / i;
    }
    return c * Math.pow(p, k) * Math.pow(1 - p, n - k);
  }

  /** P(the most common answer is the correct one) with n members at accuracy p. */
  public static double vote(int n, double p, SimUpstream.Wrong wrong) {
    double total = 0;
    for (int k = 0; k <= n; k++) {
      double pk = binomialPmf(n, k, p);
      if (wrong == SimUpstream.Wrong.SHARED) {
        if (2 * k > n) {
          total += pk;
        } else if (2 * k == n) {
          total += pk / 2; // a tie goes to the first member, who is right half the time
        }
      } else {
        if (k >= 2) {
          total += pk;
        } else if (k == 1) {
          total += n == 1 ? pk : pk / n; // every answer has one vote: the first member decides
        }
      }
    }
    return total;
  }

  /**
   * Expected pairwise win rate (over decided tasks) of a fused answer against the solo model, when the pairwise judge
   * prefers the correct answer and calls a tie otherwise.
   *
   * @param soloIsMember true when the solo answer is the same draw as one panel member's (the first member is the
   *                     solo model with the same request), false when it is an independent draw (self-fusion seeds)
   */
  public static double winRateAgainstSolo(int n, double p, SimUpstream.Wrong wrong, boolean soloIsMember) {
    double fusedOnlyRight;
    double soloOnlyRight;
    if (soloIsMember) {
      // the solo draw is member 1; the other n-1 members decide the rest
      double others1 = 0; // P(fused right | member 1 wrong)
      double others0 = 0; // P(fused wrong | member 1 right)
      for (int k = 0; k <= n - 1; k++) {
        double pk = binomialPmf(n - 1, k, p);
        others1 += pk * fusedRight(n, k, false, wrong);
        others0 += pk * (1 - fusedRight(n, k + 1, true, wrong));
      }
      fusedOnlyRight = (1 - p) * others1;
      soloOnlyRight = p * others0;
    } else {
      double v = vote(n, p, wrong);
      fusedOnlyRight = v * (1 - p);
      soloOnlyRight = (1 - v) * p;
    }
    double decided = fusedOnlyRight + soloOnlyRight;
    return decided == 0 ? 0.5 : fusedOnlyRight / decided;
  }

  /** P(fused answer right | k of n right, and whether the first member is right). */
  private static double fusedRight(int n, int k, boolean firstRight, SimUpstream.Wrong wrong) {
    if (wrong == SimUpstream.Wrong.SHARED) {
      if (2 * k > n) {
        return 1;
      }
      return 2 * k == n ? (firstRight ? 1 : 0) : 0;
    }
    if (k >= 2) {
      return 1;
    }
    return k == 1 && firstRight ? 1 : 0;
  }

  /**
   * The expected rubric score over {@code tasks} when an answer is the synthesis of {@code n} simulated members, each
   * making every positive point with probability {@code p} and every mistake with probability {@code 1 - p},
   * independently: the synthesis keeps a point when any member made it and a mistake when most members made it. With
   * {@code n = 1} that is one member's answer. Exact, by enumerating which criteria are met (rubrics of up to 20
   * criteria).
   */
  public static double rubricMean(java.util.List<Task> tasks, double p, int n) {
    double pPoint = 1 - Math.pow(1 - p, n);
    double pMistake = 0;
    for (int k = 0; k <= n; k++) {
      if (2 * k > n) {
        pMistake += binomialPmf(n, k, 1 - p);
      }
    }
    double total = 0;
    for (Task t : tasks) {
      java.util.List<RubricItem> items = t.rubric();
      int m = items.size();
      if (m > 20) {
        throw new IllegalArgumentException("rubricMean enumerates criteria; " + m + " is too many");
      }
      double expected = 0;
      for (int mask = 0; mask < (1 << m); mask++) {
        double prob = 1;
        boolean[] met = new boolean[m];
        for (int i = 0; i < m; i++) {
          met[i] = (mask & (1 << i)) != 0;
          double q = items.get(i).weight() > 0 ? pPoint : pMistake;
          prob *= met[i] ? q : 1 - q;
        }
        expected += prob * Rubric.score(items, met);
      }
      total += expected;
    }
    return total / tasks.size();
  }

  /**
   * Expected pairwise win rate (over decided tasks) of a member covering each of {@code points} points with
   * probability {@code p1} against an independent one with {@code p2}, when the judge prefers the answer with more
   * points and calls equal counts a tie.
   */
  public static double pointsWinRate(int points, double p1, double p2) {
    double win = 0;
    double loss = 0;
    for (int x = 0; x <= points; x++) {
      for (int y = 0; y <= points; y++) {
        double pr = binomialPmf(points, x, p1) * binomialPmf(points, y, p2);
        if (x > y) {
          win += pr;
        } else if (x < y) {
          loss += pr;
        }
      }
    }
    return win / (win + loss);
  }
}

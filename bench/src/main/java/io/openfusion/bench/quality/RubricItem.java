package io.openfusion.bench.quality;

import java.util.Objects;

/**
 * One criterion of a rubric. A negative weight marks a mistake: when the grader finds it in the answer, the weight is
 * subtracted.
 *
 * @param criterion what the grader checks
 * @param weight    points when met (negative: a penalty)
 * @param section   the rubric axis it belongs to (e.g. factual accuracy, citations), or null
 */
public record RubricItem(String criterion, double weight, String section) {

  public RubricItem {
    Objects.requireNonNull(criterion, "criterion");
    if (criterion.isBlank()) {
      throw new IllegalArgumentException("a rubric criterion needs text");
    }
    if (!Double.isFinite(weight)) {
      throw new IllegalArgumentException("rubric weight must be a finite number, got " + weight);
    }
  }
}

package io.openfusion.bench.quality;

import java.util.List;
import java.util.Objects;

/**
 * One benchmark question.
 *
 * @param id      unique within its set; also decides the A/B position in single-order pairwise judging
 * @param prompt  sent as the user message
 * @param answer  the reference answer ({@code ""} for rubric tasks and open prompts)
 * @param scoring how an answer is checked: against the reference, against the rubric, or not at all (open prompts,
 *                compared pairwise only)
 * @param rubric  weighted criteria a grader model checks ({@link Scoring.Method#RUBRIC} only, else empty)
 * @param domain  a label the report groups rubric scores by, or null
 */
public record Task(String id, String prompt, String answer, Scoring.Method scoring, List<RubricItem> rubric, String domain) {

  public Task {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(prompt, "prompt");
    answer = answer == null ? "" : answer;
    rubric = rubric == null ? List.of() : List.copyOf(rubric);
    scoring = scoring == null ? (rubric.isEmpty() ? Scoring.Method.EXACT : Scoring.Method.RUBRIC) : scoring;
    if (scoring == Scoring.Method.RUBRIC && rubric.stream().noneMatch(i -> i.weight() > 0)) {
      throw new IllegalArgumentException("task " + id + ": a rubric needs at least one criterion with a positive weight");
    }
  }

  /** A task checked against a reference answer. */
  public Task(String id, String prompt, String answer, Scoring.Method scoring) {
    this(id, prompt, answer, scoring, List.of(), null);
  }

  /** Right or wrong against a reference answer (exact, contains, numeric or a grader's yes/no). */
  public boolean hasReference() {
    return scoring.hasReference();
  }

  public boolean isRubric() {
    return scoring == Scoring.Method.RUBRIC;
  }

  /** No reference and no rubric: only a pairwise judge can say which answer is better. */
  public boolean isOpen() {
    return scoring == Scoring.Method.NONE;
  }
}

package io.openfusion.bench.quality;

import java.util.Objects;

/**
 * One benchmark question.
 *
 * @param id      unique within its set; also decides the A/B position in pairwise judging
 * @param prompt  sent as the user message
 * @param answer  the reference answer
 * @param scoring how an answer is checked against the reference
 */
public record Task(String id, String prompt, String answer, Scoring.Method scoring) {

  public Task {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(prompt, "prompt");
    answer = answer == null ? "" : answer;
    scoring = scoring == null ? Scoring.Method.EXACT : scoring;
  }
}

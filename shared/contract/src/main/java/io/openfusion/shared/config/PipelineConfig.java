package io.openfusion.shared.config;

import java.util.List;

/**
 * Settings for {@link Strategy#PIPELINE}.
 *
 * @param steps the steps, run in order
 */
public record PipelineConfig(List<PipelineStep> steps) {

  public PipelineConfig {
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  public static PipelineConfig empty() {
    return new PipelineConfig(List.of());
  }
}

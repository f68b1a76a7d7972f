package io.openfusion.shared.config;

/**
 * One step of {@link Strategy#PIPELINE}.
 *
 * @param name   step name, referenced by later steps as {@code {name}}
 * @param use    {@link #SOLO} (one model) or {@link #FUSE} (panel + aggregator)
 * @param model  model id for a solo step, null for the pass-through model
 * @param system system prompt for this step, null for none
 */
public record PipelineStep(String name, String use, String model, String system) {

  public static final String SOLO = "solo";
  public static final String FUSE = "fuse";

  public PipelineStep {
    use = use == null ? SOLO : use;
  }

  /** @return true for a panel + aggregator step */
  public boolean isFuse() {
    return FUSE.equals(use);
  }
}

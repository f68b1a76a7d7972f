package io.openfusion.shared.config;

/**
 * Per-node caps on the upstream calls a node's workers run at once. YAML:
 * {@code workers: {panel_max_concurrency: 32, judge_max_concurrency: 16}}.
 *
 * <p>A call that arrives while its node is at the cap waits on that node, first come first served,
 * until a running call ends, its deadline passes or its client goes away. Calls are spread over every
 * node serving the role, so the cluster runs up to {@code nodes × cap} calls of a kind at once and a
 * node added to the cluster adds its cap.
 *
 * @param panelMaxConcurrency upstream calls the panel workers of one node run at once (members, debate
 *                            revisions, ranker, pipeline steps); 0 = no cap
 * @param judgeMaxConcurrency syntheses the judge workers of one node run at once; 0 = no cap
 */
public record WorkersConfig(int panelMaxConcurrency, int judgeMaxConcurrency) {

  public static WorkersConfig unlimited() {
    return new WorkersConfig(0, 0);
  }
}

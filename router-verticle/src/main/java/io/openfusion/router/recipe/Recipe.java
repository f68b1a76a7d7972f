package io.openfusion.router.recipe;

import io.openfusion.shared.bus.UpstreamRef;
import io.openfusion.shared.config.Aggregator;
import io.openfusion.shared.config.CostControls;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.ToolsConfig;

import java.util.List;

/**
 * The recipe one request runs: the server's config with the client's override applied.
 *
 * @param judge null when no judge is configured
 */
public record Recipe(Strategy strategy, Aggregator aggregator, List<PlannedMember> members, UpstreamRef judge,
                     boolean exposePanel, boolean emitAnalysis, CostControls ceilings, ToolsConfig tools) {

  public List<String> memberModels() {
    return members.stream().map(m -> m.ref().model()).toList();
  }
}

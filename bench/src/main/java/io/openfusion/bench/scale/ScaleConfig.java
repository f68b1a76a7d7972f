package io.openfusion.bench.scale;

import io.openfusion.bench.common.FakeRecipe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The one config file every node loads: 3 members + judge on the fake upstream, the panel cap, the cluster block. */
final class ScaleConfig {

  static final String FUSION_MODEL = FakeRecipe.FUSION_MODEL;

  private ScaleConfig() {
  }

  static String yaml(String upstreamBaseUrl, int panelCap, String clusterName, int clusterPort) {
    StringBuilder y = FakeRecipe.yaml("the scale harness (the panel cap is per node, the judge is uncapped)",
      upstreamBaseUrl, ScaleOptions.MEMBERS, null);
    // generous deadlines: with one node, calls wait for a panel slot for several seconds by design
    y.append("timeouts: {member_seconds: 60, judge_seconds: 60, total_seconds: 120, first_token_seconds: 60, idle_seconds: 60}\n");
    y.append("workers: {panel_max_concurrency: ").append(panelCap).append(", judge_max_concurrency: 0}\n");
    y.append("server: {host: 127.0.0.1}\n");
    y.append("cluster: {name: ").append(clusterName).append(", members: [\"127.0.0.1\"], port: ").append(clusterPort)
      .append(", host: 127.0.0.1}\n");
    return y.toString();
  }

  static Path write(Path dir, String yaml) throws IOException {
    Path file = dir.resolve("cluster.yaml");
    Files.writeString(file, yaml);
    return file;
  }
}

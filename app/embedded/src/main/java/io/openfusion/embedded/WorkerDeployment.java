package io.openfusion.embedded;

import io.openfusion.judge.JudgeVerticle;
import io.openfusion.panel.PanelVerticle;
import io.openfusion.router.RouterShared;
import io.openfusion.router.RouterVerticle;
import io.openfusion.shared.calls.CallSlots;
import io.openfusion.shared.cluster.ClusterView;
import io.openfusion.shared.config.Recipes;
import io.openfusion.shared.config.WorkersConfig;
import io.openfusion.shared.telemetry.Telemetry;
import io.openfusion.shared.usage.UsageSink;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;

/**
 * Deploys the router, panel and judge verticles into the host's Vert.x instance, the same way a node does, with the
 * named recipes and the usage sink. They only talk over the event bus; the api part runs in the host's own HTTP
 * server, mounted on its router.
 */
final class WorkerDeployment {

  private WorkerDeployment() {
  }

  /** @return the deployment ids, to undeploy on close; on a failure, whatever was deployed is undeployed again */
  static Future<List<String>> deploy(Vertx vertx, Recipes recipes, int instances, String metricsRegistry,
                                     UsageSink usage) {
    ClusterView cluster = ClusterView.of(vertx);
    Telemetry telemetry = metricsRegistry == null ? Telemetry.withoutMetrics()
      : Telemetry.forRegistry(metricsRegistry, cluster.nodeId());
    WorkersConfig workers = recipes.base().workers();
    CallSlots panelSlots = new CallSlots("panel", "workers.panel_max_concurrency", workers.panelMaxConcurrency());
    CallSlots judgeSlots = new CallSlots("judge", "workers.judge_max_concurrency", workers.judgeMaxConcurrency());
    RouterShared shared = RouterShared.create(vertx, recipes.base());
    DeploymentOptions options = new DeploymentOptions().setInstances(instances);
    List<Future<String>> deployments = new ArrayList<>();
    deployments.add(vertx.deployVerticle(() -> new PanelVerticle(recipes, telemetry, panelSlots), options));
    deployments.add(vertx.deployVerticle(() -> new JudgeVerticle(recipes, telemetry, judgeSlots), options));
    deployments.add(vertx.deployVerticle(() -> new RouterVerticle(recipes, shared, telemetry, usage), options));
    return Future.join(deployments)
      .compose(all -> cluster.announce(List.of("api", "router", "panel", "judge"))
        .map(announced -> deployments.stream().map(Future::result).toList()))
      .recover(failure -> undeploy(vertx, deployments).transform(undone -> Future.failedFuture(failure)));
  }

  static Future<Void> undeploy(Vertx vertx, List<Future<String>> deployments) {
    List<Future<Void>> undone = deployments.stream().filter(Future::succeeded)
      .map(deployed -> vertx.undeploy(deployed.result())).toList();
    return Future.join(undone).mapEmpty();
  }
}

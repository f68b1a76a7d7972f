package io.openfusion.app.node;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.openfusion.shared.calls.CallSlots;
import io.openfusion.shared.config.WorkersConfig;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * A node's caps on concurrent worker calls, with gauges of how many run and wait, so an operator sees
 * when a role needs more nodes ({@code openfusion_worker_calls{role, state}}).
 */
record WorkerSlots(CallSlots panel, CallSlots judge) {

  static WorkerSlots create(WorkersConfig workers, String registryName, String node) {
    WorkerSlots slots = new WorkerSlots(
      new CallSlots("panel", "workers.panel_max_concurrency", workers.panelMaxConcurrency()),
      new CallSlots("judge", "workers.judge_max_concurrency", workers.judgeMaxConcurrency()));
    MeterRegistry registry = registryName == null ? null : BackendRegistries.getNow(registryName);
    if (registry != null) {
      slots.register(registry, node, "panel", slots.panel);
      slots.register(registry, node, "judge", slots.judge);
    }
    return slots;
  }

  private void register(MeterRegistry registry, String node, String role, CallSlots calls) {
    Gauge.builder("openfusion.worker.calls", calls, CallSlots::running)
      .description("Worker upstream calls on this node by state").tags("node", node, "role", role, "state", "running")
      .register(registry);
    Gauge.builder("openfusion.worker.calls", calls, CallSlots::waiting)
      .description("Worker upstream calls on this node by state").tags("node", node, "role", role, "state", "waiting")
      .register(registry);
  }
}

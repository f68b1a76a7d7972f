package io.openfusion.autorouter;

import io.openfusion.shared.bus.UpstreamRef;
import io.openfusion.shared.config.RouteModel;

import java.util.List;

/** Which route model answers a SOLO request of a given tier. */
final class ModelSelector {

  private final List<RouteModel> models;

  ModelSelector(List<RouteModel> models) {
    this.models = List.copyOf(models);
  }

  /**
   * @return the index in {@code models} of the first model (config order) of the first tier in
   *     {@code wanted}'s fallback order; 0 when none has a known tier; -1 when the list is empty
   */
  static int select(Tier wanted, List<RouteModel> models) {
    if (models.isEmpty()) {
      return -1;
    }
    for (Tier tier : wanted.fallbackOrder()) {
      for (int i = 0; i < models.size(); i++) {
        if (Tier.fromWire(models.get(i).tier()) == tier) {
          return i;
        }
      }
    }
    return 0;
  }

  /** @return the route model to call, or null (no route models) for the default pass-through model */
  UpstreamRef target(Tier wanted) {
    int index = select(wanted, models);
    return index < 0 ? null : ref(index);
  }

  /** A reference to route model {@code index}, labelled with its model id. */
  UpstreamRef ref(int index) {
    String model = models.get(index).model();
    return new UpstreamRef(UpstreamRef.ROUTE, index, model, model);
  }
}

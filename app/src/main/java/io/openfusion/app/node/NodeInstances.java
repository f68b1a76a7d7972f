package io.openfusion.app.node;

import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.multimap.MultiMap;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.openfusion.api.ApiVerticle;
import io.openfusion.api.http.BodyBudget;
import io.openfusion.judge.JudgeVerticle;
import io.openfusion.panel.PanelVerticle;
import io.openfusion.router.RouterVerticle;
import io.openfusion.shared.bus.StreamPost;
import io.openfusion.shared.cluster.Hazelcast;
import io.vertx.core.Vertx;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToIntFunction;

/**
 * The verticle instances a node deployed, for what the node as a whole must know of them: the work they hold (a stop
 * waits for it) and the gauges that show whether anything they keep per request grows without bound.
 *
 * <p>Gauges ({@code node} tag on each):
 * <ul>
 *   <li>{@code openfusion_api_streams}: streams the api relays now;</li>
 *   <li>{@code openfusion_api_in_flight}: chat requests the api holds now, streamed or not;</li>
 *   <li>{@code openfusion_api_body_bytes}, {@code openfusion_api_bodies_waiting}: bytes of large request bodies the
 *   api holds now, and large bodies waiting for room ({@code BodyBudget});</li>
 *   <li>{@code openfusion_router_runs}: chat requests the routers are answering now;</li>
 *   <li>{@code openfusion_router_member_calls}: member calls the routers wait on now;</li>
 *   <li>{@code openfusion_cancel_signals{role}}: open cancel signals, per role (router, panel, judge);</li>
 *   <li>{@code openfusion_bus_streams}: ends of streams between verticles (senders and receivers) open now;</li>
 *   <li>{@code openfusion_cluster_map_entries{map}}: entries of each cluster map this node owns (clustered only).</li>
 * </ul>
 */
final class NodeInstances {

  /** The cluster maps a node may hold: openfusion's own and the event bus's. */
  private static final List<String> CLUSTER_MAPS = List.of("openfusion.nodes", "openfusion.ratelimit",
    "openfusion.tokens", "openfusion.router.outcomes", "openfusion.response-cache", "openfusion.runtime-keys",
    "openfusion.responses", "__vertx.subs", "__vertx.nodeInfo", "__vertx.haInfo");

  private final WorkerSlots slots;
  private final List<ApiVerticle> apis = new CopyOnWriteArrayList<>();
  private final List<RouterVerticle> routers = new CopyOnWriteArrayList<>();
  private final List<PanelVerticle> panels = new CopyOnWriteArrayList<>();
  private final List<JudgeVerticle> judges = new CopyOnWriteArrayList<>();

  NodeInstances(WorkerSlots slots) {
    this.slots = slots;
  }

  ApiVerticle api(ApiVerticle verticle) {
    apis.add(verticle);
    return verticle;
  }

  RouterVerticle router(RouterVerticle verticle) {
    routers.add(verticle);
    return verticle;
  }

  PanelVerticle panel(PanelVerticle verticle) {
    panels.add(verticle);
    return verticle;
  }

  JudgeVerticle judge(JudgeVerticle verticle) {
    judges.add(verticle);
    return verticle;
  }

  /** The HTTP port the api listens on, or -1 on a node without the api role. */
  int httpPort() {
    return apis.isEmpty() ? -1 : apis.get(0).port();
  }

  /** Worker runs this node holds: router requests, and panel calls and syntheses running or waiting for a slot. */
  int workInFlight() {
    return sum(routers, RouterVerticle::runningRequests)
      + slots.panel().running() + slots.panel().waiting() + slots.judge().running() + slots.judge().waiting();
  }

  void registerGauges(String registryName, String node, Vertx vertx, BodyBudget bodies) {
    MeterRegistry registry = registryName == null ? null : BackendRegistries.getNow(registryName);
    if (registry == null) {
      return;
    }
    gauge(registry, "openfusion.api.streams", "Streams the api relays now", node, () -> sum(apis, ApiVerticle::openStreams));
    gauge(registry, "openfusion.api.in.flight", "Chat requests the api holds now, streamed or not", node,
      () -> sum(apis, ApiVerticle::inFlight));
    Gauge.builder("openfusion.api.body.bytes", bodies, BodyBudget::held).strongReference(true)
      .description("Bytes of large request bodies the api holds now").baseUnit("bytes").tags("node", node)
      .register(registry);
    gauge(registry, "openfusion.api.bodies.waiting", "Large request bodies waiting for room now", node, bodies::waiting);
    gauge(registry, "openfusion.router.runs", "Chat requests the routers are answering now", node,
      () -> sum(routers, RouterVerticle::runningRequests));
    gauge(registry, "openfusion.router.member.calls", "Member calls the routers wait on now", node,
      () -> sum(routers, RouterVerticle::trackedMemberCalls));
    gauge(registry, "openfusion.bus.streams", "Ends of streams between verticles (senders and receivers) open now",
      node, () -> StreamPost.openStreams(vertx));
    cancelSignals(registry, node, "router", () -> sum(routers, RouterVerticle::openCancels));
    cancelSignals(registry, node, "panel", () -> sum(panels, PanelVerticle::openCancels));
    cancelSignals(registry, node, "judge", () -> sum(judges, JudgeVerticle::openCancels));
    Optional<HazelcastInstance> hazelcast = Hazelcast.of(vertx);
    hazelcast.ifPresent(hz -> CLUSTER_MAPS.forEach(map ->
      Gauge.builder("openfusion.cluster.map.entries", hz, h -> ownedEntries(h, map))
        .description("Entries of a cluster map owned by this node").tags("node", node, "map", map)
        .register(registry)));
  }

  private static void gauge(MeterRegistry registry, String name, String description, String node,
                            java.util.function.IntSupplier value) {
    // the supplier lives only in the gauge: held strongly, or the registry's weak reference would lose it
    Gauge.builder(name, value, v -> v.getAsInt()).strongReference(true).description(description).tags("node", node)
      .register(registry);
  }

  private static void cancelSignals(MeterRegistry registry, String node, String role, java.util.function.IntSupplier value) {
    Gauge.builder("openfusion.cancel.signals", value, v -> v.getAsInt()).strongReference(true)
      .description("Open cancel signals (work that a client leaving would stop)").tags("node", node, "role", role)
      .register(registry);
  }

  private static <T> int sum(List<T> instances, ToIntFunction<T> count) {
    int total = 0;
    for (T instance : instances) {
      total += count.applyAsInt(instance);
    }
    return total;
  }

  /** Entries of {@code name} this member owns, without creating a map that does not exist yet. */
  private static double ownedEntries(HazelcastInstance hazelcast, String name) {
    try {
      for (DistributedObject object : hazelcast.getDistributedObjects()) {
        if (!name.equals(object.getName())) {
          continue;
        }
        if (object instanceof IMap<?, ?> map) {
          return map.getLocalMapStats().getOwnedEntryCount();
        }
        if (object instanceof MultiMap<?, ?> multi) {
          return multi.getLocalMultiMapStats().getOwnedEntryCount();
        }
        if (object instanceof ReplicatedMap<?, ?> replicated) {
          return replicated.size();
        }
      }
      return 0;
    } catch (RuntimeException stopped) {
      // the node is leaving the cluster
      return Double.NaN;
    }
  }
}

package io.openfusion.examples.embedded;

import io.openfusion.embedded.UsageListener;
import io.openfusion.embedded.UsageRecord;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The host's own bookkeeping, fed by openfusion's usage listener: requests and tokens per tenant. A real host would
 * write to its billing store here (the listener runs on a worker thread, so a blocking write is fine).
 */
public final class TenantLedger implements UsageListener {

  private final Map<String, String> tenantByCaller;
  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> tokens = new ConcurrentHashMap<>();

  /** @param tenantByCaller tenant names by openfusion caller id */
  public TenantLedger(Map<String, String> tenantByCaller) {
    this.tenantByCaller = Map.copyOf(tenantByCaller);
  }

  @Override
  public void onUsage(UsageRecord record) {
    String tenant = tenantByCaller.getOrDefault(record.callerId(), "unknown");
    requests.computeIfAbsent(tenant, t -> new LongAdder()).increment();
    tokens.computeIfAbsent(tenant, t -> new LongAdder()).add(record.total().totalTokens());
  }

  /** {@code {"<tenant>": {"requests": n, "tokens": n}}}. */
  public JsonObject snapshot() {
    JsonObject out = new JsonObject();
    requests.forEach((tenant, count) -> out.put(tenant, new JsonObject().put("requests", count.sum())
      .put("tokens", tokens.getOrDefault(tenant, new LongAdder()).sum())));
    return out;
  }
}

package io.openfusion.embedded;

import io.openfusion.shared.usage.RequestUsage;
import io.openfusion.shared.usage.UsageSink;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Hands each request's usage to the host's {@link UsageListener} on a worker thread: the event loop that ended the
 * request only schedules it, so a slow or failing listener never delays or breaks a request.
 */
final class UsageDispatch implements UsageSink {

  private static final Logger LOG = LoggerFactory.getLogger(UsageDispatch.class);

  private final Vertx vertx;
  private final UsageListener listener;

  UsageDispatch(Vertx vertx, UsageListener listener) {
    this.vertx = vertx;
    this.listener = listener;
  }

  @Override
  public void report(RequestUsage usage) {
    UsageRecord record;
    try {
      record = toRecord(usage);
    } catch (RuntimeException malformed) {
      LOG.error("openfusion could not build the usage record of request {}", usage.requestId(), malformed);
      return;
    }
    // unordered: one slow listener call must not queue the next request's record behind it
    vertx.executeBlocking(() -> {
      try {
        listener.onUsage(record);
      } catch (RuntimeException | Error failure) {
        LOG.warn("The usage listener failed for request {}; the request itself was not affected", record.requestId(),
          failure);
      }
      return null;
    }, false);
  }

  static UsageRecord toRecord(RequestUsage usage) {
    JsonObject error = usage.error();
    return new UsageRecord(usage.requestId(), usage.caller(), usage.recipe(), usage.endpoint(), route(usage.route()),
      usage.stream(), outcome(usage.outcome()), error == null ? null : error.getString("code"), calls(usage.calls()),
      Usage.of(usage.total()));
  }

  private static List<CallUsage> calls(JsonArray calls) {
    List<CallUsage> list = new ArrayList<>();
    if (calls != null) {
      for (Object entry : calls) {
        JsonObject call = (JsonObject) entry;
        list.add(new CallUsage(call.getString("role"), call.getString("label"), call.getString("model"),
          Usage.of(call.getJsonObject("usage")), call.getBoolean("estimated", false)));
      }
    }
    return List.copyOf(list);
  }

  private static UsageRecord.Route route(String wire) {
    if (wire == null) {
      return UsageRecord.Route.NONE;
    }
    return switch (wire) {
      case "fusion" -> UsageRecord.Route.FUSION;
      case "pipeline" -> UsageRecord.Route.PIPELINE;
      case "pass_through" -> UsageRecord.Route.PASS_THROUGH;
      default -> UsageRecord.Route.NONE;
    };
  }

  private static UsageRecord.Outcome outcome(String wire) {
    return switch (wire) {
      case RequestUsage.SUCCESS -> UsageRecord.Outcome.SUCCESS;
      case RequestUsage.CANCELLED -> UsageRecord.Outcome.CANCELLED;
      default -> UsageRecord.Outcome.ERROR;
    };
  }
}

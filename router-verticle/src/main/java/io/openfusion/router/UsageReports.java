package io.openfusion.router;

import io.openfusion.router.recipe.Recipe;
import io.openfusion.shared.bus.ChatCommand;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.telemetry.RequestRoute;
import io.openfusion.shared.usage.RequestUsage;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Turns how a routed request ended into its {@link RequestUsage}: one entry per upstream call that reported usage
 * (panel members, ranker and judge of a fusion, a pipeline's steps, a pass-through's model) and the total. An answer
 * replayed from the response cache cost nothing, so it reports no calls and no total.
 */
final class UsageReports {

  private UsageReports() {
  }

  static RequestUsage of(ChatCommand command, RequestTrail trail, AsyncResult<RunResult> done, Future<Void> cancel) {
    RunResult result = done.succeeded() ? done.result() : null;
    boolean cached = result != null && result.cached();
    JsonArray calls = cached ? new JsonArray() : calls(trail, result);
    JsonObject total = result == null || cached ? null : result.usage();
    String outcome = switch (RunResult.outcome(done, cancel)) {
      case SUCCESS -> RequestUsage.SUCCESS;
      case CANCELLED -> RequestUsage.CANCELLED;
      default -> RequestUsage.ERROR;
    };
    JsonObject error = done.failed() ? ApiError.from(done.cause(), "router").errorObject()
      : result == null ? null : result.failure();
    RequestRoute route = trail.route();
    return new RequestUsage(command.requestId(), command.caller(), command.recipe(), command.endpoint(),
      route == null ? null : route.wire(), command.stream(), outcome, error, calls, total);
  }

  private static JsonArray calls(RequestTrail trail, RunResult result) {
    JsonArray calls = new JsonArray();
    if (result == null) {
      return calls;
    }
    JsonObject report = result.report();
    if (trail.route() == RequestRoute.PASS_THROUGH) {
      if (result.usage() != null) {
        calls.add(call("pass_through", "pass-through", trail.passThroughModel(), result.usage()));
      }
      return calls;
    }
    if (report == null) {
      return calls;
    }
    String judgeModel = judgeModel(trail.recipe());
    for (Object entry : report.getJsonArray("panel", new JsonArray())) {
      JsonObject member = (JsonObject) entry;
      JsonObject call = call("panel", member.getString("label"), member.getString("model"), member.getJsonObject("usage"));
      if (member.getBoolean("estimated", false)) {
        call.put("estimated", true);
      }
      calls.add(call);
    }
    for (Object entry : report.getJsonArray("steps", new JsonArray())) {
      JsonObject step = (JsonObject) entry;
      calls.add(call("step", step.getString("step"), null, step.getJsonObject("usage")));
    }
    if (report.getJsonObject("ranker") != null) {
      calls.add(call("ranker", "ranker", judgeModel, report.getJsonObject("ranker")));
    }
    if (report.getJsonObject("judge") != null) {
      calls.add(call("judge", "judge", judgeModel, report.getJsonObject("judge")));
    }
    return calls;
  }

  private static JsonObject call(String role, String label, String model, JsonObject usage) {
    return new JsonObject().put("role", role).put("label", label).put("model", model).put("usage", usage);
  }

  private static String judgeModel(Recipe recipe) {
    return recipe == null || recipe.judge() == null ? null : recipe.judge().model();
  }
}

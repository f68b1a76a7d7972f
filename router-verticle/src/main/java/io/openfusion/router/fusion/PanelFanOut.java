package io.openfusion.router.fusion;

import io.openfusion.router.recipe.PlannedMember;
import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.bus.Deadlines;
import io.openfusion.shared.bus.MemberAnswer;
import io.openfusion.shared.bus.MemberCall;
import io.openfusion.shared.error.ApiError;
import io.reactivex.rxjava3.core.Observable;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.rxjava3.core.eventbus.EventBus;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Asks every panel member in parallel over the event bus and reports each outcome the moment it
 * arrives, so the client's progress events follow the real completion order.
 */
public final class PanelFanOut {

  private final EventBus eventBus;
  private final Context context;

  public PanelFanOut(io.vertx.core.Vertx vertx) {
    this.eventBus = io.vertx.rxjava3.core.Vertx.newInstance(vertx).eventBus();
    this.context = vertx.getOrCreateContext();
  }

  /**
   * @param bodyFor  the upstream body for a member
   * @param onEach   called on the event loop for every outcome, in completion order
   * @return every outcome, in completion order
   */
  public Future<List<MemberOutcome>> run(String requestId, List<PlannedMember> members, Function<PlannedMember, JsonObject> bodyFor,
                                         long deadline, Consumer<MemberOutcome> onEach) {
    var outcomes = Observable.fromIterable(members)
      .flatMapSingle(member -> eventBus.<JsonObject>rxRequest(Addresses.PANEL_CALL,
          new MemberCall(requestId, member.ref(), bodyFor.apply(member), deadline).toJson(),
          Deadlines.until(deadline, requestId))
        .map(reply -> new MemberOutcome(member, MemberAnswer.fromJson(reply.body()), null))
        .onErrorReturn(failure -> new MemberOutcome(member, null, ApiError.from(failure, "panel"))))
      .doOnNext(onEach::accept)
      .toList();
    return Future.fromCompletionStage(outcomes.toCompletionStage(), context);
  }
}

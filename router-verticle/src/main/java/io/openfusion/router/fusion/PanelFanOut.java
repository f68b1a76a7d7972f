package io.openfusion.router.fusion;

import io.openfusion.router.recipe.PlannedMember;
import io.openfusion.shared.dispatch.MemberDispatch;
import io.openfusion.shared.bus.MemberAnswer;
import io.openfusion.shared.bus.MemberCall;
import io.openfusion.shared.bus.TraceHeaders;
import io.openfusion.shared.config.QuorumConfig;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.reactivex.rxjava3.core.Observable;
import io.reactivex.rxjava3.core.Scheduler;
import io.reactivex.rxjava3.core.Single;
import io.vertx.core.Context;
import io.vertx.core.json.JsonObject;
import io.vertx.rxjava3.core.RxHelper;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Asks every panel member in parallel and reports each outcome the moment it arrives, so the client's progress events
 * follow the real completion order. The fan-out with its quorum reads best as a stream, so this class is RxJava end to
 * end: its calls come in as {@link Single}s (the caller adapts the member dispatch once) and its outcomes go out as
 * one.
 *
 * <p>With a quorum, once {@code min_answers} members have answered the rest get {@code straggler_ms}
 * more; members still running then are cancelled on whichever node runs them (their HTTP calls are
 * closed) and reported as cut.
 */
public final class PanelFanOut {

  private final Function<MemberCall, Single<MemberAnswer>> send;
  private final MemberDispatch dispatch;
  private final Scheduler scheduler;

  /**
   * @param send     sends one member call (through the member dispatch, which sends it again if its node leaves)
   * @param dispatch cuts the calls of members left behind by a quorum
   * @param context  where the quorum's straggler timer fires: the router instance's
   */
  public PanelFanOut(Function<MemberCall, Single<MemberAnswer>> send, MemberDispatch dispatch, Context context) {
    this.send = send;
    this.dispatch = dispatch;
    this.scheduler = RxHelper.scheduler(io.vertx.rxjava3.core.Context.newInstance(context));
  }

  /**
   * @param caller     who asked (for the caller's playground key)
   * @param callPrefix distinguishes this fan-out's calls from other fan-outs of the same request
   * @param bodyFor    the upstream body for a member
   * @param onEach     called on the event loop for every outcome, in completion order (cut members last)
   * @return every outcome: completion order, then the members cut as stragglers
   */
  public Single<List<MemberOutcome>> run(String requestId, String caller, String callPrefix, List<PlannedMember> members,
                                         Function<PlannedMember, JsonObject> bodyFor, long deadline, QuorumConfig quorum,
                                         Consumer<MemberOutcome> onEach) {
    return run(requestId, caller, null, callPrefix, members, bodyFor, deadline, quorum, onEach);
  }

  /** @param trace the run's span, which every member call's span joins (null when the node has no traces) */
  public Single<List<MemberOutcome>> run(String requestId, String caller, TraceHeaders trace, String callPrefix,
                                         List<PlannedMember> members, Function<PlannedMember, JsonObject> bodyFor,
                                         long deadline, QuorumConfig quorum, Consumer<MemberOutcome> onEach) {
    Set<Integer> pending = new LinkedHashSet<>();
    for (int i = 0; i < members.size(); i++) {
      pending.add(i);
    }
    Observable<MemberOutcome> outcomes = Observable.range(0, members.size())
      .flatMapSingle(i -> {
        PlannedMember member = members.get(i);
        MemberCall call = new MemberCall(requestId, callId(callPrefix, i), member.ref(), bodyFor.apply(member), deadline,
          caller).withTrace(trace);
        return Single.defer(() -> send.apply(call))
          .map(answer -> new MemberOutcome(member, answer, null, false))
          .onErrorReturn(failure -> new MemberOutcome(member, null, ApiError.from(failure, "panel"), false))
          .doOnSuccess(outcome -> pending.remove(i));
      })
      .share();
    Observable<MemberOutcome> gathered = outcomes;
    if (quorum.enabled() && quorum.minAnswers() < members.size()) {
      Observable<Long> cut = outcomes.filter(MemberOutcome::ok)
        .skip(quorum.minAnswers() - 1L)
        .take(1)
        .flatMap(enough -> Observable.timer(quorum.stragglerMs(), TimeUnit.MILLISECONDS, scheduler));
      gathered = outcomes.takeUntil(cut);
    }
    return gathered.doOnNext(onEach::accept).toList().map(done -> {
      List<MemberOutcome> result = new ArrayList<>(done);
      for (int i : List.copyOf(pending)) {
        // cut as a straggler: stop its upstream call wherever it runs
        dispatch.cut(requestId, callId(callPrefix, i));
        MemberOutcome cutOff = new MemberOutcome(members.get(i), null, ApiError.of(ErrorCode.TIMEOUT,
          "cut as a straggler after " + quorum.stragglerMs() + " ms (quorum of " + quorum.minAnswers() + " reached)"), true);
        onEach.accept(cutOff);
        result.add(cutOff);
      }
      return result;
    });
  }

  private static String callId(String prefix, int index) {
    return prefix + "#" + index;
  }
}

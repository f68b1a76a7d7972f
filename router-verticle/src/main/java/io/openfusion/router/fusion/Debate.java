package io.openfusion.router.fusion;

import io.openfusion.router.recipe.PlannedMember;
import io.openfusion.shared.bus.MemberAnswer;
import io.openfusion.shared.bus.TraceHeaders;
import io.openfusion.shared.config.QuorumConfig;
import io.openfusion.shared.chat.Usages;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Debate rounds: every member that answered revises its answer after reading its peers'. A revision
 * that fails keeps the previous answer; usage accumulates across rounds. Each round reports progress.
 */
final class Debate {

  private final FusionContext ctx;
  private final PanelFanOut fanOut;
  private final AnswerSink answer;

  Debate(FusionContext ctx, AnswerSink answer) {
    this.ctx = ctx;
    this.fanOut = ctx.fanOut();
    this.answer = answer;
  }

  /**
   * @param baseBody the member body for a member (the client's params with ceilings applied)
   * @return the outcomes with the answers after the last round (failed members unchanged)
   */
  Future<List<MemberOutcome>> run(String requestId, String caller, JsonArray conversation, List<MemberOutcome> outcomes, int rounds,
                                  Function<PlannedMember, JsonObject> baseBody, long deadline, Future<Void> cancel) {
    return run(requestId, caller, null, conversation, outcomes, rounds, baseBody, deadline, cancel);
  }

  /** @param trace the run's span, which every revision call's span joins (null when the node has no traces) */
  Future<List<MemberOutcome>> run(String requestId, String caller, TraceHeaders trace, JsonArray conversation,
                                  List<MemberOutcome> outcomes, int rounds, Function<PlannedMember, JsonObject> baseBody,
                                  long deadline, Future<Void> cancel) {
    return round(requestId, caller, trace, conversation, outcomes, 1, rounds, baseBody, deadline, cancel);
  }

  // recursion depth is bounded by the configured rounds (at most 3)
  private Future<List<MemberOutcome>> round(String requestId, String caller, TraceHeaders trace, JsonArray conversation,
                                            List<MemberOutcome> outcomes, int round, int rounds, Function<PlannedMember, JsonObject> baseBody, long deadline,
                                            Future<Void> cancel) {
    List<MemberOutcome> answered = outcomes.stream().filter(MemberOutcome::ok).toList();
    if (round > rounds || answered.size() < 2 || cancel.isComplete() || System.currentTimeMillis() >= deadline) {
      return Future.succeededFuture(outcomes);
    }
    answer.progress("progress", new JsonObject().put("stage", "debate").put("round", round).put("rounds", rounds)
      .put("message", "Debate round " + round + " of " + rounds).put("members", answered.size()));
    Map<PlannedMember, MemberOutcome> byMember = new java.util.IdentityHashMap<>();
    answered.forEach(o -> byMember.put(o.member(), o));
    List<PlannedMember> members = answered.stream().map(MemberOutcome::member).toList();
    int[] done = {0};
    return ctx.gathered(fanOut.run(requestId, caller, trace, "debate" + round, members, member -> {
        MemberOutcome own = byMember.get(member);
        List<String> peers = new ArrayList<>();
        answered.stream().filter(o -> o != own).forEach(o -> peers.add(o.answer().content()));
        return baseBody.apply(member).put("messages", DebatePrompt.messages(conversation, own.answer().content(), peers));
      }, deadline, QuorumConfig.waitForAll(), revision -> {
        done[0]++;
        answer.progress("progress", new JsonObject().put("stage", "debate_member").put("round", round)
          .put("model", revision.model()).put("label", revision.label()).put("ok", revision.ok())
          .put("completed", done[0]).put("total", members.size()));
      }))
      .map(revisions -> merge(outcomes, revisions))
      .compose(next -> round(requestId, caller, trace, conversation, next, round + 1, rounds, baseBody, deadline, cancel));
  }

  private static List<MemberOutcome> merge(List<MemberOutcome> outcomes, List<MemberOutcome> revisions) {
    Map<PlannedMember, MemberOutcome> revised = new java.util.IdentityHashMap<>();
    revisions.stream().filter(MemberOutcome::ok).forEach(r -> revised.put(r.member(), r));
    List<MemberOutcome> merged = new ArrayList<>();
    for (MemberOutcome outcome : outcomes) {
      MemberOutcome revision = revised.get(outcome.member());
      if (revision == null) {
        merged.add(outcome);
        continue;
      }
      MemberAnswer before = outcome.answer();
      MemberAnswer after = revision.answer();
      JsonObject usage = before.usage() == null && after.usage() == null ? null : Usages.add(before.usage(), after.usage());
      merged.add(outcome.withAnswer(new MemberAnswer(after.label(), after.model(), after.content(), usage,
        before.latencyMs() + after.latencyMs(), after.finishReason())));
    }
    return merged;
  }
}

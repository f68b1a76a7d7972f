package io.openfusion.router;

import io.openfusion.autorouter.LocalOutcomeStore;
import io.openfusion.router.ClientFrames.Frame;
import io.openfusion.router.ClientFrames.Kind;
import io.openfusion.shared.upstream.pricing.Pricing;
import io.openfusion.shared.bus.Addresses;
import io.openfusion.shared.bus.ChatCommand;
import io.openfusion.shared.bus.Deadlines;
import io.openfusion.shared.bus.MemberAnswer;
import io.openfusion.shared.bus.MemberCall;
import io.openfusion.shared.bus.StreamBatch;
import io.openfusion.shared.bus.SynthesisCommand;
import io.openfusion.shared.bus.SynthesisResult;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.loading.ConfigParser;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.openfusion.router.ApiPeer.await;
import static io.openfusion.router.ApiPeer.failureOf;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The conductor's rules without HTTP: a real {@link RouterVerticle} between a fake api (the spec, sending a
 * {@link ChatCommand} and reading what comes back) and a scripted panel and judge on the event bus. Each spec states
 * the grammar of what the api receives: progress, the answer's content, one terminal chunk, usage, {@code [DONE]}; or
 * the error ending that replaces them.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class FusionConductorTest {

  /** Nothing listens here: the scripted workers stand in for every upstream. */
  private static final String NOWHERE = "http://127.0.0.1:9/v1";
  private static final String THREE_MEMBERS = "progress:panel progress:panel_member progress:panel_member progress:panel_member";
  private static final Pattern CANDIDATE = Pattern.compile("\\[(\\d+)] ([^\\n]*)");

  private Vertx vertx;
  private int requests;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
  }

  // ---- the recipe and the request ----------------------------------------------------------------

  private static JsonObject upstream(String model, String label) {
    JsonObject upstream = new JsonObject().put("base_url", NOWHERE).put("api_key", "k").put("model", model);
    return label == null ? upstream : upstream.put("label", label);
  }

  private static OpenFusionConfig config(String extra) {
    JsonObject raw = new JsonObject()
      .put("strategy", "panel")
      .put("panel", new JsonArray().add(upstream("m/one", "one")).add(upstream("m/two", "two"))
        .add(upstream("m/three", "three")))
      .put("judge", upstream("j/judge", null))
      .put("pass_through", upstream("p/solo", null));
    raw.mergeIn(new JsonObject(extra), true);
    return ConfigParser.parse(raw, Map.of(), "spec.yaml");
  }

  private void deployRouter(OpenFusionConfig config) {
    RouterShared shared = new RouterShared(new LocalOutcomeStore(), null, new Pricing(vertx, Clock.systemUTC()));
    await(vertx.deployVerticle(new RouterVerticle(config, shared)));
  }

  private ChatCommand command(boolean stream, boolean events, JsonObject extraBody) {
    JsonObject body = new JsonObject().put("model", "openfusion").put("stream", stream)
      .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "What is 6*7?")))
      .mergeIn(extraBody);
    return new ChatCommand("req-" + (++requests), stream, body, null, "caller", System.currentTimeMillis() + 30_000,
      events, null);
  }

  private ApiPeer ask(ChatCommand command) {
    return ApiPeer.answering(vertx, Addresses.ROUTER_CHAT, command.toJson(),
      Deadlines.until(command.deadline(), command.requestId()));
  }

  private ClientFrames streamed(ChatCommand command) {
    ApiPeer api = ask(command);
    List<StreamBatch> parts = await(api.untilLast());
    return ClientFrames.of(parts);
  }

  // ---- scripts ------------------------------------------------------------------------------------

  /** Every member answers at once: "answer from {label}", 10 prompt and 5 completion tokens. */
  private static Future<MemberAnswer> everyoneAnswers(MemberCall call) {
    return ScriptedPanel.answer(call, "answer from " + call.member().label(), 10, 5);
  }

  /** A ranker that picks the candidate written by {@code label}, as numbered in its prompt. */
  private static Function<MemberCall, Future<MemberAnswer>> rankerPicks(String label,
                                                                        Function<MemberCall, Future<MemberAnswer>> members) {
    return call -> {
      if (!call.callId().equals("ranker")) {
        return members.apply(call);
      }
      String prompt = call.body().getJsonArray("messages").getJsonObject(1).getString("content");
      Matcher candidate = CANDIDATE.matcher(prompt);
      while (candidate.find()) {
        if (candidate.group(2).endsWith(label)) {
          return ScriptedPanel.answer(call, candidate.group(1), 50, 1);
        }
      }
      return ScriptedPanel.answer(call, "none", 50, 1);
    };
  }

  /** Answers once {@code gate} is open, and opens {@code next} on the turn after the answer went out. */
  private Future<MemberAnswer> answerThenOpen(MemberCall call, Future<Void> gate, Promise<Void> next) {
    return gate.compose(open -> {
      vertx.getOrCreateContext().runOnContext(v -> next.tryComplete());
      return everyoneAnswers(call);
    });
  }

  private static SynthesisResult stop(int prompt, int completion) {
    return new SynthesisResult(ScriptedJudge.usage(prompt, completion), "stop", null, null);
  }

  // ---- judge aggregation ---------------------------------------------------------------------------

  @Test
  void aStreamedFusionIsProgressThenTheJudgesTextThenOneTerminalChunkUsageAndDone() {
    deployRouter(config("{}"));
    ScriptedPanel panel = ScriptedPanel.start(vertx, FusionConductorTest::everyoneAnswers);
    ScriptedJudge judge = ScriptedJudge.start(vertx, ScriptedJudge.Script.writes(List.of("Forty", "-two"), stop(100, 20)));

    ApiPeer api = ask(command(true, false, new JsonObject()));
    List<StreamBatch> parts = await(api.untilLast());
    ClientFrames frames = ClientFrames.of(parts);

    assertThat(frames.shape()).isEqualTo(THREE_MEMBERS + " progress:synthesis content content terminal usage done");
    assertThat(frames.all()).filteredOn(frame -> frame.kind() == Kind.PROGRESS).allMatch(frame -> !frame.named());
    assertThat(frames.text()).isEqualTo("Forty-two");
    List<Frame> content = frames.of(Kind.CONTENT);
    assertThat(content.get(0).delta().getString("role")).isEqualTo("assistant");
    assertThat(content.get(1).delta().containsKey("role")).isFalse();
    assertThat(frames.of(Kind.TERMINAL).get(0).finishReason()).isEqualTo("stop");
    // one response: every chunk carries the same id
    assertThat(frames.all()).filteredOn(frame -> frame.kind() == Kind.CONTENT || frame.kind() == Kind.TERMINAL)
      .extracting(frame -> frame.json().getString("id")).containsOnly(content.get(0).json().getString("id"));
    JsonObject usage = frames.named("usage").get(0).json();
    assertThat(usage.getJsonObject("total").getInteger("total_tokens")).isEqualTo(3 * 15 + 120);
    assertThat(usage.getJsonObject("judge").getInteger("total_tokens")).isEqualTo(120);

    assertThat(parts.get(parts.size() - 1).success()).isTrue();
    await(api.lastConfirmed());
    assertThat(panel.calls("panel")).extracting(call -> call.member().label()).containsExactlyInAnyOrder("one", "two", "three");
    SynthesisCommand asked = judge.commands().get(0);
    assertThat(asked.answers().stream().map(a -> ((JsonObject) a).getString("content")))
      .containsExactlyInAnyOrder("answer from one", "answer from two", "answer from three");
    assertThat(judge.answered()).as("the router asked for every part").isEqualTo(2);
  }

  @Test
  void aClientThatAskedForNamedEventsGetsProgressAsEventsAndTheStandardUsageChunk() {
    deployRouter(config("{}"));
    ScriptedPanel.start(vertx, FusionConductorTest::everyoneAnswers);
    ScriptedJudge.start(vertx, ScriptedJudge.Script.writes(List.of("42"), stop(100, 20)));

    ClientFrames frames = streamed(command(true, true,
      new JsonObject().put("stream_options", new JsonObject().put("include_usage", true))));

    assertThat(frames.shape()).isEqualTo(THREE_MEMBERS + " progress:synthesis content terminal usage usage_chunk done");
    assertThat(frames.all()).filteredOn(frame -> frame.kind() == Kind.PROGRESS).allMatch(Frame::named);
    assertThat(frames.of(Kind.USAGE_CHUNK).get(0).json().getJsonObject("usage").getInteger("total_tokens"))
      .isEqualTo(3 * 15 + 120);
  }

  @Test
  void memberProgressFollowsTheOrderTheMembersAnswerIn() {
    deployRouter(config("{}"));
    // two answers first, one once two's answer is out, three once one's is
    Promise<Void> twoAnswered = Promise.promise();
    Promise<Void> oneAnswered = Promise.promise();
    ScriptedPanel.start(vertx, call -> switch (call.member().label()) {
      case "two" -> answerThenOpen(call, Future.succeededFuture(), twoAnswered);
      case "one" -> answerThenOpen(call, twoAnswered.future(), oneAnswered);
      default -> answerThenOpen(call, oneAnswered.future(), Promise.promise());
    });
    ScriptedJudge.start(vertx, ScriptedJudge.Script.writes(List.of("42"), stop(1, 1)));

    ClientFrames frames = streamed(command(true, false, new JsonObject()));

    assertThat(frames.progress("panel_member")).extracting(frame -> frame.json().getString("label"))
      .containsExactly("two", "one", "three");
    assertThat(frames.progress("panel_member")).extracting(frame -> frame.json().getInteger("completed"))
      .containsExactly(1, 2, 3);
  }

  @Test
  void failedMembersAreReportedAndTheJudgeReadsOnlyTheAnswers() {
    deployRouter(config("{}"));
    ScriptedPanel.start(vertx, call -> call.member().label().equals("two")
      ? Future.failedFuture(ApiError.upstream(503, "member two is overloaded")) : everyoneAnswers(call));
    ScriptedJudge judge = ScriptedJudge.start(vertx, ScriptedJudge.Script.writes(List.of("42"), stop(1, 1)));

    ClientFrames frames = streamed(command(true, false, new JsonObject()));

    Frame failed = frames.progress("panel_member").stream().filter(f -> !f.json().getBoolean("ok")).findFirst().orElseThrow();
    assertThat(failed.json().getString("label")).isEqualTo("two");
    assertThat(failed.json().getString("error")).contains("member two is overloaded");
    assertThat(frames.progress("synthesis").get(0).json().getInteger("failed_count")).isEqualTo(1);
    assertThat(judge.commands().get(0).answers()).hasSize(2);
    assertThat(frames.shape()).endsWith("content terminal usage done");
  }

  @Test
  void aJudgeThatRefusesBeforeAnyTextLeavesThePanelsBestAnswerAsTheStream() {
    deployRouter(config("{}"));
    ScriptedPanel panel = ScriptedPanel.start(vertx, rankerPicks("two", FusionConductorTest::everyoneAnswers));
    ScriptedJudge.start(vertx, ScriptedJudge.Script.refuses(ApiError.upstream(503, "the judge is overloaded")));

    ApiPeer api = ask(command(true, false, new JsonObject()));
    List<StreamBatch> parts = await(api.untilLast());
    ClientFrames frames = ClientFrames.of(parts);

    assertThat(frames.shape()).isEqualTo(THREE_MEMBERS + " progress:synthesis progress:judge_fallback content terminal usage done");
    assertThat(frames.text()).isEqualTo("answer from two");
    assertThat(frames.progress("judge_fallback").get(0).json().getString("error")).contains("the judge is overloaded");
    JsonObject usage = frames.named("usage").get(0).json();
    assertThat(usage.getJsonObject("judge_error").getString("code")).isEqualTo("judge_stream_error");
    assertThat(usage.getJsonObject("ranker").getInteger("total_tokens")).isEqualTo(51);
    assertThat(parts.get(parts.size() - 1).success()).as("a fallback is an answer, not an error").isTrue();
    assertThat(panel.calls("ranker")).hasSize(1);
  }

  @Test
  void aBufferedClientWhoseJudgeFailsMidAnswerGetsThePanelsBestAnswerWithAFallbackField() {
    deployRouter(config("{}"));
    ScriptedPanel.start(vertx, rankerPicks("three", FusionConductorTest::everyoneAnswers));
    JsonObject broke = ApiError.of(ErrorCode.UPSTREAM_ERROR, "judge stream broke").errorObject();
    ScriptedJudge.start(vertx, ScriptedJudge.Script.writes(List.of("a partial judge answer"),
      new SynthesisResult(null, null, null, broke)));

    JsonObject completion = await(ask(command(false, false, new JsonObject())).reply()).getJsonObject("body");

    assertThat(completion.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
      .as("the judge's partial text never reached the client, so it is dropped").isEqualTo("answer from three");
    JsonObject fallback = completion.getJsonObject("fallback");
    assertThat(fallback.getString("reason")).isEqualTo("judge_failed");
    assertThat(fallback.getString("answer_from")).isEqualTo("three");
    assertThat(fallback.getJsonObject("error").getString("code")).isEqualTo("judge_stream_error");
    assertThat(fallback.getJsonObject("error").getString("message")).contains("judge stream broke");
  }

  @Test
  void aJudgeThatFailsAfterItsTextEndsTheStreamWithAnErrorChunkAndDone() {
    deployRouter(config("{}"));
    ScriptedPanel.start(vertx, FusionConductorTest::everyoneAnswers);
    JsonObject broke = ApiError.of(ErrorCode.UPSTREAM_ERROR, "judge stream broke").errorObject();
    ScriptedJudge.start(vertx, ScriptedJudge.Script.writes(List.of("Forty"), new SynthesisResult(null, null, null, broke)));

    ApiPeer api = ask(command(true, false, new JsonObject()));
    List<StreamBatch> parts = await(api.untilLast());
    ClientFrames frames = ClientFrames.of(parts);

    assertThat(frames.shape()).isEqualTo(THREE_MEMBERS + " progress:synthesis content error done");
    assertThat(frames.text()).isEqualTo("Forty");
    JsonObject error = frames.of(Kind.ERROR).get(0).json().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("judge_stream_error");
    assertThat(error.getString("message")).contains("judge stream broke");
    assertThat(parts.get(parts.size() - 1).success()).isFalse();
  }

  @Test
  void whenEveryMemberFailsABufferedRequestIsRefusedWithPanelError() {
    deployRouter(config("{}"));
    ScriptedPanel.start(vertx, call -> Future.failedFuture(ApiError.upstream(500, call.member().label() + " broke")));
    ScriptedJudge judge = ScriptedJudge.start(vertx, ScriptedJudge.Script.writes(List.of("never"), stop(1, 1)));

    Throwable refusal = failureOf(ask(command(false, false, new JsonObject())).reply());

    assertThat(((ReplyException) refusal).failureCode()).isEqualTo(502);
    ApiError error = ApiError.from(refusal, "router");
    assertThat(error.code()).isEqualTo("panel_error");
    assertThat(error.getMessage()).contains("one broke", "two broke", "three broke");
    assertThat(judge.commands()).isEmpty();
  }

  @Test
  void whenEveryMemberFailsAStreamThatShowedProgressEndsWithAnErrorChunk() {
    deployRouter(config("{}"));
    ScriptedPanel.start(vertx, call -> Future.failedFuture(ApiError.upstream(500, call.member().label() + " broke")));

    ClientFrames frames = streamed(command(true, false, new JsonObject()));

    assertThat(frames.shape()).isEqualTo(THREE_MEMBERS + " error done");
    assertThat(frames.of(Kind.ERROR).get(0).json().getJsonObject("error").getString("code")).isEqualTo("panel_error");
  }

  // ---- the client's pace reaches the judge ------------------------------------------------------------

  @Test
  void aClientThatStopsReadingHoldsTheJudgesNextPartBack() {
    deployRouter(config("{}"));
    ScriptedPanel.start(vertx, FusionConductorTest::everyoneAnswers);
    String big = "x".repeat(80 * 1024);
    ScriptedJudge judge = ScriptedJudge.start(vertx, ScriptedJudge.Script.writes(List.of(big, "tail"), stop(1, 1)));
    ChatCommand command = command(true, false, new JsonObject());
    ApiPeer api = ApiPeer.holding(vertx, Addresses.ROUTER_CHAT, command.toJson(),
      Deadlines.until(command.deadline(), command.requestId()));

    // the api holds the first part (the panel's progress): the judge's big first part piles up behind it
    await(api.part(0));
    await(judgeAsked(judge));
    assertThat(judge.answered()).as("a full client stream does not ask the judge for more").isZero();

    api.answer();
    await(api.part(1));
    api.answerAll();
    List<StreamBatch> parts = await(api.untilLast());
    assertThat(judge.answered()).isEqualTo(2);
    assertThat(ClientFrames.of(parts).text()).isEqualTo(big + "tail");
  }

  @Test
  void aClientThatLeavesMidAnswerMakesTheRouterStopTheJudge() {
    deployRouter(config("{}"));
    ScriptedPanel.start(vertx, FusionConductorTest::everyoneAnswers);
    String big = "x".repeat(80 * 1024);
    ScriptedJudge judge = ScriptedJudge.start(vertx, ScriptedJudge.Script.writes(List.of(big, "more"), stop(1, 1)));
    ChatCommand command = command(true, false, new JsonObject());
    ApiPeer api = ApiPeer.holding(vertx, Addresses.ROUTER_CHAT, command.toJson(),
      Deadlines.until(command.deadline(), command.requestId()));
    await(api.part(0));
    await(judgeAsked(judge));

    api.failHeld(ErrorCode.CLIENT_GONE.status(), "the client went away");

    assertThat(await(judge.routerFailedPart())).as("the judge's first part is refused: nobody reads on").isZero();
  }

  private Future<Void> judgeAsked(ScriptedJudge judge) {
    return Future.future(p -> vertx.setPeriodic(5, id -> {
      if (!judge.commands().isEmpty()) {
        vertx.cancelTimer(id);
        // one more turn for the first part to reach the router
        vertx.setTimer(50, t -> p.complete());
      }
    }));
  }

  // ---- other aggregators ------------------------------------------------------------------------------

  @Test
  void voteAnswersWithTheMajorityAndNoJudge() {
    deployRouter(config("{\"aggregator\":\"vote\"}"));
    ScriptedPanel.start(vertx, call -> ScriptedPanel.answer(call, switch (call.member().label()) {
      case "one" -> "6*7 is 42";
      case "two" -> "It is 41";
      default -> "42";
    }, 10, 5));
    ScriptedJudge judge = ScriptedJudge.start(vertx, ScriptedJudge.Script.writes(List.of("never"), stop(1, 1)));

    ClientFrames frames = streamed(command(true, false, new JsonObject()));

    assertThat(frames.shape()).isEqualTo(THREE_MEMBERS + " progress:vote content terminal usage done");
    assertThat(frames.text()).as("the earliest member of the majority").isEqualTo("6*7 is 42");
    JsonObject vote = frames.progress("vote").get(0).json();
    assertThat(vote.getDouble("agreement")).isEqualTo(2.0 / 3);
    assertThat(vote.getString("winner")).isEqualTo("one");
    assertThat(judge.commands()).isEmpty();
  }

  @Test
  void rankedAnswersWithTheRankersPickVerbatim() {
    deployRouter(config("{\"aggregator\":\"ranked\"}"));
    ScriptedPanel panel = ScriptedPanel.start(vertx, rankerPicks("three", FusionConductorTest::everyoneAnswers));
    ScriptedJudge judge = ScriptedJudge.start(vertx, ScriptedJudge.Script.writes(List.of("never"), stop(1, 1)));

    JsonObject completion = await(ask(command(false, false, new JsonObject())).reply()).getJsonObject("body");

    assertThat(completion.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content"))
      .isEqualTo("answer from three");
    assertThat(completion.getJsonObject("usage").getInteger("total_tokens")).isEqualTo(3 * 15 + 51);
    assertThat(panel.calls("ranker")).hasSize(1);
    assertThat(judge.commands()).isEmpty();
  }

  // ---- debate and pipeline -----------------------------------------------------------------------------

  @Test
  void aDebateRoundRevisesTheAnswersAndTheJudgeReadsTheRevisions() {
    deployRouter(config("{\"strategy\":\"debate\",\"debate\":{\"rounds\":1}}"));
    ScriptedPanel panel = ScriptedPanel.start(vertx, call -> call.callId().startsWith("debate1")
      ? ScriptedPanel.answer(call, "revised by " + call.member().label(), 30, 5) : everyoneAnswers(call));
    ScriptedJudge judge = ScriptedJudge.start(vertx, ScriptedJudge.Script.writes(List.of("42"), stop(1, 1)));

    ClientFrames frames = streamed(command(true, false, new JsonObject()));

    assertThat(frames.shape()).isEqualTo(THREE_MEMBERS
      + " progress:debate progress:debate_member progress:debate_member progress:debate_member"
      + " progress:synthesis content terminal usage done");
    List<MemberCall> revisions = panel.calls("debate1");
    assertThat(revisions).hasSize(3);
    // each member reads its own answer and its peers'
    String revisionPrompt = revisions.get(0).body().encode();
    assertThat(revisionPrompt).contains("answer from one", "answer from two", "answer from three");
    assertThat(judge.commands().get(0).answers().stream().map(a -> ((JsonObject) a).getString("content")))
      .containsExactlyInAnyOrder("revised by one", "revised by two", "revised by three");
    // a member's usage adds up over its rounds
    JsonObject usage = frames.named("usage").get(0).json();
    assertThat(usage.getJsonObject("panel_total").getInteger("total_tokens")).isEqualTo(3 * 15 + 3 * 35);
  }

  @Test
  void aPipelineRunsItsSoloStepThenItsFuseStepAndOnlyTheLastStepWritesTheAnswer() {
    deployRouter(config("{\"strategy\":\"pipeline\",\"pipeline\":{\"steps\":["
      + "{\"name\":\"draft\",\"use\":\"solo\",\"model\":\"p/draft\"},"
      + "{\"name\":\"final\",\"use\":\"fuse\",\"system\":\"Improve this draft: {draft}\"}]}}"));
    ScriptedPanel panel = ScriptedPanel.start(vertx, call -> call.callId().equals("step-draft")
      ? ScriptedPanel.answer(call, "THE DRAFT", 7, 3) : everyoneAnswers(call));
    ScriptedJudge judge = ScriptedJudge.start(vertx, ScriptedJudge.Script.writes(List.of("The final answer"), stop(100, 20)));

    ClientFrames frames = streamed(command(true, false, new JsonObject()));

    assertThat(frames.shape()).isEqualTo("progress:pipeline_step progress:pipeline_step"
      + " progress:panel_member progress:panel_member progress:panel_member progress:synthesis"
      + " content terminal usage done");
    assertThat(frames.progress("pipeline_step")).extracting(f -> f.json().getString("step")).containsExactly("draft", "final");
    assertThat(frames.text()).isEqualTo("The final answer");
    MemberCall draft = panel.calls("step-draft").get(0);
    assertThat(draft.member().model()).isEqualTo("p/draft");
    assertThat(panel.calls("step-final#")).hasSize(3);
    // the fuse step and its judge read the draft through the step's system prompt
    assertThat(panel.calls("step-final#").get(0).body().getJsonArray("messages").getJsonObject(0).getString("content"))
      .isEqualTo("Improve this draft: THE DRAFT");
    assertThat(judge.commands().get(0).messages().getJsonObject(0).getString("content"))
      .isEqualTo("Improve this draft: THE DRAFT");
    JsonObject usage = frames.named("usage").get(0).json();
    assertThat(usage.getJsonArray("steps").stream().map(s -> ((JsonObject) s).getString("step")))
      .contains("draft", "final");
    assertThat(usage.getJsonObject("total").getInteger("total_tokens")).isEqualTo(10 + 3 * 15 + 120);
  }

  @Test
  void aPipelineWhoseStepFailsEndsTheStreamWithAnErrorChunk() {
    deployRouter(config("{\"strategy\":\"pipeline\",\"pipeline\":{\"steps\":["
      + "{\"name\":\"draft\",\"use\":\"solo\",\"model\":\"p/draft\"},"
      + "{\"name\":\"final\",\"use\":\"fuse\"}]}}"));
    ScriptedPanel.start(vertx, call -> call.callId().equals("step-draft")
      ? Future.failedFuture(ApiError.upstream(401, "bad key for the draft model")) : everyoneAnswers(call));
    ScriptedJudge judge = ScriptedJudge.start(vertx, ScriptedJudge.Script.writes(List.of("never"), stop(1, 1)));

    ClientFrames frames = streamed(command(true, false, new JsonObject()));

    assertThat(frames.shape()).isEqualTo("progress:pipeline_step error done");
    JsonObject error = frames.of(Kind.ERROR).get(0).json().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("upstream_error");
    assertThat(error.getString("message")).contains("Pipeline failed", "bad key for the draft model");
    assertThat(judge.commands()).isEmpty();
  }
}

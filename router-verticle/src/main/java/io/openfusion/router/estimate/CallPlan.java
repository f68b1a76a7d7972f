package io.openfusion.router.estimate;

import io.openfusion.router.estimate.PlannedCall.Target;
import io.openfusion.router.recipe.Choices;
import io.openfusion.router.recipe.PlannedMember;
import io.openfusion.router.recipe.Recipe;
import io.openfusion.shared.bus.UpstreamRef;
import io.openfusion.shared.config.Aggregator;
import io.openfusion.shared.config.CostControls;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.PipelineStep;
import io.openfusion.shared.config.RouterConfig;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.UpstreamConfig;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lists the calls a fused run makes at most, each with its input estimate and output cap: the
 * router classifier, the panel, debate revisions, the judge or ranker, or the pipeline's steps.
 *
 * <p>It assumes the expensive path: the router picks FUSE, every member succeeds (so debate runs
 * all its rounds) and every call writes up to its cap. Panel answers enter later prompts at the
 * panel cap each.
 */
final class CallPlan {

  /** Output cap assumed where no ceiling is configured. */
  static final int DEFAULT_CAP = 1024;
  /** The ranker only names the winner's number. */
  static final int RANKER_OUTPUT = 8;
  /** The classifier that picks among route models answers with a model id. */
  static final int ROUTE_PICK_OUTPUT = 24;
  /** The classifier sees at most this much user text. */
  static final int CLASSIFIER_TEXT_LIMIT = 4000;
  /** The classifier's own instructions, roughly. */
  static final int CLASSIFIER_PROMPT_CHARS = 400;

  private final OpenFusionConfig config;
  private final Recipe recipe;
  private final JsonObject body;
  private final int panelCap;
  private final int judgeCap;
  private final int soloCap;
  private final List<PlannedCall> calls = new ArrayList<>();

  private CallPlan(OpenFusionConfig config, Recipe recipe, JsonObject body) {
    this.config = config;
    this.recipe = recipe;
    this.body = body;
    CostControls ceilings = recipe.ceilings() != null ? recipe.ceilings() : config.costControls();
    this.panelCap = capOf(ceilings.panelMaxTokens());
    this.judgeCap = capOf(ceilings.judgeMaxTokens());
    this.soloCap = capOf(ceilings.passThroughMaxTokens());
  }

  /**
   * @param routerMayRun the Auto Router would run for this request (the caller checks eligibility;
   *                     the router's own settings are checked here)
   */
  static List<PlannedCall> build(OpenFusionConfig config, Recipe recipe, JsonObject body, boolean routerMayRun) {
    CallPlan plan = new CallPlan(config, recipe, body == null ? new JsonObject() : body);
    if (routerMayRun) {
      plan.router();
    }
    if (recipe.strategy() == Strategy.PIPELINE) {
      plan.pipeline();
    } else {
      plan.fusion(TokenCount.input(plan.body.getValue("messages")), recipe.aggregator(),
        recipe.strategy() == Strategy.DEBATE, null);
    }
    return List.copyOf(plan.calls);
  }

  /**
   * A pass-through's one call: its prompt once, and its output ceiling for every choice it asks for ({@code n}),
   * since the provider bills each choice's output.
   */
  static List<PlannedCall> passThrough(OpenFusionConfig config, Recipe recipe, JsonObject body, UpstreamRef target) {
    UpstreamConfig upstream = target.resolve(config);
    Target call = new Target(upstream == null ? target.model() : upstream.model(), upstream == null ? null : upstream.baseUrl());
    long output = WorstCase.outputCeiling(recipe, body) * Choices.of(body);
    return List.of(PlannedCall.of(call, "solo", TokenCount.input(body.getValue("messages")), output));
  }

  private static int capOf(Integer ceiling) {
    return ceiling != null ? ceiling : DEFAULT_CAP;
  }

  /** The FUSE/SOLO classifier call of {@code mode: model}; other modes decide without a model. */
  private void router() {
    RouterConfig router = config.router();
    if (!router.enabled() || !RouterConfig.MODE_MODEL.equals(router.mode()) || router.classifier() == null) {
      return;
    }
    long userChars = Math.min(TokenCount.chars(body.getValue("messages"), m -> "user".equals(m.getValue("role"))),
      CLASSIFIER_TEXT_LIMIT);
    int output = router.routeModels().isEmpty()
      ? router.classifierMaxTokens() : Math.max(ROUTE_PICK_OUTPUT, router.classifierMaxTokens());
    Target target = target(new UpstreamRef(UpstreamRef.CLASSIFIER, 0, null, "router"));
    calls.add(PlannedCall.of(target, "router", TokenCount.tokens(userChars + CLASSIFIER_PROMPT_CHARS), output));
  }

  /**
   * Panel, optional debate rounds, then the aggregator.
   *
   * @return the output cap of the final answer (what a later pipeline step reads)
   */
  private long fusion(long input, Aggregator aggregator, boolean debate, String step) {
    List<PlannedMember> members = recipe.members();
    int n = members.size();
    long withAnswers = input + (long) panelCap * n;
    for (PlannedMember member : members) {
      add(PlannedCall.of(target(member.ref()), "panel", input, panelCap), step);
    }
    // Debate only revises when at least two members answered; each revision reads every answer.
    if (debate && n >= 2) {
      for (int round = 1; round <= config.debate().rounds(); round++) {
        for (PlannedMember member : members) {
          add(PlannedCall.of(target(member.ref()), "debate", withAnswers, panelCap).inRound(round), step);
        }
      }
    }
    if (recipe.judge() == null || n == 0) {
      return panelCap;
    }
    if (aggregator == Aggregator.JUDGE) {
      add(PlannedCall.of(target(recipe.judge()), "judge", withAnswers, judgeCap), step);
      return judgeCap;
    }
    // A ranked run with a single answer returns it without asking the ranker.
    if (aggregator == Aggregator.RANKED && n >= 2) {
      add(PlannedCall.of(target(recipe.judge()), "ranker", withAnswers, RANKER_OUTPUT), step);
    }
    return panelCap;
  }

  /**
   * Steps run in order; each sees the request's non-system messages, its own system prompt and
   * the earlier outputs it uses (the {@code {name}} placeholders it names, or all of them when it
   * has no system prompt).
   */
  private void pipeline() {
    long requestChars = TokenCount.chars(body.getValue("messages"), m -> !"system".equals(m.getValue("role")));
    Map<String, Long> outputs = new LinkedHashMap<>();
    for (PipelineStep step : config.pipeline().steps()) {
      long chars = requestChars;
      long prior = 0;
      if (step.system() != null) {
        chars += step.system().length();
        for (Map.Entry<String, Long> earlier : outputs.entrySet()) {
          if (step.system().contains("{" + earlier.getKey() + "}")) {
            prior += earlier.getValue();
          }
        }
      } else {
        prior = outputs.values().stream().mapToLong(Long::longValue).sum();
      }
      long input = TokenCount.tokens(chars) + prior;
      long output;
      if (step.isFuse()) {
        // A fuse step is a plain panel plus judge synthesis: no self-fusion, debate, vote or rank.
        output = fusion(input, Aggregator.JUDGE, false, step.name());
      } else {
        Target target = target(new UpstreamRef(UpstreamRef.PASS_THROUGH, 0, step.model(), step.name()));
        add(PlannedCall.of(target, "solo", input, soloCap), step.name());
        output = soloCap;
      }
      outputs.put(step.name(), output);
    }
  }

  private void add(PlannedCall call, String step) {
    calls.add(step == null ? call : call.inStep(step));
  }

  private Target target(UpstreamRef ref) {
    UpstreamConfig upstream = ref.resolve(config);
    return upstream == null ? new Target(ref.model(), null) : new Target(upstream.model(), upstream.baseUrl());
  }
}

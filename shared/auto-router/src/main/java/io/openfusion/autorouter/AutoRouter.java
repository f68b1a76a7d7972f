package io.openfusion.autorouter;

import io.openfusion.autorouter.ClassifierReply.Verdict;
import io.openfusion.shared.bus.UpstreamRef;
import io.openfusion.shared.chat.Json;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.RouterConfig;
import io.openfusion.shared.config.UpstreamConfig;
import io.openfusion.shared.telemetry.Telemetry;
import io.openfusion.shared.upstream.UpstreamClient;
import io.openfusion.shared.bus.TraceHeaders;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The Auto Router (original §3.1): decides whether a fusion-eligible request is worth fusing or one model
 * will do, judging only the latest user turn.
 *
 * <ul>
 *   <li>{@code always} / {@code never} / {@code heuristic}: rules only, no network ({@link Heuristic}).</li>
 *   <li>{@code model}: one classifier call per request, bounded by {@code classifier_timeout_seconds} and the
 *   request's own deadline. If it fails, times out or answers something unreadable, the heuristic decides
 *   (with the learned outcomes) and {@link #fallbacks()} goes up by one. Without a classifier configured,
 *   {@code model} means the heuristic.</li>
 * </ul>
 *
 * <p>Stateless apart from the fallback counter, so one instance may serve every request of a verticle.
 */
public final class AutoRouter {

  private final OutcomeStore outcomes;
  private final Heuristic heuristic;
  /** Null unless {@code mode: model} with a classifier. */
  private final Classifier classifier;
  private final long classifierTimeoutMs;
  private final AtomicLong fallbacks = new AtomicLong();
  private final Telemetry telemetry;

  public AutoRouter(OpenFusionConfig config, UpstreamClient client, OutcomeStore outcomes) {
    this(config, client, outcomes, Telemetry.withoutMetrics());
  }

  /** @param telemetry counts fallbacks and the classifier's calls (phase {@code router}) */
  public AutoRouter(OpenFusionConfig config, UpstreamClient client, OutcomeStore outcomes, Telemetry telemetry) {
    RouterConfig router = config.router();
    this.outcomes = outcomes;
    this.telemetry = telemetry;
    this.heuristic = new Heuristic(router);
    UpstreamConfig upstream = new UpstreamRef(UpstreamRef.CLASSIFIER, 0, null, Classifier.LABEL).resolve(config);
    this.classifier = RouterConfig.MODE_MODEL.equals(router.mode()) && upstream != null
      ? new Classifier(client, upstream, router.routeModels(), router.classifierMaxTokens(), telemetry)
      : null;
    this.classifierTimeoutMs = Math.max(1, router.classifierTimeout().toMillis());
  }

  /**
   * Only called for fusion-eligible requests when {@code router.enabled}. Never fails: classifier problems
   * fall back to the heuristic (counted in {@link #fallbacks()}).
   *
   * @param chatBody        the client's chat body ({@code messages} is read)
   * @param cancel          the request's cancel signal, may be null; a cancelled request is not a classifier
   *                        problem, so it falls back without being counted
   * @param requestDeadline epoch ms by which the whole request must end; 0 or less means none
   */
  public Future<RouteDecision> decide(JsonObject chatBody, Future<Void> cancel, long requestDeadline) {
    return decide(chatBody, cancel, requestDeadline, null);
  }

  /**
   * As {@link #decide(JsonObject, Future, long)}; {@code requestId} only tags the classifier call's log line.
   */
  public Future<RouteDecision> decide(JsonObject chatBody, Future<Void> cancel, long requestDeadline, String requestId) {
    return decide(chatBody, cancel, requestDeadline, requestId, null);
  }

  /**
   * As {@link #decide(JsonObject, Future, long, String)}; the classifier call's span is a child of {@code trace} (the
   * run's span; null when the node has no traces).
   */
  public Future<RouteDecision> decide(JsonObject chatBody, Future<Void> cancel, long requestDeadline, String requestId,
                                      TraceHeaders trace) {
    String text = latestUserText(Json.array(chatBody, "messages"));
    Tier tier = tier(text);
    if (classifier == null || text.isBlank() || isCancelled(cancel)) {
      // nothing to ask (or nobody to ask): no call, no fallback
      return Future.succeededFuture(heuristic.decide(text, tier, outcomes));
    }
    long deadline = classifierDeadline(System.currentTimeMillis(), requestDeadline);
    return Future.succeededFuture()
      // compose, so even a synchronous throw while building the call becomes a fallback
      .compose(v -> classifier.classify(text, cancel, deadline, requestId, trace))
      .map(verdict -> fromVerdict(verdict, tier))
      .otherwise(failure -> null)
      .map(decision -> decision != null ? decision : fallback(text, tier, cancel));
  }

  /** @return how many times the classifier path fell back to the heuristic (for metrics) */
  public long fallbacks() {
    return fallbacks.get();
  }

  /** How hard a prompt looks ({@link PromptTier}, with whole-word matching). */
  public static Tier tier(String userText) {
    return PromptTier.of(userText);
  }

  /** The latest user turn's text (string content, or the text parts of a content array); "" if none. */
  public static String latestUserText(JsonArray messages) {
    return PromptText.latestUserText(messages);
  }

  long classifierDeadline(long now, long requestDeadline) {
    long own = now + classifierTimeoutMs;
    return requestDeadline > 0 ? Math.min(own, requestDeadline) : own;
  }

  /** @return the decision the classifier's verdict stands for, or null when it has to fall back */
  private RouteDecision fromVerdict(Verdict verdict, Tier tier) {
    return switch (verdict.kind()) {
      case FUSE -> RouteDecision.fuse(tier, RouteDecision.REASON_CLASSIFIER_FUSE);
      case SOLO -> heuristic.solo(tier, RouteDecision.REASON_CLASSIFIER_SOLO);
      case MODEL -> RouteDecision.solo(tier, heuristic.models().ref(verdict.modelIndex()),
        RouteDecision.REASON_CLASSIFIER_MODEL);
      case UNRECOGNISED -> null;
    };
  }

  private RouteDecision fallback(String text, Tier tier, Future<Void> cancel) {
    if (!isCancelled(cancel)) {
      fallbacks.incrementAndGet();
      telemetry.routerFallback();
    }
    // the fallback keeps the learned outcomes: a broken classifier should not forget what routing learned
    return heuristic.decide(text, tier, outcomes).withReason(RouteDecision.REASON_FALLBACK);
  }

  private static boolean isCancelled(Future<Void> cancel) {
    return cancel != null && cancel.isComplete();
  }
}

package io.openfusion.autorouter;

import io.openfusion.shared.bus.UpstreamRef;

/**
 * What the Auto Router decided for one request.
 *
 * @param fuse       true to run the fusion recipe, false to answer with one model
 * @param tier       the prompt's tier; also the key the request's outcome is recorded under
 * @param soloTarget for SOLO only: null = use the default pass-through model; else the route model to call
 *                   ({@link UpstreamRef#ROUTE}). Always null when {@code fuse}
 * @param reason     why, for logs and debugging: one of the {@code REASON_*} constants
 */
public record RouteDecision(boolean fuse, Tier tier, UpstreamRef soloTarget, String reason) {

  public static final String REASON_CODE_FENCE = "heuristic:code_fence";
  public static final String REASON_KEYWORD = "heuristic:keyword";
  public static final String REASON_LENGTH = "heuristic:length";
  public static final String REASON_LEARNED = "heuristic:learned";
  public static final String REASON_SHORT = "heuristic:short";
  public static final String REASON_ALWAYS = "mode:always";
  public static final String REASON_NEVER = "mode:never";
  public static final String REASON_CLASSIFIER_FUSE = "classifier:fuse";
  public static final String REASON_CLASSIFIER_SOLO = "classifier:solo";
  public static final String REASON_CLASSIFIER_MODEL = "classifier:model";
  /** The classifier failed, timed out or gave an unusable reply; the heuristic decided instead. */
  public static final String REASON_FALLBACK = "fallback";

  public static RouteDecision fuse(Tier tier, String reason) {
    return new RouteDecision(true, tier, null, reason);
  }

  public static RouteDecision solo(Tier tier, UpstreamRef target, String reason) {
    return new RouteDecision(false, tier, target, reason);
  }

  /** @return {@link OutcomeStore#FUSION} or {@link OutcomeStore#PASS_THROUGH}, the route to record the outcome under */
  public String route() {
    return fuse ? OutcomeStore.FUSION : OutcomeStore.PASS_THROUGH;
  }

  /** Same decision with another reason (the heuristic's verdict re-labelled as a classifier fallback). */
  public RouteDecision withReason(String reason) {
    return new RouteDecision(fuse, tier, soloTarget, reason);
  }
}

package io.openfusion.autorouter;

import io.openfusion.autorouter.ClassifierReply.Verdict;
import io.openfusion.shared.bus.TraceHeaders;
import io.openfusion.shared.config.RouteModel;
import io.openfusion.shared.config.UpstreamConfig;
import io.openfusion.shared.telemetry.Phase;
import io.openfusion.shared.telemetry.Telemetry;
import io.openfusion.shared.upstream.UpstreamCall;
import io.openfusion.shared.upstream.UpstreamClient;
import io.vertx.core.Future;

import java.util.List;

/**
 * Asks the configured classifier model how to route one prompt: exactly one non-streamed call. With route
 * models it asks for FUSE or a model id, without them for FUSE or SOLO. Fails when the call fails; an
 * unreadable answer is {@link Verdict#unrecognised()}.
 */
final class Classifier {

  /** Label of classifier calls in upstream logs and metrics. */
  static final String LABEL = "router";

  private final UpstreamClient client;
  private final UpstreamConfig upstream;
  private final List<RouteModel> models;
  private final String systemPrompt;
  private final int maxTokens;
  private final Telemetry telemetry;

  /**
   * @param upstream            the classifier endpoint
   * @param models              the route models, empty for the FUSE/SOLO prompt
   * @param classifierMaxTokens the configured output cap ({@code classifier_max_tokens})
   * @param telemetry           where the call is counted and logged (phase {@code router})
   */
  Classifier(UpstreamClient client, UpstreamConfig upstream, List<RouteModel> models, int classifierMaxTokens,
             Telemetry telemetry) {
    this.client = client;
    this.telemetry = telemetry;
    this.upstream = upstream;
    this.models = List.copyOf(models);
    this.systemPrompt = models.isEmpty() ? ClassifierPrompts.FUSE_OR_SOLO : ClassifierPrompts.modelPick(models);
    // a model id needs more room than one word; a larger configured cap is still honoured
    this.maxTokens = models.isEmpty()
      ? classifierMaxTokens
      : Math.max(ClassifierPrompts.MODEL_PICK_MAX_TOKENS, classifierMaxTokens);
  }

  /**
   * @param userText the latest user turn (truncated here)
   * @param cancel   the request's cancel signal: aborts the call
   * @param deadline epoch ms by which the call must be over
   * @param requestId the client request being routed, for the upstream log line (may be null)
   * @param trace     the run's span, the parent of the call's (null when the node has no traces)
   */
  Future<Verdict> classify(String userText, Future<Void> cancel, long deadline, String requestId, TraceHeaders trace) {
    UpstreamCall call = new UpstreamCall(upstream.baseUrl(), upstream.apiKey(),
      ClassifierPrompts.body(upstream.model(), systemPrompt, userText, maxTokens), deadline, cancel, LABEL,
      upstream.provider());
    return telemetry.complete(client, call, Phase.ROUTER, requestId, trace)
      .map(ClassifierReply::content)
      .map(reply -> models.isEmpty() ? ClassifierReply.fuseOrSolo(reply) : ClassifierReply.modelPick(reply, models));
  }
}

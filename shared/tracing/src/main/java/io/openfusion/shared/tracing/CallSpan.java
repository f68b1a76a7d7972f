package io.openfusion.shared.tracing;

import io.openfusion.shared.bus.TraceHeaders;
import io.openfusion.shared.chat.Json;
import io.openfusion.shared.chat.Usages;
import io.openfusion.shared.sse.DeltaContent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The span of one upstream HTTP call (a panel member, a debate revision, the judge, the ranker, the classifier, a
 * pipeline step, a pass-through), in the GenAI conventions' shape: {@code chat <model>}, kind CLIENT, its tokens, its
 * finish reasons and how it ended. Its {@link #headers()} go upstream as the request's {@code traceparent}, so a
 * provider or gateway that traces joins the same trace. Text is recorded only with {@code telemetry.capture_content}.
 * One call's handlers run on one event loop; {@link #end} counts once.
 */
public final class CallSpan {

  private final Span span;
  private final TraceHeaders headers;
  private final boolean capture;
  private final AtomicBoolean ended = new AtomicBoolean();
  private boolean sawChunk;
  /** The streamed answer's text, kept only while capturing content. */
  private StringBuilder text;
  private String finishReason;

  CallSpan(Span span, boolean capture) {
    this.span = span;
    this.headers = W3c.headers(span.getSpanContext());
    this.capture = capture;
  }

  /** @return the headers that make the upstream's own spans children of this one (sampled or not, as this span is) */
  public TraceHeaders headers() {
    return headers;
  }

  public String traceId() {
    return span.getSpanContext().getTraceId();
  }

  public String spanId() {
    return span.getSpanContext().getSpanId();
  }

  /** One data payload of a streamed call: the first names the model that answers; the text is kept when capturing. */
  public void chunk(String data) {
    if (!sawChunk) {
      sawChunk = true;
      try {
        JsonObject first = new JsonObject(data);
        Spans.putString(span, Keys.RESPONSE_MODEL, first.getValue("model"));
        Spans.putString(span, Keys.RESPONSE_ID, first.getValue("id"));
      } catch (DecodeException | ClassCastException malformed) {
        // the upstream client reports malformed payloads itself; the span just goes without the model
      }
    }
    if (capture) {
      String delta = DeltaContent.of(data);
      if (delta != null) {
        (text == null ? text = new StringBuilder() : text).append(delta);
      }
    }
  }

  /** A streamed call finished whole: why it stopped. */
  public void streamed(String finishReason) {
    this.finishReason = finishReason;
    if (finishReason != null) {
      span.setAttribute(Keys.FINISH_REASONS, List.of(finishReason));
    }
    if (capture) {
      span.setAttribute(Keys.OUTPUT_MESSAGES, Content.output(text == null ? "" : text.toString(), finishReason));
    }
  }

  /** A non-streamed call answered: the model that answered, every choice's finish reason, the text when capturing. */
  public void completed(JsonObject response) {
    if (response == null) {
      return;
    }
    Spans.putString(span, Keys.RESPONSE_MODEL, response.getValue("model"));
    Spans.putString(span, Keys.RESPONSE_ID, response.getValue("id"));
    JsonArray choices = Json.array(response, "choices");
    if (choices == null) {
      return;
    }
    List<String> reasons = new ArrayList<>();
    for (Object item : choices) {
      if (item instanceof JsonObject choice && choice.getValue("finish_reason") instanceof String reason) {
        reasons.add(reason);
      }
    }
    if (!reasons.isEmpty()) {
      span.setAttribute(Keys.FINISH_REASONS, reasons);
      finishReason = reasons.get(0);
    }
    if (capture && choices.getValue(0) instanceof JsonObject first) {
      JsonObject message = Json.object(first, "message");
      span.setAttribute(Keys.OUTPUT_MESSAGES,
        Content.output(message == null ? "" : Json.text(message.getValue("content")), finishReason));
    }
  }

  /**
   * Ends the span, once.
   *
   * @param status    the upstream's HTTP status, or null when none came
   * @param errorKind the failure kind ({@code http_status}, {@code timeout}, ...), null on success
   * @param outcome   {@code success}, {@code error} or {@code cancelled}
   * @param chunks    data payloads received (streams), or null
   * @param usage     the upstream's usage, or null
   */
  public void end(Integer status, String errorKind, String outcome, Integer chunks, JsonObject usage) {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    span.setAttribute(Keys.OUTCOME, outcome);
    if (status != null) {
      span.setAttribute(Keys.HTTP_STATUS, status.longValue());
    }
    if (chunks != null) {
      span.setAttribute(Keys.CHUNKS, chunks.longValue());
    }
    JsonObject counts = Usages.fromJson(usage);
    if (counts != null) {
      Spans.putLong(span, Keys.INPUT_TOKENS, counts.getValue(Usages.PROMPT));
      Spans.putLong(span, Keys.OUTPUT_TOKENS, counts.getValue(Usages.COMPLETION));
      Spans.putDouble(span, Keys.COST, counts.getValue(Usages.COST));
      if (counts.getValue(Usages.COMPLETION_DETAILS) instanceof JsonObject details) {
        Spans.putLong(span, Keys.REASONING_TOKENS, details.getValue(Usages.REASONING));
      }
      if (counts.getValue(Usages.PROMPT_DETAILS) instanceof JsonObject details) {
        Spans.putLong(span, Keys.CACHED_TOKENS, details.getValue(Usages.CACHED));
      }
    }
    if (errorKind != null) {
      span.setAttribute(Keys.ERROR_KIND, errorKind);
    }
    if ("error".equals(outcome)) {
      // the conventions' error.type: the status a provider answered with, else the kind of failure
      span.setAttribute(Keys.ERROR_TYPE, status != null ? status.toString() : errorKind == null ? "other" : errorKind);
      span.setStatus(StatusCode.ERROR);
    }
    span.end();
  }
}

package io.openfusion.shared.upstream.anthropic;

import io.openfusion.shared.upstream.UpstreamException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates the events of one Anthropic Messages stream into OpenAI {@code chat.completion.chunk}s. Stateful: create
 * one per stream and feed it every event in order, on one thread.
 * <ul>
 *   <li>{@code message_start} yields nothing but fixes the id and model of every chunk, and the prompt tokens;</li>
 *   <li>text deltas become content deltas, tool_use blocks become {@code tool_calls} deltas (id and name first,
 *       then argument fragments) numbered 0, 1, ... in the order the tools appear;</li>
 *   <li>thinking deltas become {@code reasoning_content} deltas (the field many OpenAI clients read reasoning from),
 *       never content; signatures, redacted thinking and server-tool blocks ({@code server_tool_use},
 *       {@code web_search_tool_result}, ...) yield nothing, since the caller cannot act on them;</li>
 *   <li>{@code message_delta} yields the finish-reason chunk and then a usage chunk ({@code choices: []}, as OpenAI's
 *       {@code include_usage}) combining the prompt tokens of {@code message_start} with the completion tokens;</li>
 *   <li>{@code message_stop} ends the stream ({@link #finished()}), like OpenAI's {@code [DONE]};</li>
 *   <li>an {@code error} event throws; pings, block stops and unknown events yield nothing.</li>
 * </ul>
 * The first chunk emitted carries {@code role: assistant}, as OpenAI's does.
 */
public final class AnthropicStream {

  /** Where thinking goes in an OpenAI delta or message. */
  static final String REASONING = "reasoning_content";

  private final long created;
  private final AnthropicUsage usage = new AnthropicUsage();
  /** Anthropic content-block index to OpenAI tool-call index. */
  private final Map<Integer, Integer> toolIndex = new HashMap<>();
  private String id;
  private String model = "";
  private boolean roleSent;
  private boolean generating;
  private boolean finished;

  /** @param createdSeconds the {@code created} of every chunk (Anthropic sends none) */
  public AnthropicStream(long createdSeconds) {
    this.created = createdSeconds;
  }

  /**
   * @param event one parsed event payload; its {@code type} names the event
   * @return the chunks to hand on, in order; often none
   * @throws UpstreamException for an {@code error} event
   */
  public List<JsonObject> translate(JsonObject event) {
    Object type = event.getValue("type");
    if (!(type instanceof String t)) {
      return List.of();
    }
    return switch (t) {
      case "message_start" -> messageStart(event.getValue("message"));
      case "content_block_start" -> blockStart(event);
      case "content_block_delta" -> blockDelta(event);
      case "message_delta" -> messageDelta(event);
      case "message_stop" -> {
        finished = true;
        yield List.of();
      }
      case "error" -> throw AnthropicErrors.fromEvent(event);
      default -> List.of();
    };
  }

  /** @return whether {@code message_stop} has been seen */
  public boolean finished() {
    return finished;
  }

  /**
   * @return whether the model has started producing content blocks, visible or not (thinking blocks emit no chunk
   *     but show the upstream is alive)
   */
  public boolean generating() {
    return generating;
  }

  /** @return the usage so far in OpenAI shape, or {@code null} when none was reported */
  public JsonObject usage() {
    return usage.toOpenAi();
  }

  private List<JsonObject> messageStart(Object message) {
    if (message instanceof JsonObject m) {
      if (m.getValue("id") instanceof String s && !s.isBlank()) {
        id = s;
      }
      if (m.getValue("model") instanceof String s) {
        model = s;
      }
      usage.update(m.getValue("usage"));
    }
    return List.of();
  }

  private List<JsonObject> blockStart(JsonObject event) {
    generating = true;
    if (!(event.getValue("content_block") instanceof JsonObject block)) {
      return List.of();
    }
    Object type = block.getValue("type");
    if ("text".equals(type) && block.getValue("text") instanceof String text && !text.isEmpty()) {
      return List.of(choiceChunk(new JsonObject().put("content", text), null));
    }
    if ("thinking".equals(type) && block.getValue("thinking") instanceof String thinking && !thinking.isEmpty()) {
      return List.of(choiceChunk(new JsonObject().put(REASONING, thinking), null));
    }
    if ("tool_use".equals(type) && event.getValue("index") instanceof Number index) {
      int n = toolIndex.size();
      toolIndex.put(index.intValue(), n);
      JsonObject call = new JsonObject()
          .put("index", n)
          .put("id", block.getValue("id") instanceof String s ? s : "")
          .put("type", "function")
          .put("function", new JsonObject()
              .put("name", block.getValue("name") instanceof String s ? s : "")
              .put("arguments", ""));
      return List.of(choiceChunk(new JsonObject().put("tool_calls", new JsonArray().add(call)), null));
    }
    return List.of();
  }

  private List<JsonObject> blockDelta(JsonObject event) {
    generating = true;
    if (!(event.getValue("delta") instanceof JsonObject delta)) {
      return List.of();
    }
    Object type = delta.getValue("type");
    if ("text_delta".equals(type) && delta.getValue("text") instanceof String text && !text.isEmpty()) {
      return List.of(choiceChunk(new JsonObject().put("content", text), null));
    }
    if ("thinking_delta".equals(type) && delta.getValue("thinking") instanceof String thinking && !thinking.isEmpty()) {
      return List.of(choiceChunk(new JsonObject().put(REASONING, thinking), null));
    }
    if ("input_json_delta".equals(type) && delta.getValue("partial_json") instanceof String json && !json.isEmpty()
        && event.getValue("index") instanceof Number index && toolIndex.containsKey(index.intValue())) {
      JsonObject call = new JsonObject()
          .put("index", toolIndex.get(index.intValue()))
          .put("function", new JsonObject().put("arguments", json));
      return List.of(choiceChunk(new JsonObject().put("tool_calls", new JsonArray().add(call)), null));
    }
    return List.of();
  }

  private List<JsonObject> messageDelta(JsonObject event) {
    usage.update(event.getValue("usage"));
    List<JsonObject> out = new ArrayList<>(2);
    String finish = event.getValue("delta") instanceof JsonObject d ? StopReasons.toFinishReason(d.getValue("stop_reason"))
        : null;
    if (finish != null) {
      out.add(choiceChunk(new JsonObject(), finish));
    }
    JsonObject u = usage.toOpenAi();
    if (u != null) {
      out.add(base().put("choices", new JsonArray()).put("usage", u));
    }
    return out;
  }

  private JsonObject choiceChunk(JsonObject delta, String finishReason) {
    JsonObject d = delta;
    if (!roleSent) {
      roleSent = true;
      d = new JsonObject().put("role", "assistant").mergeIn(delta);
    }
    return base().put("choices", new JsonArray().add(new JsonObject()
        .put("index", 0)
        .put("delta", d)
        .put("finish_reason", finishReason)));
  }

  private JsonObject base() {
    if (id == null) {
      id = AnthropicResponses.id(null);
    }
    return new JsonObject()
        .put("id", id)
        .put("object", "chat.completion.chunk")
        .put("created", created)
        .put("model", model);
  }
}

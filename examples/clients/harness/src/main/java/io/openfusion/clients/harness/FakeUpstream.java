package io.openfusion.clients.harness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI-compatible provider on loopback, shaped like api.openai.com: {@code POST /v1/chat/completions} answers
 * with a {@code chat.completion}, or when {@code stream} is true with {@code chat.completion.chunk} frames (a role
 * chunk, content chunks, a finish chunk, the usage chunk only when {@code stream_options.include_usage} is set) and
 * {@code data: [DONE]}. What it answers comes from {@link Script}: text, or, when the request offers function tools,
 * a tool call ({@code finish_reason: "tool_calls"}, its arguments streamed in pieces), and after a tool message
 * answering that call, text that quotes the tool's output. A tool message answering no call of this fake gets the
 * 400 OpenAI sends. Every call is recorded.
 */
public final class FakeUpstream implements AutoCloseable {

  /** The upstream key openfusion must present; a different one gets the 401 OpenAI sends. */
  static final String KEY = "sk-fake-upstream";

  // top-level request fields; the same text inside a message is a JSON string with escaped quotes, so it never matches
  private static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"([^\"]*)\"");
  private static final Pattern STREAM = Pattern.compile("\"stream\"\\s*:\\s*true");
  private static final Pattern INCLUDE_USAGE = Pattern.compile("\"include_usage\"\\s*:\\s*true");
  private static final Pattern TOOLS = Pattern.compile("\"tools\"\\s*:\\s*\\[");
  /** A JSON string literal, escapes included; possessive, so long texts cost no backtracking. */
  private static final String STRING = "\"(?:[^\"\\\\]++|\\\\.)*+\"";
  /** A JSON object with no object inside it, as a chat tool message is. */
  private static final Pattern FLAT_OBJECT = Pattern.compile("\\{(?:[^{}\"]++|" + STRING + ")*+\\}");
  private static final Pattern STRING_FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*(" + STRING + ")");
  private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*(" + STRING + ")");

  private final HttpServer server;
  private final ExecutorService workers;
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger();

  /** One request openfusion made. */
  public record Call(String model, boolean stream, boolean includeUsage, String body) {
  }

  /** What a call is answered with: text in pieces, or a call of the tool {@code toolName}. */
  private record Answer(List<String> pieces, String toolName) {

    static Answer text(List<String> pieces) {
      return new Answer(pieces, null);
    }

    static Answer toolCall(String name) {
      return new Answer(Script.TOOL_ARGUMENT_PIECES, name);
    }

    boolean isToolCall() {
      return toolName != null;
    }
  }

  private FakeUpstream(HttpServer server, ExecutorService workers) {
    this.server = server;
    this.workers = workers;
  }

  static FakeUpstream start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    ExecutorService workers = Executors.newFixedThreadPool(8, task -> {
      Thread thread = new Thread(task, "fake-upstream");
      thread.setDaemon(true);
      return thread;
    });
    FakeUpstream upstream = new FakeUpstream(server, workers);
    server.createContext("/", upstream::handle);
    server.setExecutor(workers);
    server.start();
    return upstream;
  }

  /** {@code http://127.0.0.1:<port>/v1} */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** Every call so far, oldest first. */
  public List<Call> calls() {
    return new ArrayList<>(calls);
  }

  /** The calls so far for {@code model}. */
  public List<Call> callsFor(String model) {
    return calls.stream().filter(call -> call.model().equals(model)).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      if (!"POST".equals(exchange.getRequestMethod()) || !"/v1/chat/completions".equals(exchange.getRequestURI().getPath())) {
        send(exchange, 404, "application/json", error("Unknown request URL", "invalid_request_error", "unknown_url"));
        return;
      }
      if (!("Bearer " + KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        send(exchange, 401, "application/json", error("Incorrect API key provided", "invalid_request_error", "invalid_api_key"));
        return;
      }
      Matcher model = MODEL.matcher(body);
      if (!model.find()) {
        send(exchange, 400, "application/json", error("you must provide a model parameter", "invalid_request_error", null));
        return;
      }
      Call call = new Call(model.group(1), STREAM.matcher(body).find(), INCLUDE_USAGE.matcher(body).find(), body);
      calls.add(call);
      Answer answer = answer(call);
      if (answer == null) {
        send(exchange, 400, "application/json", error("Invalid parameter: messages with role 'tool' must be a response "
          + "to a preceding message with 'tool_calls' (this fake only answers a result for " + Script.TOOL_CALL_ID
          + ", and tools must name a function).", "invalid_request_error", null));
        return;
      }
      String id = "chatcmpl-fake" + ids.incrementAndGet();
      if (call.stream()) {
        stream(exchange, id, call, answer);
      } else {
        send(exchange, 200, "application/json", completion(id, call.model(), answer));
      }
    }
  }

  /** @return the answer the script gives this call, or null for a request a provider would refuse */
  private static Answer answer(Call call) {
    String toolMessage = toolMessage(call.body());
    if (toolMessage != null) {
      // the result must answer the call this fake made, and that call must be in the history before it
      Map<String, String> fields = stringFields(toolMessage);
      boolean answersOurCall = Script.TOOL_CALL_ID.equals(fields.get("tool_call_id"))
        && Pattern.compile("\"id\"\\s*:\\s*\"" + Script.TOOL_CALL_ID + "\"").matcher(call.body()).find();
      return answersOurCall && fields.containsKey("content")
        ? Answer.text(List.of(Script.TOOL_ANSWER_PREFIX, fields.get("content"))) : null;
    }
    Matcher tools = TOOLS.matcher(call.body());
    if (tools.find()) {
      Matcher name = NAME.matcher(call.body());
      return name.find(tools.end()) ? Answer.toolCall(unquote(name.group(1))) : null;
    }
    return Answer.text(Script.pieces(call.model()));
  }

  /** The request's first tool message (a chat tool message is a flat object), or null. */
  private static String toolMessage(String body) {
    Matcher object = FLAT_OBJECT.matcher(body);
    while (object.find()) {
      if ("tool".equals(stringFields(object.group()).get("role"))) {
        return object.group();
      }
    }
    return null;
  }

  private static Map<String, String> stringFields(String flatObject) {
    Map<String, String> fields = new HashMap<>();
    Matcher field = STRING_FIELD.matcher(flatObject);
    while (field.find()) {
      fields.putIfAbsent(field.group(1), unquote(field.group(2)));
    }
    return fields;
  }

  /** The text of a JSON string literal. */
  private static String unquote(String literal) {
    StringBuilder text = new StringBuilder(literal.length());
    for (int i = 1; i < literal.length() - 1; i++) {
      char c = literal.charAt(i);
      if (c != '\\') {
        text.append(c);
        continue;
      }
      char escaped = literal.charAt(++i);
      switch (escaped) {
        case 'n' -> text.append('\n');
        case 'r' -> text.append('\r');
        case 't' -> text.append('\t');
        case 'b' -> text.append('\b');
        case 'f' -> text.append('\f');
        case 'u' -> {
          text.append((char) Integer.parseInt(literal.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> text.append(escaped);
      }
    }
    return text.toString();
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /** Frame by frame, flushed, as a provider streams. */
  private static void stream(HttpExchange exchange, String id, Call call, Answer answer) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    // with include_usage a provider sends "usage": null on every chunk but the last
    String usageNull = call.includeUsage() ? ",\"usage\":null" : "";
    if (answer.isToolCall()) {
      // the first chunk names the call, the next ones carry its arguments, each with the call's index only
      frame(out, chunk(id, call.model(), "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":"
        + quote(Script.TOOL_CALL_ID) + ",\"type\":\"function\",\"function\":{\"name\":" + quote(answer.toolName())
        + ",\"arguments\":\"\"}}],\"refusal\":null}", null, usageNull));
      for (String piece : answer.pieces()) {
        frame(out, chunk(id, call.model(), "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":" + quote(piece)
          + "}}]}", null, usageNull));
      }
    } else {
      frame(out, chunk(id, call.model(), "{\"role\":\"assistant\",\"content\":\"\"}", null, usageNull));
      for (String piece : answer.pieces()) {
        frame(out, chunk(id, call.model(), "{\"content\":" + quote(piece) + "}", null, usageNull));
      }
    }
    frame(out, chunk(id, call.model(), "{}", finishReason(answer), usageNull));
    if (call.includeUsage()) {
      frame(out, "{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":" + now() + ",\"model\":"
        + quote(call.model()) + ",\"system_fingerprint\":\"fp_fake\",\"choices\":[],\"usage\":" + usage(call.model()) + "}");
    }
    frame(out, "[DONE]");
  }

  private static void frame(OutputStream out, String data) throws IOException {
    out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String chunk(String id, String model, String delta, String finish, String usageNull) {
    return "{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":" + now() + ",\"model\":" + quote(model)
      + ",\"system_fingerprint\":\"fp_fake\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":"
      + (finish == null ? "null" : quote(finish)) + "}]" + usageNull + "}";
  }

  private static String completion(String id, String model, Answer answer) {
    String text = String.join("", answer.pieces());
    String message = answer.isToolCall()
      ? "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":" + quote(Script.TOOL_CALL_ID)
        + ",\"type\":\"function\",\"function\":{\"name\":" + quote(answer.toolName()) + ",\"arguments\":" + quote(text)
        + "}}],\"refusal\":null}"
      : "{\"role\":\"assistant\",\"content\":" + quote(text) + ",\"refusal\":null}";
    return "{\"id\":\"" + id + "\",\"object\":\"chat.completion\",\"created\":" + now() + ",\"model\":" + quote(model)
      + ",\"system_fingerprint\":\"fp_fake\",\"choices\":[{\"index\":0,\"message\":" + message
      + ",\"logprobs\":null,\"finish_reason\":" + quote(finishReason(answer)) + "}],\"usage\":" + usage(model) + "}";
  }

  private static String finishReason(Answer answer) {
    return answer.isToolCall() ? "tool_calls" : "stop";
  }

  private static String usage(String model) {
    Script.Usage usage = Script.usage(model);
    return "{\"prompt_tokens\":" + usage.prompt() + ",\"completion_tokens\":" + usage.completion() + ",\"total_tokens\":"
      + usage.total() + ",\"prompt_tokens_details\":{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}";
  }

  private static String error(String message, String type, String code) {
    return "{\"error\":{\"message\":" + quote(message) + ",\"type\":" + quote(type) + ",\"param\":null,\"code\":"
      + (code == null ? "null" : quote(code)) + "}}";
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }

  /** A JSON string literal; the scripted texts are plain, but keep the escaping honest anyway. */
  static String quote(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 2).append('"');
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}

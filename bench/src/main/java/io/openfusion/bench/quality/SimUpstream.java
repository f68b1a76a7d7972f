package io.openfusion.bench.quality;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Simulated models for the offline check: an OpenAI-compatible server on loopback that knows every task's answer.
 * <ul>
 *   <li>a <b>member</b> (any model but the ones below) answers a task correctly with probability {@code p}, drawn
 *       from a seeded hash of (seed, model, request {@code seed}, task), so members err independently of each other
 *       and a rerun gives the same answers; a wrong answer is one shared wrong value ({@code shared}) or a
 *       member-specific one ({@code distinct});</li>
 *   <li>in a <b>debate revision</b> a member adopts the most common answer among its own and its peers' (own first on
 *       ties);</li>
 *   <li>{@value #JUDGE} as the synthesizer returns the most common panel answer (first listed on ties), and as the
 *       ranker the number of that answer;</li>
 *   <li>{@value #PAIRWISE} prefers the correct answer (TIE when both or neither are);</li>
 *   <li>{@value #GRADER} answers YES when the candidate contains the reference.</li>
 * </ul>
 * Usage carries made-up per-token prices so cost per correct answer can be checked by hand.
 */
public final class SimUpstream {

  public static final String JUDGE = "sim/judge";
  public static final String PAIRWISE = "sim/pairwise";
  public static final String GRADER = "sim/grader";

  /** How wrong members answer. */
  public enum Wrong { SHARED, DISTINCT }

  private static final Pattern JUDGE_ANSWER = Pattern.compile("(?m)^### Answer \\d+\\n");
  private static final Pattern RANKER_CANDIDATE = Pattern.compile("(?m)^\\[(\\d+)] ");
  private static final Pattern DEBATE_PEER = Pattern.compile("(?m)^### Expert \\d+\\n");

  private final Vertx vertx;
  private final double p;
  private final long seed;
  private final Wrong wrong;
  private final Map<String, Task> byPrompt = new LinkedHashMap<>();
  private HttpServer server;

  private SimUpstream(Vertx vertx, List<Task> tasks, double p, long seed, Wrong wrong) {
    this.vertx = vertx;
    this.p = p;
    this.seed = seed;
    this.wrong = wrong;
    tasks.forEach(t -> byPrompt.put(t.prompt(), t));
  }

  public static Future<SimUpstream> start(Vertx vertx, List<Task> tasks, double p, long seed, Wrong wrong) {
    SimUpstream sim = new SimUpstream(vertx, tasks, p, seed, wrong);
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
      .requestHandler(sim::handle)
      .listen()
      .map(s -> {
        sim.server = s;
        return sim;
      });
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1";
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest request) {
    if (!request.path().endsWith("/chat/completions")) {
      request.response().setStatusCode(404).end();
      return;
    }
    request.body().onSuccess(body -> {
      JsonObject req;
      try {
        req = body.toJsonObject();
      } catch (RuntimeException e) {
        request.response().setStatusCode(400).end();
        return;
      }
      String model = req.getString("model", "sim/unknown");
      String user = lastUser(req.getJsonArray("messages", new JsonArray()));
      String answer;
      try {
        answer = reply(model, user, req);
      } catch (RuntimeException e) {
        request.response().setStatusCode(400).putHeader("content-type", "application/json")
          .end(new JsonObject().put("error", new JsonObject().put("message", e.getMessage())
            .put("type", "invalid_request_error").put("code", "sim_error")).encode());
        return;
      }
      int promptTokens = Math.max(1, body.length() / 4);
      int completionTokens = Math.max(1, answer.length() / 4 + 1);
      JsonObject usage = new JsonObject().put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens).put("cost", cost(model, promptTokens, completionTokens));
      if (req.getBoolean("stream", false)) {
        stream(request, model, answer, usage, req);
      } else {
        JsonObject message = new JsonObject().put("role", "assistant").put("content", answer);
        request.response().putHeader("content-type", "application/json").end(new JsonObject()
          .put("id", "chatcmpl-sim").put("object", "chat.completion").put("created", 1_700_000_000L).put("model", model)
          .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("message", message)
            .put("finish_reason", "stop")))
          .put("usage", usage).encode());
      }
    });
  }

  private static void stream(HttpServerRequest request, String model, String answer, JsonObject usage, JsonObject req) {
    JsonObject base = new JsonObject().put("id", "chatcmpl-sim").put("object", "chat.completion.chunk")
      .put("created", 1_700_000_000L).put("model", model);
    Buffer out = Buffer.buffer();
    out.appendString("data: " + base.copy().put("choices", new JsonArray().add(new JsonObject().put("index", 0)
      .put("delta", new JsonObject().put("role", "assistant").put("content", answer)).putNull("finish_reason"))).encode() + "\n\n");
    out.appendString("data: " + base.copy().put("choices", new JsonArray().add(new JsonObject().put("index", 0)
      .put("delta", new JsonObject()).put("finish_reason", "stop"))).encode() + "\n\n");
    JsonObject options = req.getJsonObject("stream_options");
    if (options != null && options.getBoolean("include_usage", false)) {
      out.appendString("data: " + base.copy().put("choices", new JsonArray()).put("usage", usage).encode() + "\n\n");
    }
    out.appendString("data: [DONE]\n\n");
    request.response().putHeader("content-type", "text/event-stream").end(out);
  }

  static double cost(String model, int prompt, int completion) {
    boolean big = JUDGE.equals(model) || PAIRWISE.equals(model) || GRADER.equals(model);
    return big ? prompt * 0.0000003 + completion * 0.0000012 : prompt * 0.0000001 + completion * 0.0000004;
  }

  private String reply(String model, String user, JsonObject req) {
    switch (model) {
      case JUDGE -> {
        if (user.contains("Candidate answers:")) {
          return Integer.toString(rank(user));
        }
        return plurality(split(user, JUDGE_ANSWER, "Panel answers:"));
      }
      case PAIRWISE -> {
        return pairwise(user);
      }
      case GRADER -> {
        Task t = find(user);
        String candidate = between(user, "Candidate answer:\n", "\n\nReference answer:");
        return Scoring.normalize(candidate).contains(Scoring.normalize(t.answer())) ? "YES" : "NO";
      }
      default -> {
        if (user.contains("Other experts' answers:")) {
          String own = between(user, "Your previous answer:\n", "\n\nOther experts' answers:");
          List<String> all = new ArrayList<>();
          all.add(own);
          all.addAll(split(user, DEBATE_PEER, "Other experts' answers:"));
          return plurality(all);
        }
        Task t = byPrompt.get(user);
        if (t == null) {
          t = find(user);
        }
        return memberAnswer(model, req.getValue("seed"), t);
      }
    }
  }

  /** Deterministic per (seed, model, request seed, task): the same member gives the same answer on a rerun. */
  String memberAnswer(String model, Object requestSeed, Task task) {
    long h = mix(seed, model.hashCode());
    h = mix(h, Objects.hashCode(requestSeed == null ? null : requestSeed.toString()));
    h = mix(h, task.id().hashCode());
    SplittableRandom r = new SplittableRandom(h);
    if (r.nextDouble() < p) {
      return task.answer();
    }
    return wrongAnswer(task, wrong == Wrong.SHARED ? 0 : 1 + r.nextInt(1_000_000));
  }

  static String wrongAnswer(Task task, int variant) {
    Double n = Scoring.lastNumber(task.answer());
    if (n != null && task.scoring() == Scoring.Method.NUMERIC) {
      long base = Math.round(n);
      return Long.toString(base + 1 + variant);
    }
    return variant == 0 ? "I am not sure." : "I am not sure (" + variant + ").";
  }

  private static long mix(long h, long v) {
    long x = h ^ (v + 0x9E3779B97F4A7C15L + (h << 6) + (h >>> 2));
    x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
    x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
    return x ^ (x >>> 31);
  }

  private String pairwise(String user) {
    Task t = find(user);
    String a = between(user, "Answer A:\n", "\n\nAnswer B:\n");
    String b = between(user, "Answer B:\n", "\n\nWhich answer is better?");
    boolean okA = correct(t, a);
    boolean okB = correct(t, b);
    return okA == okB ? "TIE" : okA ? "A" : "B";
  }

  private static boolean correct(Task t, String answer) {
    return t.scoring() == Scoring.Method.JUDGE
      ? Scoring.normalize(answer).contains(Scoring.normalize(t.answer()))
      : Scoring.score(t.scoring(), answer, t.answer());
  }

  private int rank(String user) {
    List<String> candidates = new ArrayList<>();
    String block = user.substring(user.indexOf("Candidate answers:") + "Candidate answers:".length());
    Matcher m = RANKER_CANDIDATE.matcher(block);
    List<Integer> starts = new ArrayList<>();
    List<Integer> bodies = new ArrayList<>();
    while (m.find()) {
      starts.add(m.start());
      bodies.add(m.end());
    }
    for (int i = 0; i < bodies.size(); i++) {
      int end = i + 1 < starts.size() ? starts.get(i + 1) : block.length();
      candidates.add(block.substring(bodies.get(i), end).strip());
    }
    String best = plurality(candidates);
    return candidates.indexOf(best) + 1;
  }

  /** The most common answer by normalised text; the earliest listed wins a tie. */
  static String plurality(List<String> answers) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    Map<String, String> first = new LinkedHashMap<>();
    for (String a : answers) {
      String k = Scoring.normalize(a);
      counts.merge(k, 1, Integer::sum);
      first.putIfAbsent(k, a.strip());
    }
    String best = null;
    int top = -1;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (e.getValue() > top) {
        top = e.getValue();
        best = e.getKey();
      }
    }
    return best == null ? "" : first.get(best);
  }

  private static List<String> split(String text, Pattern header, String after) {
    int from = text.indexOf(after);
    String block = from < 0 ? text : text.substring(from + after.length());
    Matcher m = header.matcher(block);
    List<Integer> starts = new ArrayList<>();
    List<Integer> bodies = new ArrayList<>();
    while (m.find()) {
      starts.add(m.start());
      bodies.add(m.end());
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < bodies.size(); i++) {
      int end = i + 1 < starts.size() ? starts.get(i + 1) : block.length();
      out.add(block.substring(bodies.get(i), end).strip());
    }
    return out;
  }

  private static String between(String text, String start, String end) {
    int s = text.indexOf(start);
    if (s < 0) {
      return "";
    }
    s += start.length();
    int e = text.indexOf(end, s);
    return (e < 0 ? text.substring(s) : text.substring(s, e)).strip();
  }

  /** The task whose prompt appears in the text (the longest, should one prompt contain another). */
  private Task find(String text) {
    Task best = null;
    for (Task t : byPrompt.values()) {
      if (text.contains(t.prompt()) && (best == null || t.prompt().length() > best.prompt().length())) {
        best = t;
      }
    }
    if (best == null) {
      throw new IllegalArgumentException("the simulator knows no task in this request");
    }
    return best;
  }

  private static String lastUser(JsonArray messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      Object m = messages.getValue(i);
      if (m instanceof JsonObject o && "user".equals(o.getString("role"))) {
        Object c = o.getValue("content");
        if (c instanceof String s) {
          return s;
        }
        if (c instanceof JsonArray parts) {
          StringBuilder sb = new StringBuilder();
          for (Object part : parts) {
            if (part instanceof JsonObject po && po.getString("text") != null) {
              sb.append(po.getString("text"));
            }
          }
          return sb.toString();
        }
      }
    }
    return "";
  }
}

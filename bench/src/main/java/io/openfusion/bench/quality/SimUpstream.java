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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Simulated models for the offline check: an OpenAI-compatible server on loopback that knows every task.
 * <ul>
 *   <li>a <b>member</b> (any model but the ones below) is right with probability {@code p} ({@code sim/name@0.9} sets
 *       0.9 for that model), each draw from a seeded hash of (seed, model, request {@code seed}, task, item), so
 *       members err independently of each other and a rerun gives the same answers. On a reference task it answers
 *       right or wrong (a wrong answer is one shared wrong value, {@code shared}, or a member-specific one,
 *       {@code distinct}); on a rubric task it makes each positive point with probability p and each mistake with
 *       probability 1 - p, marking criterion i as {@code [c<i>]}; on an open prompt it makes each of
 *       {@value TaskLoader#OPEN_POINTS} points with probability p, marked {@code [p<k>]};</li>
 *   <li>{@value #JUDGE} as the synthesizer merges the panel: the most common answer on reference tasks (first listed
 *       on ties), every point any member made and the mistakes most members made on rubric tasks and open prompts;
 *       as the ranker it picks that most common answer, or the best-scoring one; in a <b>debate revision</b> a member
 *       merges its own and its peers' answers the same way;</li>
 *   <li>{@value #PAIRWISE} prefers the better answer: right over wrong, the higher rubric score, more points (TIE when
 *       equal); {@value #PAIRWISE_BIASED} does the same but says A when the answers are equally good, a judge with a
 *       position bias;</li>
 *   <li>{@value #GRADER} answers YES when the candidate contains the reference, and grades a rubric by its markers.</li>
 * </ul>
 * Usage carries made-up per-token prices (also listed at {@code GET /v1/models}, so the proxy's estimate can price
 * them) so cost per correct answer can be checked by hand; the simulator adds up what it billed.
 */
public final class SimUpstream {

  public static final String JUDGE = "sim/judge";
  public static final String PAIRWISE = "sim/pairwise";
  public static final String PAIRWISE_BIASED = "sim/pairwise-biased";
  public static final String GRADER = "sim/grader";
  static final double MEMBER_PROMPT_PRICE = 0.0000001;
  static final double MEMBER_COMPLETION_PRICE = 0.0000004;
  static final double BIG_PROMPT_PRICE = 0.0000003;
  static final double BIG_COMPLETION_PRICE = 0.0000012;

  /** How wrong members answer. */
  public enum Wrong { SHARED, DISTINCT }

  private static final Pattern JUDGE_ANSWER = Pattern.compile("(?m)^### Answer \\d+\\n");
  private static final Pattern RANKER_CANDIDATE = Pattern.compile("(?m)^\\[(\\d+)] ");
  private static final Pattern DEBATE_PEER = Pattern.compile("(?m)^### Expert \\d+\\n");
  private static final Pattern CRITERION_MARK = Pattern.compile("\\[c(\\d+)]");
  private static final Pattern POINT_MARK = Pattern.compile("\\[p(\\d+)]");
  private static final Pattern MODEL_P = Pattern.compile("@(0(?:\\.\\d+)?|1(?:\\.0+)?)$");

  private final Vertx vertx;
  private final double p;
  private final long seed;
  private final Wrong wrong;
  private final Map<String, Task> byPrompt = new LinkedHashMap<>();
  private final DoubleAdder billed = new DoubleAdder();
  private final AtomicInteger chatRequests = new AtomicInteger();
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

  /** What the simulator billed in {@code usage.cost}, summed over every chat request it answered. */
  public double billedUsd() {
    return billed.sum();
  }

  public int chatRequests() {
    return chatRequests.get();
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void handle(HttpServerRequest request) {
    if (request.path().endsWith("/models")) {
      request.response().putHeader("content-type", "application/json").end(models().encode());
      return;
    }
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
      double cost = cost(model, promptTokens, completionTokens);
      billed.add(cost);
      chatRequests.incrementAndGet();
      JsonObject usage = new JsonObject().put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
        .put("total_tokens", promptTokens + completionTokens).put("cost", cost);
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

  private static boolean big(String model) {
    return JUDGE.equals(model) || PAIRWISE.equals(model) || PAIRWISE_BIASED.equals(model) || GRADER.equals(model);
  }

  static double cost(String model, int prompt, int completion) {
    return big(model) ? prompt * BIG_PROMPT_PRICE + completion * BIG_COMPLETION_PRICE
      : prompt * MEMBER_PROMPT_PRICE + completion * MEMBER_COMPLETION_PRICE;
  }

  /** An OpenRouter-style model list with the simulator's prices per token, as strings. */
  private static JsonObject models() {
    JsonArray data = new JsonArray();
    List<String> ids = new ArrayList<>(List.of(JUDGE, PAIRWISE, PAIRWISE_BIASED, GRADER));
    for (int i = 1; i <= 9; i++) {
      ids.add("sim/m" + i);
    }
    for (String id : ids) {
      data.add(new JsonObject().put("id", id).put("pricing", new JsonObject()
        .put("prompt", Double.toString(big(id) ? BIG_PROMPT_PRICE : MEMBER_PROMPT_PRICE))
        .put("completion", Double.toString(big(id) ? BIG_COMPLETION_PRICE : MEMBER_COMPLETION_PRICE))));
    }
    return new JsonObject().put("data", data);
  }

  /** A model's accuracy: the {@code @p} suffix of its name, else the simulator's {@code p}. */
  double accuracy(String model) {
    Matcher m = MODEL_P.matcher(model);
    return m.find() ? Double.parseDouble(m.group(1)) : p;
  }

  private String reply(String model, String user, JsonObject req) {
    switch (model) {
      case JUDGE -> {
        if (user.contains("Candidate answers:")) {
          return Integer.toString(rank(user));
        }
        return merge(find(user), split(user, JUDGE_ANSWER, "Panel answers:"));
      }
      case PAIRWISE, PAIRWISE_BIASED -> {
        return pairwise(user, PAIRWISE_BIASED.equals(model));
      }
      case GRADER -> {
        Task t = find(user);
        if (t.isRubric()) {
          return gradeRubric(t, between(user, "Answer:\n", "\n\n" + Rubric.CRITERIA_HEADER));
        }
        String candidate = between(user, "Candidate answer:\n", "\n\nReference answer:");
        return Scoring.normalize(candidate).contains(Scoring.normalize(t.answer())) ? "YES" : "NO";
      }
      default -> {
        if (user.contains("Other experts' answers:")) {
          String own = between(user, "Your previous answer:\n", "\n\nOther experts' answers:");
          List<String> all = new ArrayList<>();
          all.add(own);
          all.addAll(split(user, DEBATE_PEER, "Other experts' answers:"));
          return merge(find(user), all);
        }
        Task t = byPrompt.get(user);
        if (t == null) {
          t = find(user);
        }
        return memberAnswer(model, req.getValue("seed"), t);
      }
    }
  }

  /** The panel merged: the plurality on reference tasks; points any member made and majority mistakes otherwise. */
  private String merge(Task t, List<String> answers) {
    if (t.hasReference()) {
      return plurality(answers);
    }
    Pattern mark = t.isRubric() ? CRITERION_MARK : POINT_MARK;
    Map<Integer, Integer> counts = new java.util.TreeMap<>();
    for (String a : answers) {
      marks(a, mark).forEach(i -> counts.merge(i, 1, Integer::sum));
    }
    List<Integer> kept = new ArrayList<>();
    counts.forEach((i, c) -> {
      boolean mistake = t.isRubric() && i >= 1 && i <= t.rubric().size() && t.rubric().get(i - 1).weight() < 0;
      if (!mistake || 2 * c > answers.size()) {
        kept.add(i);
      }
    });
    return t.isRubric() ? rubricText(t, kept) : openText(t, kept);
  }

  private static java.util.Set<Integer> marks(String answer, Pattern mark) {
    java.util.Set<Integer> out = new java.util.TreeSet<>();
    Matcher m = mark.matcher(answer);
    while (m.find()) {
      out.add(Integer.parseInt(m.group(1)));
    }
    return out;
  }

  private static String rubricText(Task t, List<Integer> criteria) {
    StringBuilder sb = new StringBuilder("Brief on ").append(t.id()).append(':');
    for (int i : criteria) {
      sb.append("\n- [c").append(i).append("] ").append(t.rubric().get(i - 1).criterion());
    }
    return criteria.isEmpty() ? sb.append(" nothing to add.").toString() : sb.toString();
  }

  private static String openText(Task t, List<Integer> points) {
    StringBuilder sb = new StringBuilder("Notes on ").append(t.id()).append(':');
    for (int k : points) {
      sb.append("\n- [p").append(k).append("] point ").append(k);
    }
    return points.isEmpty() ? sb.append(" nothing to add.").toString() : sb.toString();
  }

  /** How good an answer is, for the ranker and the pairwise judge: right/wrong, rubric score, or points made. */
  private double quality(Task t, String answer) {
    if (t.isRubric()) {
      return Rubric.score(t.rubric(), met(t, answer));
    }
    if (t.isOpen()) {
      return marks(answer, POINT_MARK).size();
    }
    return correct(t, answer) ? 1 : 0;
  }

  private static boolean[] met(Task t, String answer) {
    java.util.Set<Integer> marked = marks(answer, CRITERION_MARK);
    boolean[] met = new boolean[t.rubric().size()];
    for (int i = 0; i < met.length; i++) {
      met[i] = marked.contains(i + 1);
    }
    return met;
  }

  private static String gradeRubric(Task t, String answer) {
    JsonArray list = new JsonArray();
    for (boolean b : met(t, answer)) {
      list.add(b);
    }
    return new JsonObject().put("met", list).encode();
  }

  /** Deterministic per (seed, model, request seed, task): the same member gives the same answer on a rerun. */
  String memberAnswer(String model, Object requestSeed, Task task) {
    long h = mix(seed, model.hashCode());
    h = mix(h, Objects.hashCode(requestSeed == null ? null : requestSeed.toString()));
    h = mix(h, task.id().hashCode());
    double pm = accuracy(model);
    if (task.isRubric() || task.isOpen()) {
      List<Integer> made = new ArrayList<>();
      int items = task.isRubric() ? task.rubric().size() : TaskLoader.OPEN_POINTS;
      for (int i = 1; i <= items; i++) {
        double u = new SplittableRandom(mix(h, i)).nextDouble();
        boolean mistake = task.isRubric() && task.rubric().get(i - 1).weight() < 0;
        if (mistake ? u < 1 - pm : u < pm) {
          made.add(i);
        }
      }
      return task.isRubric() ? rubricText(task, made) : openText(task, made);
    }
    SplittableRandom r = new SplittableRandom(h);
    if (r.nextDouble() < pm) {
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

  private String pairwise(String user, boolean biased) {
    Task t = find(user);
    String a = between(user, "Answer A:\n", "\n\nAnswer B:\n");
    String b = between(user, "Answer B:\n", "\n\nWhich answer is better?");
    double qa = quality(t, a);
    double qb = quality(t, b);
    if (Math.abs(qa - qb) < 1e-9) {
      return biased ? "A" : "TIE";
    }
    return qa > qb ? "A" : "B";
  }

  private static boolean correct(Task t, String answer) {
    return t.scoring() == Scoring.Method.JUDGE
      ? Scoring.normalize(answer).contains(Scoring.normalize(t.answer()))
      : Scoring.score(t.scoring(), answer, t.answer());
  }

  private int rank(String user) {
    Task task = find(user);
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
    if (!task.hasReference()) {
      int best = 0;
      for (int i = 1; i < candidates.size(); i++) {
        if (quality(task, candidates.get(i)) > quality(task, candidates.get(best))) {
          best = i;
        }
      }
      return best + 1;
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

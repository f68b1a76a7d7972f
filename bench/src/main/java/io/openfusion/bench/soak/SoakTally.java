package io.openfusion.bench.soak;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak's accounting of requests: what each kind asks for, how an answer is judged, and the counts by kind and
 * outcome. A request the proxy refused before accepting it (503 {@code shutting_down}, a refused connection) is not
 * an outcome: it is counted apart and sent again elsewhere. Safe to update from any thread.
 */
final class SoakTally {

  /** What a request asks for. */
  enum Kind {
    FUSION_STREAM("openfusion", true, false), FUSION_JSON("openfusion", false, false),
    PASS_STREAM(SoakUpstream.STEADY, true, false), PASS_JSON(SoakUpstream.STEADY, false, false),
    FLAKY_STREAM(SoakUpstream.FLAKY, true, false), FLAKY_JSON(SoakUpstream.FLAKY, false, false),
    LEAVE_FUSION("openfusion", true, true), LEAVE_PASS(SoakUpstream.STEADY, true, true);

    final String model;
    final boolean stream;
    /** The client closes its connection at the first bytes of the answer. */
    final boolean leaves;

    Kind(String model, boolean stream, boolean leaves) {
      this.model = model;
      this.stream = stream;
      this.leaves = leaves;
    }

    /** Only a pass-through of the flaky model may end in an error: a fusion degrades around a failing member. */
    boolean mayFail() {
      return SoakUpstream.FLAKY.equals(model);
    }

    String label() {
      return name().toLowerCase().replace('_', '-');
    }
  }

  /** How an accepted request ended. */
  enum Outcome { OK, DEFINED_ERROR, LEFT, LOST }

  /** One cycle of the mix: fusion half of the time, pass-through the other half, one in five clients leaving. */
  static final List<Kind> MIX = List.of(Kind.FUSION_STREAM, Kind.PASS_STREAM, Kind.FUSION_JSON, Kind.FLAKY_STREAM,
    Kind.FUSION_STREAM, Kind.PASS_JSON, Kind.LEAVE_FUSION, Kind.FLAKY_JSON, Kind.FUSION_JSON, Kind.LEAVE_PASS);

  private final Map<Kind, Map<Outcome, LongAdder>> outcomes = new EnumMap<>(Kind.class);
  private final LongAdder refused = new LongAdder();
  private final ConcurrentLinkedQueue<String> lost = new ConcurrentLinkedQueue<>();

  SoakTally() {
    for (Kind kind : Kind.values()) {
      Map<Outcome, LongAdder> counts = new EnumMap<>(Outcome.class);
      for (Outcome outcome : Outcome.values()) {
        counts.put(outcome, new LongAdder());
      }
      outcomes.put(kind, counts);
    }
  }

  /** The kind of the {@code n}th request. */
  static Kind kindOf(int n) {
    return MIX.get(Math.floorMod(n, MIX.size()));
  }

  void record(Kind kind, Outcome outcome) {
    outcomes.get(kind).get(outcome).increment();
  }

  /** An accepted request that got no acceptable ending, with why. */
  void lose(Kind kind, String why) {
    record(kind, Outcome.LOST);
    lost.add(kind.label() + ": " + why);
  }

  /** A request refused before acceptance (it is sent again, and counted again when it ends). */
  void refuse() {
    refused.increment();
  }

  long count(Kind kind, Outcome outcome) {
    return outcomes.get(kind).get(outcome).sum();
  }

  long total(Outcome outcome) {
    long sum = 0;
    for (Kind kind : Kind.values()) {
      sum += count(kind, outcome);
    }
    return sum;
  }

  /** Every request an api node accepted, whatever its ending. */
  long accepted() {
    long sum = 0;
    for (Outcome outcome : Outcome.values()) {
      sum += total(outcome);
    }
    return sum;
  }

  long refused() {
    return refused.sum();
  }

  List<String> lost() {
    return List.copyOf(lost);
  }

  /**
   * How a complete answer ended for its kind: {@link Outcome#OK}, {@link Outcome#DEFINED_ERROR} (allowed only for the
   * flaky pass-through: an error status with the OpenAI envelope, or an error chunk then {@code [DONE]}), or null
   * when it is not an acceptable ending (see {@link #problem}).
   */
  static Outcome judge(Kind kind, int status, String body) {
    if (problem(kind, status, body) != null) {
      return null;
    }
    boolean failed = status != 200 || kind.stream && streamError(body);
    return failed ? Outcome.DEFINED_ERROR : Outcome.OK;
  }

  /** Why an answer is not an acceptable ending for its kind, or null when it is. */
  static String problem(Kind kind, int status, String body) {
    if (status != 200) {
      if (!kind.mayFail()) {
        return status + " " + tail(body);
      }
      return envelope(body) ? null : status + " without an error envelope: " + tail(body);
    }
    if (!kind.stream) {
      JsonObject answer;
      try {
        answer = new JsonObject(body);
      } catch (RuntimeException notJson) {
        return "not JSON: " + tail(body);
      }
      JsonArray choices = answer.getJsonArray("choices");
      JsonObject message = choices == null || choices.isEmpty() ? null : choices.getJsonObject(0).getJsonObject("message");
      String content = message == null ? null : message.getString("content");
      return content == null || content.isBlank() ? "no content: " + tail(body) : null;
    }
    if (!body.stripTrailing().endsWith("data: [DONE]")) {
      return "stream without [DONE]: " + tail(body);
    }
    boolean error = streamError(body);
    if (error && !kind.mayFail()) {
      return "error in stream: " + tail(body);
    }
    boolean content = dataFrames(body).anyMatch(SoakTally::hasContent);
    return content || error ? null : "stream without content: " + tail(body);
  }

  /** A stream that carries an error frame (a failure after the answer had started). */
  private static boolean streamError(String body) {
    return dataFrames(body).anyMatch(frame -> frame.containsKey("error"));
  }

  /**
   * The JSON of a stream's {@code data:} frames. Comments are left out: a fusion's progress comments name a member
   * that failed, which is no failure of the request.
   */
  private static java.util.stream.Stream<JsonObject> dataFrames(String body) {
    return body.lines().filter(line -> line.startsWith("data: {")).map(line -> {
      try {
        return new JsonObject(line.substring("data: ".length()));
      } catch (RuntimeException notJson) {
        return new JsonObject().put("error", "a data frame that is not JSON: " + line);
      }
    });
  }

  private static boolean hasContent(JsonObject frame) {
    JsonArray choices = frame.getJsonArray("choices");
    if (choices == null || choices.isEmpty() || !(choices.getValue(0) instanceof JsonObject choice)) {
      return false;
    }
    JsonObject delta = choice.getJsonObject("delta");
    String content = delta == null ? null : delta.getString("content");
    return content != null && !content.isEmpty();
  }

  private static boolean envelope(String body) {
    try {
      JsonObject error = new JsonObject(body).getJsonObject("error");
      return error != null && error.getString("message") != null && error.getValue("code") != null;
    } catch (RuntimeException notJson) {
      return false;
    }
  }

  private static String tail(String body) {
    return body.length() <= 600 ? body : "..." + body.substring(body.length() - 600);
  }
}

package io.openfusion.autorouter;

import io.openfusion.shared.chat.Json;
import io.openfusion.shared.config.RouteModel;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** Reads a classifier's answer. Anything it cannot read is {@link Verdict#unrecognised()}, never an exception. */
final class ClassifierReply {

  /** What the classifier said. */
  enum Kind { FUSE, SOLO, MODEL, UNRECOGNISED }

  /**
   * @param kind       the answer
   * @param modelIndex for {@link Kind#MODEL}: the index of the picked route model, else -1
   */
  record Verdict(Kind kind, int modelIndex) {

    static Verdict fuse() {
      return new Verdict(Kind.FUSE, -1);
    }

    static Verdict solo() {
      return new Verdict(Kind.SOLO, -1);
    }

    static Verdict model(int index) {
      return new Verdict(Kind.MODEL, index);
    }

    static Verdict unrecognised() {
      return new Verdict(Kind.UNRECOGNISED, -1);
    }
  }

  // whole words, so "refuse" or "consolidate" do not count as "fuse" or "solo"
  private static final Pattern FUSE = Pattern.compile("(?<![\\p{L}\\p{N}])fuse(?![\\p{L}\\p{N}])", Pattern.CASE_INSENSITIVE);
  private static final Pattern SOLO = Pattern.compile("(?<![\\p{L}\\p{N}])solo(?![\\p{L}\\p{N}])", Pattern.CASE_INSENSITIVE);
  /** A mention of a model id must not be part of a longer id: no id character right before it ... */
  private static final String ID_START = "(?<![\\p{L}\\p{N}_.:/\\-])";
  /** ... nor after it, except a full stop that ends the sentence ("claude-3.5" continues, "gpt-4o." does not). */
  private static final String ID_END = "(?![\\p{L}\\p{N}_:/\\-]|\\.[\\p{L}\\p{N}])";
  /** Wrapping a model might put around a one-word answer. */
  private static final Pattern DECORATION = Pattern.compile("^[\\s`'\"*]+|[\\s`'\"*.!]+$");

  private ClassifierReply() {
  }

  /** @return the assistant text of a non-streamed completion, or null when it has none */
  static String content(JsonObject completion) {
    JsonArray choices = Json.array(completion, "choices");
    if (choices == null || choices.isEmpty() || !(choices.getValue(0) instanceof JsonObject choice)) {
      return null;
    }
    JsonObject message = Json.object(choice, "message");
    String text = message == null ? "" : Json.text(message.getValue("content"));
    return text.isBlank() ? null : text;
  }

  /** The FUSE/SOLO prompt's answer: SOLO only when it says SOLO and not FUSE. */
  static Verdict fuseOrSolo(String reply) {
    if (reply == null) {
      return Verdict.unrecognised();
    }
    boolean fuse = FUSE.matcher(reply).find();
    if (SOLO.matcher(reply).find() && !fuse) {
      return Verdict.solo();
    }
    return fuse ? Verdict.fuse() : Verdict.unrecognised();
  }

  /**
   * The model-pick prompt's answer. In order: the reply is exactly a route model id; it says FUSE; it
   * mentions a route model id (the longest one wins, so {@code gpt-4o-mini} is not read as
   * {@code gpt-4o}); it says SOLO (the tier's model is then chosen by the caller).
   */
  static Verdict modelPick(String reply, List<RouteModel> models) {
    if (reply == null) {
      return Verdict.unrecognised();
    }
    String bare = DECORATION.matcher(reply).replaceAll("").toLowerCase(Locale.ROOT);
    for (int i = 0; i < models.size(); i++) {
      if (models.get(i).model().toLowerCase(Locale.ROOT).equals(bare)) {
        return Verdict.model(i);
      }
    }
    if (FUSE.matcher(reply).find()) {
      return Verdict.fuse();
    }
    int mentioned = longestMention(reply.toLowerCase(Locale.ROOT), models);
    if (mentioned >= 0) {
      return Verdict.model(mentioned);
    }
    return SOLO.matcher(reply).find() ? Verdict.solo() : Verdict.unrecognised();
  }

  private static int longestMention(String reply, List<RouteModel> models) {
    int best = -1;
    for (int i = 0; i < models.size(); i++) {
      String id = models.get(i).model().toLowerCase(Locale.ROOT);
      boolean longer = best < 0 || id.length() > models.get(best).model().length();
      if (longer && Pattern.compile(ID_START + Pattern.quote(id) + ID_END)
          .matcher(reply).find()) {
        best = i;
      }
    }
    return best;
  }
}

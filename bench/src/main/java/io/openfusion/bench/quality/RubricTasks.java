package io.openfusion.bench.quality;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads rubric tasks (DRACO-style): one JSON object per line with the question ({@code prompt}, {@code problem} or
 * {@code question}), an optional {@code id} and {@code domain}, and the rubric under {@code rubric}, {@code criteria}
 * or {@code answer} (DRACO keeps its rubric there, as a JSON-encoded string). The rubric is either a list of criteria
 * or an object whose {@code sections} (or {@code axes}) each hold a list of criteria; failing those shapes, the first
 * list of objects found in it. A criterion is an object with its text under {@code criterion}, {@code requirement},
 * {@code description}, {@code text} or {@code title} and its {@code weight} (or {@code points}); a section's
 * {@code title}, {@code name} or {@code axis} labels its criteria.
 */
public final class RubricTasks {

  private static final List<String> PROMPT_KEYS = List.of("prompt", "problem", "question");
  private static final List<String> RUBRIC_KEYS = List.of("rubric", "criteria", "answer");
  private static final List<String> TEXT_KEYS = List.of("criterion", "requirement", "description", "text", "title");
  private static final List<String> WEIGHT_KEYS = List.of("weight", "points");
  private static final List<String> SECTION_KEYS = List.of("sections", "axes");
  private static final List<String> LIST_KEYS = List.of("criteria", "items", "rubric", "rubric_items");
  private static final List<String> SECTION_NAME_KEYS = List.of("title", "name", "axis", "section");

  private RubricTasks() {
  }

  public static List<Task> parse(String jsonl, String source) {
    List<Task> tasks = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    String[] lines = jsonl.split("\\R");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith("//")) {
        continue;
      }
      String where = source + ":" + (i + 1);
      try {
        JsonObject o;
        try {
          o = new JsonObject(line);
        } catch (DecodeException | ClassCastException e) {
          throw new IllegalArgumentException("not a JSON object: " + e.getMessage());
        }
        Task t = task(o, tasks.size() + 1);
        if (!ids.add(t.id())) {
          throw new IllegalArgumentException("duplicate id " + t.id());
        }
        tasks.add(t);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage());
      }
    }
    return tasks;
  }

  static Task task(JsonObject o, int position) {
    String prompt = firstString(o, PROMPT_KEYS);
    if (prompt == null || prompt.isBlank()) {
      throw new IllegalArgumentException("a rubric task needs its question under prompt, problem or question");
    }
    Object raw = null;
    for (String k : RUBRIC_KEYS) {
      if (o.getValue(k) != null) {
        raw = o.getValue(k);
        break;
      }
    }
    if (raw == null) {
      throw new IllegalArgumentException("a rubric task needs its criteria under rubric, criteria or answer");
    }
    List<RubricItem> items = items(decode(raw));
    if (items.isEmpty()) {
      throw new IllegalArgumentException("the rubric has no criteria");
    }
    String id = o.getValue("id") != null ? String.valueOf(o.getValue("id")) : "rubric-" + position;
    Object domain = o.getValue("domain");
    return new Task(id, prompt, "", Scoring.Method.RUBRIC, items, domain == null ? null : domain.toString());
  }

  /** A JSON-encoded string becomes the structure it encodes. */
  private static Object decode(Object raw) {
    if (raw instanceof String s) {
      String t = s.strip();
      try {
        if (t.startsWith("[")) {
          return new JsonArray(t);
        }
        if (t.startsWith("{")) {
          return new JsonObject(t);
        }
      } catch (DecodeException e) {
        throw new IllegalArgumentException("the rubric string is not valid JSON: " + e.getMessage());
      }
      throw new IllegalArgumentException("the rubric must be a list or an object, got a plain string");
    }
    return raw;
  }

  static List<RubricItem> items(Object rubric) {
    List<RubricItem> out = new ArrayList<>();
    if (rubric instanceof JsonArray list) {
      addAll(out, list, null);
      return out;
    }
    if (!(rubric instanceof JsonObject obj)) {
      throw new IllegalArgumentException("the rubric must be a list or an object");
    }
    for (String key : SECTION_KEYS) {
      if (obj.getValue(key) instanceof JsonArray sections) {
        for (Object s : sections) {
          if (s instanceof JsonObject section) {
            String name = firstString(section, SECTION_NAME_KEYS);
            JsonArray criteria = firstList(section);
            if (criteria != null) {
              addAll(out, criteria, name);
            }
          }
        }
        return out;
      }
    }
    JsonArray direct = firstList(obj);
    if (direct != null) {
      addAll(out, direct, null);
      return out;
    }
    JsonArray found = findObjectList(obj, 0);
    if (found != null) {
      addAll(out, found, null);
    }
    return out;
  }

  private static JsonArray firstList(JsonObject o) {
    for (String k : LIST_KEYS) {
      if (o.getValue(k) instanceof JsonArray a) {
        return a;
      }
    }
    return null;
  }

  /** Depth-first: the first non-empty list whose first element is an object, at most a few levels down. */
  private static JsonArray findObjectList(Object node, int depth) {
    if (depth > 4) {
      return null;
    }
    if (node instanceof JsonArray a) {
      if (!a.isEmpty() && a.getValue(0) instanceof JsonObject) {
        return a;
      }
      for (Object v : a) {
        JsonArray f = findObjectList(v, depth + 1);
        if (f != null) {
          return f;
        }
      }
    } else if (node instanceof JsonObject o) {
      for (String k : o.fieldNames()) {
        JsonArray f = findObjectList(o.getValue(k), depth + 1);
        if (f != null) {
          return f;
        }
      }
    }
    return null;
  }

  private static void addAll(List<RubricItem> out, JsonArray criteria, String section) {
    for (Object c : criteria) {
      if (!(c instanceof JsonObject item)) {
        throw new IllegalArgumentException("criterion " + (out.size() + 1) + " is not an object");
      }
      String text = firstString(item, TEXT_KEYS);
      Double weight = null;
      for (String k : WEIGHT_KEYS) {
        Object w = item.getValue(k);
        if (w instanceof Number n) {
          weight = n.doubleValue();
          break;
        }
        if (w instanceof String s) {
          try {
            weight = Double.parseDouble(s.strip());
            break;
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("criterion " + (out.size() + 1) + ": weight \"" + s + "\" is not a number");
          }
        }
      }
      if (text == null || text.isBlank() || weight == null) {
        throw new IllegalArgumentException("criterion " + (out.size() + 1) + " needs text (criterion, requirement, "
          + "description, text or title) and a weight");
      }
      String sec = firstString(item, List.of("section", "axis", "category"));
      out.add(new RubricItem(text, weight, sec != null ? sec : section));
    }
  }

  private static String firstString(JsonObject o, List<String> keys) {
    for (String k : keys) {
      if (o.getValue(k) instanceof String s) {
        return s;
      }
    }
    return null;
  }
}

package io.openfusion.shared.config.loading;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Typed, path-aware reads from one YAML mapping. Every failure is a {@link ConfigException} whose
 * key path points at the offending value, so the parser never has to build paths or messages
 * itself. A key that is absent or explicitly null ({@code key: ~}) takes its default.
 */
final class Fields {

  /** Seconds values above this are almost certainly typos (milliseconds given as seconds). */
  static final double MAX_SECONDS = 86_400;

  /** {@code api_key}, {@code judge.api_key}, {@code gateway.api_keys[2]}: values never echoed. */
  private static final Pattern SECRET_PATH =
      Pattern.compile("(^|\\.)api_keys?(\\[\\d+])?$");

  private final JsonObject json;
  private final String path;

  private Fields(JsonObject json, String path) {
    this.json = json;
    this.path = path;
  }

  static Fields root(JsonObject json) {
    return new Fields(json, "");
  }

  /** @return the key path of {@code key} in this mapping, e.g. {@code panel[0].model} */
  String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  boolean has(String key) {
    return json.getValue(key) != null;
  }

  // ---- scalars -------------------------------------------------------------------------------

  /** A string, or {@code def} when absent. */
  String string(String key, String def) {
    Object v = json.getValue(key);
    if (v == null) {
      return def;
    }
    return asString(v, path(key));
  }

  /** A trimmed string that must be present and non-blank ("required" otherwise). */
  String requiredString(String key) {
    String v = string(key, null);
    if (v == null || v.isBlank()) {
      throw new ConfigException(path(key), "required");
    }
    return v.trim();
  }

  /** A trimmed string, or null when absent or blank. */
  String optionalString(String key) {
    String v = string(key, null);
    return v == null || v.isBlank() ? null : v.trim();
  }

  boolean bool(String key, boolean def) {
    Object v = json.getValue(key);
    if (v == null) {
      return def;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw new ConfigException(path(key), "must be true or false, got " + describe(v, path(key)));
  }

  /** A whole number in {@code [min, max]}, or {@code def} when absent. */
  int integer(String key, int def, long min, long max) {
    Object v = json.getValue(key);
    if (v == null) {
      return def;
    }
    return checkedInt(v, path(key), min, max);
  }

  /** A whole number {@code >= min}, or null when absent (e.g. "unlimited"). */
  Integer optionalInteger(String key, long min) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    return checkedInt(v, path(key), min, Integer.MAX_VALUE);
  }

  /** A positive number of seconds (fractions allowed) as a Duration, or {@code def} when absent. */
  Duration seconds(String key, Duration def) {
    Object v = json.getValue(key);
    if (v == null) {
      return def;
    }
    String p = path(key);
    if (!(v instanceof Number n) || v instanceof Boolean) {
      throw new ConfigException(p, "must be a number of seconds, got " + describe(v, p));
    }
    double s = n.doubleValue();
    if (!Double.isFinite(s) || s <= 0 || s > MAX_SECONDS) {
      throw new ConfigException(p, "must be greater than 0 and at most " + (long) MAX_SECONDS
          + " seconds, got " + n);
    }
    return Duration.ofNanos(Math.round(s * 1_000_000_000d));
  }

  /**
   * One of a fixed set of wire names.
   *
   * @param fromWire maps a name to its value, null if unknown
   * @param names    the allowed names joined with ", ", for the message
   */
  <E> E choice(String key, E def, Function<String, E> fromWire, String names) {
    Object v = json.getValue(key);
    if (v == null) {
      return def;
    }
    E e = v instanceof String s ? fromWire.apply(s) : null;
    if (e == null) {
      throw new ConfigException(path(key), "must be one of " + names);
    }
    return e;
  }

  /** One of {@code allowed} (exact lower-case wire names), or {@code def} when absent. */
  String choice(String key, String def, List<String> allowed) {
    return choice(key, def, s -> {
      String t = s.trim().toLowerCase(Locale.ROOT);
      return allowed.contains(t) ? t : null;
    }, String.join(", ", allowed));
  }

  // ---- collections ---------------------------------------------------------------------------

  /** A list of trimmed strings (blank entries dropped), or {@code def} when absent. */
  List<String> strings(String key, List<String> def) {
    JsonArray array = array(key, "a list of strings");
    if (array == null) {
      return def;
    }
    List<String> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object v = array.getValue(i);
      if (v == null) {
        continue;
      }
      String s = asString(v, path(key) + "[" + i + "]").trim();
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return List.copyOf(out);
  }

  /** A list of numbers, each in {@code [min, max]}, or {@code def} when absent. */
  List<Double> numbers(String key, List<Double> def, double min, double max) {
    JsonArray array = array(key, "a list of numbers");
    if (array == null) {
      return def;
    }
    List<Double> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object v = array.getValue(i);
      String p = path(key) + "[" + i + "]";
      if (!(v instanceof Number n) || v instanceof Boolean) {
        throw new ConfigException(p, "must be a number, got " + describe(v, p));
      }
      double d = n.doubleValue();
      if (!(d >= min && d <= max)) {
        throw new ConfigException(p, "must be between " + fmt(min) + " and " + fmt(max) + ", got " + n);
      }
      out.add(d);
    }
    return List.copyOf(out);
  }

  /** A nested mapping, or null when absent. */
  Fields object(String key) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (v instanceof JsonObject o) {
      return new Fields(o, path(key));
    }
    throw new ConfigException(path(key), "must be a mapping (key: value lines), got " + describe(v, path(key)));
  }

  /** A nested mapping, or an empty one when absent, so section defaults apply. */
  Fields objectOrEmpty(String key) {
    Fields f = object(key);
    return f != null ? f : new Fields(new JsonObject(), path(key));
  }

  /**
   * A list of mappings, or an empty list when absent.
   *
   * @param itemHint what each entry must look like, e.g. "a mapping with base_url, api_key and model"
   */
  List<Fields> objects(String key, String itemHint) {
    JsonArray array = array(key, "a list, each entry " + itemHint);
    if (array == null) {
      return List.of();
    }
    List<Fields> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      Object v = array.getValue(i);
      String p = path(key) + "[" + i + "]";
      if (!(v instanceof JsonObject o)) {
        throw new ConfigException(p, "must be " + itemHint + ", got " + describe(v, p));
      }
      out.add(new Fields(o, p));
    }
    return out;
  }

  private JsonArray array(String key, String what) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (v instanceof JsonArray a) {
      return a;
    }
    throw new ConfigException(path(key), "must be " + what + ", got " + describe(v, path(key)));
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static String asString(Object v, String p) {
    if (v instanceof String s) {
      return s;
    }
    throw new ConfigException(p, "must be a string, got " + describe(v, p) + " (put the value in quotes)");
  }

  static int checkedInt(Object v, String p, long min, long max) {
    Long value = integralValue(v);
    if (value == null) {
      throw new ConfigException(p, "must be a whole number, got " + describe(v, p));
    }
    if (value < min || value > max) {
      String range = max >= Integer.MAX_VALUE ? "at least " + min : "between " + min + " and " + max;
      throw new ConfigException(p, "must be " + range + ", got " + value);
    }
    return value.intValue();
  }

  /** The value as a long if it is a whole number (2 and 2.0 are, 1.5 and true are not). */
  private static Long integralValue(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigInteger b) {
      return b.bitLength() < 63 ? b.longValue() : null;
    }
    if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
      double d = ((Number) v).doubleValue();
      if (Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 9.0e15) {
        return (long) d;
      }
    }
    return null;
  }

  /**
   * Names the type (and, unless the path holds a secret, the value) of a wrong value. Keys are
   * never echoed: error messages end up in logs and terminals.
   */
  static String describe(Object v, String p) {
    boolean secret = SECRET_PATH.matcher(p).find();
    if (v == null) {
      return "nothing";
    }
    if (v instanceof String s) {
      if (secret) {
        return "a string";
      }
      String shown = s.length() > 60 ? s.substring(0, 57) + "..." : s;
      return "string \"" + shown + "\"";
    }
    if (v instanceof Boolean b) {
      return secret ? "a boolean" : "boolean " + b;
    }
    if (v instanceof Number n) {
      return secret ? "a number" : "number " + n;
    }
    if (v instanceof JsonArray) {
      return "a list";
    }
    if (v instanceof JsonObject) {
      return "a mapping";
    }
    return "a " + v.getClass().getSimpleName();
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}

package io.openfusion.shared.config.loading;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} in every string value of a config tree, mid-string too. Only upper-case
 * letters, digits and {@code _} form a variable name, so a literal
 * {@code ${lower}} passes through untouched. There is no default syntax: an unset variable is an
 * error at the key where it was used, because silently sending an empty key upstream fails much
 * later and much more confusingly. Substituted values are not scanned again.
 */
final class EnvInterpolator {

  static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z0-9_]+)\\}");

  private EnvInterpolator() {
  }

  /** @return a new tree; {@code raw} is not modified */
  static JsonObject interpolate(JsonObject raw, Map<String, String> env) {
    return object(raw, "", env);
  }

  private static JsonObject object(JsonObject in, String path, Map<String, String> env) {
    JsonObject out = new JsonObject();
    for (String key : in.fieldNames()) {
      String p = path.isEmpty() ? key : path + "." + key;
      out.put(key, value(in.getValue(key), p, env));
    }
    return out;
  }

  private static JsonArray array(JsonArray in, String path, Map<String, String> env) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < in.size(); i++) {
      out.add(value(in.getValue(i), path + "[" + i + "]", env));
    }
    return out;
  }

  private static Object value(Object v, String path, Map<String, String> env) {
    if (v instanceof JsonObject o) {
      return object(o, path, env);
    }
    if (v instanceof JsonArray a) {
      return array(a, path, env);
    }
    if (v instanceof String s) {
      return string(s, path, env);
    }
    return v;
  }

  static String string(String s, String path, Map<String, String> env) {
    if (s.indexOf("${") < 0) {
      return s;
    }
    Matcher m = VARIABLE.matcher(s);
    StringBuilder out = new StringBuilder(s.length());
    while (m.find()) {
      String name = m.group(1);
      String value = env.get(name);
      if (value == null) {
        throw new ConfigException(path, "environment variable " + name + " is not set (export "
            + name + "=... or put the value in the file)");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}

package io.openfusion.router.cache;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One spelling per JSON value, so equal requests hash equally however the client wrote them: object
 * keys sorted, null-valued members dropped (OpenAI treats {@code "x": null} as absent), and numbers
 * written by value ({@code 1}, {@code 1.0} and {@code 1.00} are all {@code 1}).
 */
final class CanonicalJson {

  private CanonicalJson() {
  }

  static String encode(Object value) {
    StringBuilder out = new StringBuilder(256);
    write(out, value);
    return out.toString();
  }

  private static void write(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof JsonObject object) {
      writeObject(out, object.getMap());
    } else if (value instanceof Map<?, ?> map) {
      writeObject(out, map);
    } else if (value instanceof JsonArray array) {
      writeArray(out, array.getList());
    } else if (value instanceof List<?> list) {
      writeArray(out, list);
    } else if (value instanceof Boolean b) {
      out.append(b.booleanValue());
    } else if (value instanceof Number n) {
      out.append(number(n));
    } else {
      writeString(out, value.toString());
    }
  }

  private static void writeObject(StringBuilder out, Map<?, ?> map) {
    List<String> keys = new ArrayList<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (e.getValue() != null) {
        keys.add(String.valueOf(e.getKey()));
      }
    }
    keys.sort(null);
    out.append('{');
    for (int i = 0; i < keys.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      writeString(out, keys.get(i));
      out.append(':');
      write(out, map.get(keys.get(i)));
    }
    out.append('}');
  }

  private static void writeArray(StringBuilder out, List<?> list) {
    out.append('[');
    for (int i = 0; i < list.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      write(out, list.get(i));
    }
    out.append(']');
  }

  private static String number(Number n) {
    BigDecimal decimal;
    if (n instanceof BigDecimal d) {
      decimal = d;
    } else if (n instanceof BigInteger i) {
      decimal = new BigDecimal(i);
    } else if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        // Not valid JSON; kept distinct from every real number and from strings.
        return "#" + d;
      }
      decimal = new BigDecimal(n.toString());
    } else {
      decimal = BigDecimal.valueOf(n.longValue());
    }
    return decimal.signum() == 0 ? "0" : decimal.stripTrailingZeros().toPlainString();
  }

  private static void writeString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}

package io.openfusion.api.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decodes a request body as {@code Json.decodeValue} does, with less heap for the large plain string values an inline
 * image brings (a base64 data URL of many megabytes). Jackson holds a string's characters two bytes each and then
 * copies them into the string, about four times the value's size on top of the body; here such a value becomes a
 * string straight from the body's bytes, and Jackson parses only what is left.
 *
 * <p>A value is taken this way when it is at least {@link #LARGE_STRING_BYTES} long, pure ASCII and free of escapes
 * (its bytes are then its characters); any other string, and every key, goes through Jackson as before. A body that
 * is not valid JSON is decoded again whole, so its error message is Jackson's own.
 */
public final class RequestJson {

  /** Values from this length on are taken straight from the body. */
  static final int LARGE_STRING_BYTES = 64 * 1024;

  private RequestJson() {
  }

  /** The body as a {@code JsonObject}, {@code JsonArray} or scalar; {@link DecodeException} when it is not JSON. */
  public static Object decode(Buffer body) {
    if (body.length() < LARGE_STRING_BYTES) {
      return Json.decodeValue(body);
    }
    List<int[]> large = largeStrings(body);
    if (large.isEmpty()) {
      return Json.decodeValue(body);
    }
    String marker = "\u0000openfusion-large-string-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":";
    List<String> values = new ArrayList<>(large.size());
    Buffer rest = Buffer.buffer(body.length() - total(large) + large.size() * (marker.length() + 16));
    int from = 0;
    for (int[] span : large) {
      rest.appendBuffer(body, from, span[0] - from);
      // JSON text for the marker: the NUL written as an escape
      rest.appendString("\\u0000" + marker.substring(1) + values.size());
      values.add(latin1(body, span[0], span[1]));
      from = span[1];
    }
    rest.appendBuffer(body, from, body.length() - from);
    Object parsed;
    try {
      parsed = Json.decodeValue(rest);
    } catch (DecodeException invalid) {
      return Json.decodeValue(body);
    }
    return restore(parsed, marker, values);
  }

  /**
   * The bytes [start, end) as a string, copied once: {@code Buffer.getString} copies them into an array first and
   * then into the string, which for an image doubles what its parse needs at its peak.
   */
  private static String latin1(Buffer body, int start, int end) {
    return ((BufferInternal) body).getByteBuf().toString(start, end - start, StandardCharsets.ISO_8859_1);
  }

  /**
   * The [start, end) byte ranges of the string values to take straight from the body: long enough, ASCII, no
   * escapes, and not a key. Bytes are scanned once; in valid JSON a quote outside a string opens one, and inside one
   * only an unescaped quote closes it.
   */
  static List<int[]> largeStrings(Buffer body) {
    List<int[]> found = new ArrayList<>();
    int length = body.length();
    int i = 0;
    while (i < length) {
      if (body.getByte(i) != '"') {
        i++;
        continue;
      }
      int start = i + 1;
      boolean plain = true;
      int j = start;
      while (j < length) {
        byte b = body.getByte(j);
        if (b == '"') {
          break;
        }
        if (b == '\\') {
          plain = false;
          j += 2;
          continue;
        }
        if (b < 0x20) {
          plain = false; // a byte of a multi-byte character (negative) or a raw control character: Jackson decides
        }
        j++;
      }
      if (j >= length) {
        break; // unterminated: Jackson reports it
      }
      if (plain && j - start >= LARGE_STRING_BYTES && !followedByColon(body, j + 1)) {
        found.add(new int[] {start, j});
      }
      i = j + 1;
    }
    return found;
  }

  private static boolean followedByColon(Buffer body, int from) {
    for (int k = from; k < body.length(); k++) {
      byte b = body.getByte(k);
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return b == ':';
      }
    }
    return false;
  }

  private static int total(List<int[]> spans) {
    int sum = 0;
    for (int[] span : spans) {
      sum += span[1] - span[0];
    }
    return sum;
  }

  /** Puts the values back where their markers are; nested objects and arrays are plain maps and lists inside. */
  @SuppressWarnings("unchecked")
  private static Object restore(Object value, String marker, List<String> values) {
    if (value instanceof String text && text.startsWith(marker)) {
      return values.get(Integer.parseInt(text.substring(marker.length())));
    }
    Map<String, Object> map = value instanceof JsonObject object ? object.getMap()
      : value instanceof Map<?, ?> raw ? (Map<String, Object>) raw : null;
    if (map != null) {
      for (Map.Entry<String, Object> entry : map.entrySet()) {
        entry.setValue(restore(entry.getValue(), marker, values));
      }
      return value;
    }
    List<Object> list = value instanceof JsonArray array ? array.getList()
      : value instanceof List<?> raw ? (List<Object>) raw : null;
    if (list != null) {
      for (int k = 0; k < list.size(); k++) {
        list.set(k, restore(list.get(k), marker, values));
      }
    }
    return value;
  }
}

package io.openfusion.bench.common;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small command-line reader: {@code --name value}, {@code --name=value} and bare {@code --flag}. Unknown names are
 * reported by {@link #checkKnown} so a typo never silently runs the default benchmark.
 */
public final class Args {

  private final Map<String, String> values = new LinkedHashMap<>();
  private final List<String> positional = new ArrayList<>();

  private Args() {
  }

  public static Args parse(String[] argv) {
    Args args = new Args();
    for (int i = 0; i < argv.length; i++) {
      String a = argv[i];
      if (a.startsWith("--")) {
        String name = a.substring(2);
        int eq = name.indexOf('=');
        if (eq >= 0) {
          args.values.put(name.substring(0, eq), name.substring(eq + 1));
        } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
          args.values.put(name, argv[++i]);
        } else {
          args.values.put(name, "true");
        }
      } else {
        args.positional.add(a);
      }
    }
    return args;
  }

  /** @throws IllegalArgumentException naming the first option that is not in {@code known} */
  public void checkKnown(Set<String> known) {
    for (String name : values.keySet()) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name + " (known: --" + String.join(", --", known) + ")");
      }
    }
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  public boolean flag(String name) {
    String v = values.get(name);
    return v != null && !v.equalsIgnoreCase("false") && !v.equals("0");
  }

  public String string(String name, String def) {
    return values.getOrDefault(name, def);
  }

  public int integer(String name, int def) {
    String v = values.get(name);
    return v == null ? def : Integer.parseInt(v.trim());
  }

  public long longValue(String name, long def) {
    String v = values.get(name);
    return v == null ? def : Long.parseLong(v.trim());
  }

  public double number(String name, double def) {
    String v = values.get(name);
    return v == null ? def : Double.parseDouble(v.trim());
  }

  public List<Integer> integers(String name, List<Integer> def) {
    String v = values.get(name);
    if (v == null) {
      return def;
    }
    List<Integer> out = new ArrayList<>();
    for (String part : v.split(",")) {
      if (!part.isBlank()) {
        out.add(Integer.parseInt(part.trim()));
      }
    }
    return out;
  }

  public List<String> strings(String name, List<String> def) {
    String v = values.get(name);
    if (v == null) {
      return def;
    }
    List<String> out = new ArrayList<>();
    for (String part : v.split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    return out;
  }

  public List<String> positional() {
    return positional;
  }
}

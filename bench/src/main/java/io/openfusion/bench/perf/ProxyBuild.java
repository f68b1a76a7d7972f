package io.openfusion.bench.perf;

import io.openfusion.bench.common.RepoPaths;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One proxy jar the harness runs, with the label its rows carry ({@code passthrough@before}); the unlabelled build of
 * an ordinary run keeps the plain target names.
 *
 * @param label {@code ""} for an ordinary run, else a short name ({@code before}, {@code after})
 * @param jar   the runnable {@code openfusion.jar}
 */
public record ProxyBuild(String label, Path jar) {

  /** The separator between a target and its build in a row's target name. */
  static final char SEPARATOR = '@';

  public ProxyBuild {
    if (!label.isEmpty() && !label.matches("[A-Za-z0-9_.-]{1,32}")) {
      throw new IllegalArgumentException("a build label is 1-32 letters, digits, '.', '_' or '-': " + label);
    }
  }

  /** {@code --compare before=PATH,after=PATH}: at least two builds, distinct labels, in the order given. */
  public static List<ProxyBuild> parse(String spec) {
    List<ProxyBuild> builds = new ArrayList<>();
    Set<String> labels = new LinkedHashSet<>();
    for (String part : spec.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      if (eq <= 0 || eq == part.length() - 1) {
        throw new IllegalArgumentException("--compare takes LABEL=JAR pairs, e.g. before=/tmp/before.jar,after=app/target/openfusion.jar; got " + part);
      }
      String label = part.substring(0, eq).trim();
      if (!labels.add(label)) {
        throw new IllegalArgumentException("--compare names the build " + label + " twice");
      }
      builds.add(new ProxyBuild(label, RepoPaths.resolve(part.substring(eq + 1).trim())));
    }
    if (builds.size() < 2) {
      throw new IllegalArgumentException("--compare needs at least two LABEL=JAR builds");
    }
    return List.copyOf(builds);
  }

  /** The row name of {@code target} measured on this build. */
  public String rowName(String target) {
    return label.isEmpty() ? target : target + SEPARATOR + label;
  }

  /** {@code proxy.log}, or {@code proxy-before.log} for a labelled build. */
  public String fileName(String stem, String extension) {
    return stem + (label.isEmpty() ? "" : "-" + label) + "." + extension;
  }

  /** The target part of a row name ({@code passthrough} of {@code passthrough@before}). */
  static String baseTarget(String rowTarget) {
    int at = rowTarget.indexOf(SEPARATOR);
    return at < 0 ? rowTarget : rowTarget.substring(0, at);
  }

  /** The build part of a row name, {@code ""} when it has none. */
  static String buildOf(String rowTarget) {
    int at = rowTarget.indexOf(SEPARATOR);
    return at < 0 ? "" : rowTarget.substring(at + 1);
  }

  static JsonArray toJson(List<ProxyBuild> builds) {
    JsonArray out = new JsonArray();
    builds.forEach(b -> out.add(new JsonObject().put("label", b.label()).put("jar", RepoPaths.display(b.jar().toString()))));
    return out;
  }

  static List<ProxyBuild> fromJson(JsonArray saved) {
    List<ProxyBuild> out = new ArrayList<>();
    saved.forEach(o -> out.add(new ProxyBuild(((JsonObject) o).getString("label", ""),
      Path.of(((JsonObject) o).getString("jar", "")))));
    return out;
  }
}

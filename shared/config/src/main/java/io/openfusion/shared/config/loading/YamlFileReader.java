package io.openfusion.shared.config.loading;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * Reads one YAML file into a JSON tree with vertx-config ({@code file} store, {@code yaml}
 * format), and turns the ways that can fail into {@link ConfigException}s that name the file.
 */
final class YamlFileReader {

  private YamlFileReader() {
  }

  static Future<JsonObject> read(Vertx vertx, Path file) {
    ConfigStoreOptions store = new ConfigStoreOptions()
        .setType("file")
        .setFormat("yaml")
        .setConfig(new JsonObject().put("path", file.toString()));
    // scanPeriod -1: read once; the default would re-read the file every 5 s until closed.
    ConfigRetriever retriever = ConfigRetriever.create(vertx,
        new ConfigRetrieverOptions().setScanPeriod(-1).addStore(store));
    return retriever.getConfig()
        .eventually(retriever::close)
        .recover(failure -> translate(failure, file));
  }

  private static Future<JsonObject> translate(Throwable failure, Path file) {
    // A file holding only comments (or "~") is a null YAML document; vertx-config-yaml 5.0.x
    // then fails with an NPE while merging it. Like an empty file, it means "no settings".
    if (failure instanceof NullPointerException) {
      return Future.succeededFuture(new JsonObject());
    }
    if (isYamlSyntaxError(failure)) {
      return Future.failedFuture(new ConfigException("config", file + " is not valid YAML: "
          + condense(failure.getMessage()) + " (check the indentation and quoting there)", failure));
    }
    if (failure instanceof DecodeException && failure.getCause() instanceof ClassCastException) {
      return Future.failedFuture(new ConfigException("config", file + " must hold a YAML mapping "
          + "(key: value lines such as \"preset: budget\"), not a list or a single value", failure));
    }
    return Future.failedFuture(new ConfigException("config", "cannot read " + file + ": "
        + failure.getMessage(), failure));
  }

  /** Checked by name so this class does not depend on the YAML library vertx-config happens to use. */
  private static boolean isYamlSyntaxError(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getClass().getName().startsWith("org.yaml.snakeyaml.")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Folds snakeyaml's multi-line message (problem, " in 'string', line 2, column 5:", source
   * excerpt, caret) into one line that keeps the problem and the line / column.
   */
  static String condense(String message) {
    if (message == null) {
      return "syntax error";
    }
    StringBuilder out = new StringBuilder();
    String[] lines = message.split("\\R");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("in '") && line.contains("line ")) {
        int at = line.indexOf("line ");
        String position = line.substring(at).replaceAll(":$", "");
        out.append(" (").append(position).append(')');
        // skip the indented source excerpt and the caret under it
        while (i + 1 < lines.length && lines[i + 1].startsWith(" ") && !lines[i + 1].strip().startsWith("in '")) {
          i++;
        }
        continue;
      }
      if (out.length() > 0) {
        out.append("; ");
      }
      out.append(line);
    }
    return out.toString().trim();
  }
}

package io.openfusion.bench.common;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root from wherever the harness was started (the root, {@code bench/}, or an IDE). */
public final class RepoPaths {

  private RepoPaths() {
  }

  public static Path root() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("bench")) && Files.isDirectory(p.resolve("app")) && Files.exists(p.resolve("pom.xml"))) {
        return p;
      }
    }
    return dir;
  }

  /** {@code text} with the repository root's absolute path removed, for reports that should read the same anywhere. */
  public static String display(String text) {
    if (text == null) {
      return null;
    }
    String root = root().toString();
    return text.replace(root + "/", "");
  }

  /** {@code path} as given when absolute or present, else resolved against the repository root. */
  public static Path resolve(String path) {
    Path p = Path.of(path);
    if (p.isAbsolute() || Files.exists(p)) {
      return p.toAbsolutePath();
    }
    return root().resolve(path);
  }
}

package io.openfusion.shared.telemetry;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code promtool check metrics} on scraped text, installing promtool first (once per JVM) with
 * {@code .ci/install-promtool.sh} when it is missing. Tests call it from their own thread, never an event loop.
 */
public final class Promtool {

  /** What promtool said: exit code and its combined output. */
  public record Result(int exitCode, String output) {

    /**
     * Exit 0 and nothing printed: the exposition parsed and promtool has no advice either (it exits 3 for lint
     * findings such as abbreviated units or a {@code _count} suffix on a gauge, 1 for a parse error).
     */
    public boolean clean() {
      return exitCode == 0 && output.isBlank();
    }
  }

  private static Boolean available;

  private Promtool() {
  }

  /**
   * Whether a missing promtool fails the test rather than skipping the check: always on CI (the {@code CI}
   * variable is set by GitHub Actions, GitLab and most others), where {@code .ci/install-promtool.sh} can install it;
   * on a laptop without apt the rest of the test still runs.
   */
  public static boolean required() {
    return System.getenv("CI") != null || Boolean.getBoolean("of.require.promtool");
  }

  /** @return whether promtool could be found or installed */
  public static synchronized boolean ensureInstalled() {
    if (available == null) {
      available = onPath() || (install() && onPath());
    }
    return available;
  }

  public static Result checkMetrics(String exposition) throws IOException, InterruptedException {
    Process process = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
      try {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "could not read promtool's output: " + e;
      }
    });
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return new Result(-1, "promtool timed out");
    }
    return new Result(process.exitValue(), output.join());
  }

  private static boolean onPath() {
    try {
      Process which = new ProcessBuilder("promtool", "--version").redirectErrorStream(true).start();
      which.getInputStream().readAllBytes();
      return which.waitFor(30, TimeUnit.SECONDS) && which.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static boolean install() {
    Path script = script();
    if (script == null) {
      return false;
    }
    try {
      Process install = new ProcessBuilder("bash", script.toString()).inheritIO().start();
      return install.waitFor(10, TimeUnit.MINUTES) && install.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** {@code .ci/install-promtool.sh} of this checkout, found from the module's working directory upwards. */
  private static Path script() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(".ci").resolve("install-promtool.sh");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}

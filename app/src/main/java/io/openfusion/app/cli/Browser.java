package io.openfusion.app.cli;

import java.awt.Desktop;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Opens the playground in the user's browser when {@code serve} runs interactively. Opening is best effort:
 * it runs on a daemon thread, and any failure is ignored, so the server never fails because of it.
 */
final class Browser {

  private Browser() {
  }

  /**
   * @param stdoutTty stdout is a terminal (a person is watching, not a service manager)
   * @param noOpen    {@code --no-open}
   */
  static boolean shouldOpen(boolean stdoutTty, boolean noOpen, Map<String, String> env, String osName) {
    if (!stdoutTty || noOpen || isSet(env.get("OPENFUSION_NO_OPEN"))) {
      return false;
    }
    String os = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
    if (os.contains("mac") || os.contains("win")) {
      return true;
    }
    return notBlank(env.get("DISPLAY")) || notBlank(env.get("WAYLAND_DISPLAY"));
  }

  /** Opens {@code url} in the background; returns at once. */
  static void openLater(String url, String osName) {
    Thread thread = new Thread(() -> open(url, osName), "openfusion-browser");
    thread.setDaemon(true);
    thread.start();
  }

  private static void open(String url, String osName) {
    try {
      if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
        Desktop.getDesktop().browse(URI.create(url));
        return;
      }
    } catch (Exception | LinkageError e) {
      // fall back to the platform's opener
    }
    String os = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
    List<String> command = os.contains("mac") ? List.of("open", url)
      : os.contains("win") ? List.of("rundll32", "url.dll,FileProtocolHandler", url)
      : List.of("xdg-open", url);
    try {
      new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (Exception e) {
      // no browser: the startup summary already shows the address
    }
  }

  private static boolean isSet(String value) {
    if (value == null || value.isBlank()) {
      return false;
    }
    String v = value.strip().toLowerCase(Locale.ROOT);
    return !v.equals("0") && !v.equals("false") && !v.equals("no");
  }

  private static boolean notBlank(String value) {
    return value != null && !value.isBlank();
  }
}

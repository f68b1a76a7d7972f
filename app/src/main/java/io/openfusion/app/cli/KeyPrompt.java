package io.openfusion.app.cli;

import io.openfusion.shared.config.loading.ConfigContext;
import io.openfusion.shared.config.loading.Credentials;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

import java.io.IOException;

/**
 * Getting an upstream key in the chat REPL: asked for on the first start when an upstream needs one, and again with
 * {@code /key}; read without echo and without history, saved for next time, and put to use at once.
 */
final class KeyPrompt {

  private final CliIo io;
  private final Terminal terminal;
  private final Backend backend;
  private final ConfigContext ctx;
  private final ReplScreen screen;

  KeyPrompt(CliIo io, Terminal terminal, Backend backend, ConfigContext ctx, ReplScreen screen) {
    this.io = io;
    this.terminal = terminal;
    this.backend = backend;
    this.ctx = ctx;
    this.screen = screen;
  }

  /** Asks for a key when an upstream needs one; false when there is still none. */
  boolean ensureKey() {
    String missing = backend.missingKey();
    if (missing == null) {
      return true;
    }
    screen.say("No upstream API key yet (needed for " + missing + "). Get one at https://openrouter.ai/keys");
    String key = readSecret("OpenRouter API key (saved for next time): ");
    if (key == null || key.isBlank()) {
      screen.error("no upstream API key. Set OPENROUTER_API_KEY or run `openfusion setup`.");
      return false;
    }
    save(key.strip());
    try {
      backend.useKey(key.strip());
    } catch (CliException e) {
      screen.error(e.getMessage());
      return false;
    }
    missing = backend.missingKey();
    if (missing != null) {
      screen.error("still no API key for " + missing + "; put its api_key in the config");
      return false;
    }
    return true;
  }

  /** {@code /key}: a new key, saved and used from the next turn on. */
  void replace() {
    String key = readSecret("OpenRouter API key: ");
    if (key == null || key.isBlank()) {
      screen.say("· key unchanged");
      return;
    }
    save(key.strip());
    backend.useKey(key.strip());
    screen.say("· the new key is in use");
  }

  void warnIfMissing() {
    String missing = backend.missingKey();
    if (missing != null) {
      screen.say("· no key for " + missing + " yet — /key to enter one");
    }
  }

  private void save(String key) {
    try {
      Credentials.save(ctx, key);
      screen.say("· key saved to " + Credentials.path(ctx)
        + (io.envValue("OPENROUTER_API_KEY") != null ? " (OPENROUTER_API_KEY in the environment still wins in new sessions)" : ""));
    } catch (IOException | IllegalArgumentException e) {
      screen.error("could not save the key: " + e.getMessage());
    }
  }

  /** Reads a line without echo and without recording it in the history. */
  private String readSecret(String prompt) {
    LineReader secret = LineReaderBuilder.builder().terminal(terminal).appName("openfusion")
      .variable(LineReader.DISABLE_HISTORY, true).build();
    try {
      return secret.readLine(prompt, '*');
    } catch (UserInterruptException | EndOfFileException e) {
      return null;
    }
  }
}

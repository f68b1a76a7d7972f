package io.openfusion.app.cli;

import io.openfusion.shared.config.loading.ConfigContext;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything a command needs from its process: the standard streams, whether each is a terminal, the
 * environment, the working and home directories, and how to open an interactive terminal. The real
 * process uses {@link #system()}; tests build one on in-memory streams, a fake environment and a temporary
 * home, so no test touches the user's files or terminal.
 *
 * @param terminals opens the terminal the chat REPL runs on
 */
public record CliIo(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, Path workingDir,
                   Path homeDir, boolean stdinTty, boolean stdoutTty, boolean stderrTty, TerminalFactory terminals) {

  /** Opens the chat's terminal. */
  @FunctionalInterface
  public interface TerminalFactory {
    Terminal open() throws IOException;
  }

  public CliIo {
    env = env == null ? Map.of() : Map.copyOf(env);
    workingDir = workingDir.toAbsolutePath().normalize();
    homeDir = homeDir.toAbsolutePath().normalize();
  }

  /** The real process: {@code System.in/out/err}, {@code System.getenv()}, {@code user.dir}, {@code user.home}. */
  public static CliIo system() {
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    return new CliIo(System.in, out, err, System.getenv(), Path.of(System.getProperty("user.dir")),
      Path.of(System.getProperty("user.home")), Tty.stdin(), Tty.stdout(), Tty.stderr(),
      () -> TerminalBuilder.builder().name("openfusion").system(true).encoding(StandardCharsets.UTF_8).build());
  }

  /** What the config loader and the credentials store see. */
  public ConfigContext configContext(String explicitConfig) {
    return new ConfigContext(explicitConfig, env, workingDir, homeDir);
  }

  /** @return the variable trimmed, or null when unset or blank */
  public String envValue(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** Colour and cursor control are allowed on this stream: it is a terminal, {@code NO_COLOR} is unset, {@code TERM} is not dumb. */
  public boolean colorOn(boolean tty) {
    return tty && envValue("NO_COLOR") == null && !"dumb".equals(envValue("TERM"));
  }
}

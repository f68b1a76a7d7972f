package io.openfusion.shared.config.loading;

import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the loader needs from the process environment, gathered in one value so tests can
 * fake it (no test should depend on the real {@code $HOME}, CWD or environment).
 *
 * @param explicitPath the {@code --config} argument, null if not given
 * @param env          environment variables
 * @param workingDir   directory relative config paths and the default {@code openfusion.yaml} resolve against
 * @param homeDir      the user's home, for {@code ~/.config/openfusion/credentials}
 */
public record ConfigContext(String explicitPath, Map<String, String> env, Path workingDir, Path homeDir) {

  public ConfigContext {
    env = env == null ? Map.of() : Collections.unmodifiableMap(new HashMap<>(env));
    workingDir = Objects.requireNonNull(workingDir, "workingDir").toAbsolutePath().normalize();
    homeDir = Objects.requireNonNull(homeDir, "homeDir").toAbsolutePath().normalize();
  }

  /**
   * The real process context: {@code System.getenv()}, {@code user.dir} and {@code user.home}.
   *
   * @param explicitPath the {@code --config} argument, null if not given
   */
  public static ConfigContext system(String explicitPath) {
    return new ConfigContext(explicitPath, System.getenv(),
        Path.of(System.getProperty("user.dir")), Path.of(System.getProperty("user.home")));
  }

  /**
   * @param name an environment variable
   * @return its value trimmed, or null if it is unset or blank
   */
  public String envValue(String name) {
    String value = env.get(name);
    if (value == null) {
      return null;
    }
    String trimmed = value.trim();
    return trimmed.isEmpty() ? null : trimmed;
  }

  /** The same context with another {@code --config} value. */
  public ConfigContext withExplicitPath(String explicitPath) {
    return new ConfigContext(explicitPath, env, workingDir, homeDir);
  }

  /** The same context with other environment variables. */
  public ConfigContext withEnv(Map<String, String> env) {
    return new ConfigContext(explicitPath, env, workingDir, homeDir);
  }
}

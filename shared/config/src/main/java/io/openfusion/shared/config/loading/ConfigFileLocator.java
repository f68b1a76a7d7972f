package io.openfusion.shared.config.loading;

import java.nio.file.Path;

/**
 * Decides which config file to read: {@code --config}, else {@code OPENFUSION_CONFIG}, else
 * {@code ./openfusion.yaml}. Pure: it does not look at the disk.
 */
final class ConfigFileLocator {

  static final String DEFAULT_FILE_NAME = "openfusion.yaml";
  static final String ENV_CONFIG = "OPENFUSION_CONFIG";

  /** Where a file name came from; only a {@link #DEFAULT} file may be missing. */
  enum Origin {
    EXPLICIT("--config"),
    ENV(ENV_CONFIG),
    DEFAULT("the default ./" + DEFAULT_FILE_NAME);

    private final String description;

    Origin(String description) {
      this.description = description;
    }

    String description() {
      return description;
    }
  }

  /**
   * @param path   absolute, normalised path of the file
   * @param origin where the name came from
   */
  record Candidate(Path path, Origin origin) {

    /** @return true if the user named this file, so a missing file is an error, not zero-config */
    boolean named() {
      return origin != Origin.DEFAULT;
    }
  }

  private ConfigFileLocator() {
  }

  static Candidate locate(ConfigContext ctx) {
    String explicit = ctx.explicitPath();
    if (explicit != null && !explicit.isBlank()) {
      return new Candidate(resolve(ctx, explicit.trim()), Origin.EXPLICIT);
    }
    String fromEnv = ctx.envValue(ENV_CONFIG);
    if (fromEnv != null) {
      return new Candidate(resolve(ctx, fromEnv), Origin.ENV);
    }
    return new Candidate(ctx.workingDir().resolve(DEFAULT_FILE_NAME), Origin.DEFAULT);
  }

  /**
   * Relative names resolve against the context's working directory (not the JVM's), and a leading
   * {@code ~/} against its home, because quoted env values never get shell tilde expansion.
   */
  static Path resolve(ConfigContext ctx, String name) {
    Path path;
    if (name.equals("~")) {
      path = ctx.homeDir();
    } else if (name.startsWith("~/")) {
      path = ctx.homeDir().resolve(name.substring(2));
    } else {
      path = ctx.workingDir().resolve(name);
    }
    return path.toAbsolutePath().normalize();
  }

  /** The message for a file the user named that does not exist. */
  static ConfigException missing(Candidate c) {
    String fix = c.origin() == Origin.EXPLICIT
        ? "fix the path, copy examples/preset.yaml to openfusion.yaml and pass that, "
            + "or drop the --config flag to start with the zero-config defaults"
        : "fix the path, copy examples/preset.yaml there, "
            + "or unset " + ENV_CONFIG + " to start with the zero-config defaults";
    return new ConfigException("config", "file " + c.path() + " (from " + c.origin().description()
        + ") does not exist; " + fix);
  }
}

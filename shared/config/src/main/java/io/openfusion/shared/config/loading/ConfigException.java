package io.openfusion.shared.config.loading;

import java.util.Objects;

/**
 * A configuration problem the operator has to fix before the server can start.
 *
 * <p>The message always has the shape {@code <key path>: <problem and fix>}, for example
 * {@code panel[1].base_url: required}, so it can be printed as-is. The key path is a YAML path
 * ({@code judge.model}, {@code panel[0].api_key}), {@code config} for problems with the file
 * itself, or the name of an environment variable ({@code OPENFUSION_PORT}) when that is what
 * needs fixing.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String keyPath;
  private final String problem;

  /**
   * @param keyPath where the problem is, e.g. {@code panel[1].base_url}
   * @param problem what is wrong and, where useful, how to fix it
   */
  public ConfigException(String keyPath, String problem) {
    this(keyPath, problem, null);
  }

  /**
   * @param keyPath where the problem is
   * @param problem what is wrong and how to fix it
   * @param cause   the underlying failure, e.g. the YAML parser's exception
   */
  public ConfigException(String keyPath, String problem, Throwable cause) {
    super(keyPath + ": " + problem, cause);
    this.keyPath = Objects.requireNonNull(keyPath, "keyPath");
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /** @return the key path, e.g. {@code panel[1].base_url} */
  public String keyPath() {
    return keyPath;
  }

  /** @return the message without the key path prefix */
  public String problem() {
    return problem;
  }
}

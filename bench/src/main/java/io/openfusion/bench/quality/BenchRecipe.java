package io.openfusion.bench.quality;

import io.openfusion.shared.config.loading.ConfigContext;
import io.openfusion.shared.config.loading.ConfigException;
import io.openfusion.shared.config.loading.ConfigLoader;
import io.openfusion.shared.config.OpenFusionConfig;
import io.vertx.core.Vertx;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A mode of the quality harness: an ordinary openfusion config file plus a {@code bench:} block the proxy ignores
 * (unknown keys are accepted):
 * <pre>
 * bench:
 *   mode: vote                 # the row label
 *   request_model: openfusion  # the model the harness asks for; default: the pass-through model for mode solo,
 *                              # else fusion_model_name
 *   description: ...
 * </pre>
 *
 * @param config the parsed config, or null when the harness runs against {@code --base-url}
 */
public record BenchRecipe(Path file, String mode, String requestModel, String description, OpenFusionConfig config) {

  public static final String SOLO = "solo";

  /**
   * @param env environment for {@code ${VAR}} interpolation (the simulator's URL in offline mode)
   * @throws IllegalArgumentException when the recipe is not a valid config (e.g. its key variable is not set)
   */
  public static BenchRecipe load(Vertx vertx, Path file, Map<String, String> env) throws IOException {
    Map<String, Object> raw = new Yaml().load(Files.readString(file));
    Map<?, ?> bench = raw != null && raw.get("bench") instanceof Map<?, ?> m ? m : Map.of();
    String fileName = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    String mode = bench.get("mode") == null ? fileName : bench.get("mode").toString();
    ConfigContext ctx = new ConfigContext(file.toString(), env, Path.of(System.getProperty("user.dir")),
      Path.of(System.getProperty("user.home")));
    OpenFusionConfig config;
    try {
      config = ConfigLoader.load(vertx, ctx).await();
    } catch (ConfigException e) {
      // a missing key or a bad recipe is the user's to fix, not a harness failure
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
    String requestModel;
    if (bench.get("request_model") != null) {
      requestModel = bench.get("request_model").toString();
    } else if (SOLO.equals(mode)) {
      requestModel = config.passThroughResolved() == null ? null : config.passThroughResolved().model();
    } else {
      requestModel = config.fusionModelName();
    }
    if (requestModel == null) {
      throw new IOException(file + ": cannot tell which model to request; set bench.request_model");
    }
    Object description = bench.get("description");
    return new BenchRecipe(file, mode, requestModel, description == null ? "" : description.toString(), config);
  }

  public boolean solo() {
    return SOLO.equals(mode);
  }
}

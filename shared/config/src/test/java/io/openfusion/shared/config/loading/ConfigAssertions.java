package io.openfusion.shared.config.loading;

import io.openfusion.shared.config.OpenFusionConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Small helpers shared by the config tests. */
final class ConfigAssertions {

  static final String SOURCE = "/test/openfusion.yaml";
  static final String MEMBER = "{\"base_url\":\"https://up.example/v1\",\"api_key\":\"sk-member\",\"model\":\"m-1\"}";

  private ConfigAssertions() {
  }

  /** Runs {@code call}, asserts it throws a ConfigException, and returns it. */
  static ConfigException configFailure(ThrowingCallable call) {
    Throwable t = catchThrowable(call);
    assertThat(t).as("expected a ConfigException").isInstanceOf(ConfigException.class);
    return (ConfigException) t;
  }

  static OpenFusionConfig parse(String json) {
    return parse(json, Map.of());
  }

  static OpenFusionConfig parse(String json, Map<String, String> env) {
    return ConfigParser.parse(new JsonObject(json), env, SOURCE);
  }

  /** {@code json} plus a one-member panel, so the panel rule does not get in the way. */
  static OpenFusionConfig parseWithPanel(String jsonFields) {
    return parse(withPanel(jsonFields));
  }

  static String withPanel(String jsonFields) {
    String body = jsonFields.isBlank() ? "" : jsonFields + ",";
    return "{" + body + "\"panel\":[" + MEMBER + "]}";
  }
}

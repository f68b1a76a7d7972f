package io.openfusion.shared.config.loading;

import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.ServerConfig;
import static io.openfusion.shared.config.loading.ConfigAssertions.configFailure;
import static io.openfusion.shared.config.loading.ConfigAssertions.parse;
import static io.openfusion.shared.config.loading.ConfigAssertions.withPanel;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** OPENFUSION_API_KEYS, OPENFUSION_HOST and OPENFUSION_PORT. */
class EnvOverridesTest {

  @Test
  void gatewayKeysMergeFileAndEnvTrimmedAndDeduplicated() {
    OpenFusionConfig c = parse(withPanel("\"gateway\":{\"api_keys\":[\" a \",\"b\",\"\"]}"),
        Map.of("OPENFUSION_API_KEYS", "c, a ,, d ,"));
    assertThat(c.gatewayKeys()).containsExactly("a", "b", "c", "d");
  }

  @Test
  void gatewayKeysFromEnvAlone() {
    assertThat(parse(withPanel(""), Map.of("OPENFUSION_API_KEYS", "k1,k2")).gatewayKeys()).containsExactly("k1", "k2");
    assertThat(parse(withPanel(""), Map.of("OPENFUSION_API_KEYS", " , ")).gatewayKeys()).isEmpty();
  }

  @Test
  void hostAndPortFromEnvWinOverTheFile() {
    OpenFusionConfig c = parse(withPanel("\"server\":{\"host\":\"127.0.0.1\",\"port\":9000,\"max_body_mb\":5}"),
        Map.of("OPENFUSION_HOST", " 0.0.0.0 ", "OPENFUSION_PORT", "8123"));
    assertThat(c.server()).isEqualTo(new ServerConfig("0.0.0.0", 8123, 5L * 1024 * 1024));
  }

  @Test
  void blankEnvValuesAreIgnored() {
    OpenFusionConfig c = parse(withPanel("\"server\":{\"port\":9000}"),
        Map.of("OPENFUSION_HOST", "", "OPENFUSION_PORT", "  "));
    assertThat(c.server().host()).as("the default: loopback only").isEqualTo("127.0.0.1");
    assertThat(c.server().port()).isEqualTo(9000);
  }

  @Test
  void badPortInEnvIsAConfigError() {
    ConfigException e = configFailure(() -> parse(withPanel(""), Map.of("OPENFUSION_PORT", "abc")));
    assertThat(e.keyPath()).isEqualTo("OPENFUSION_PORT");
    assertThat(e.getMessage()).startsWith("OPENFUSION_PORT: must be a port number between 0 and 65535, got 'abc'");
    assertThat(configFailure(() -> parse(withPanel(""), Map.of("OPENFUSION_PORT", "65536"))).keyPath())
        .isEqualTo("OPENFUSION_PORT");
  }
}

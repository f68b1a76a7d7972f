package io.openfusion.shared.config.loading;

import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.ResponsesConfig;
import static io.openfusion.shared.config.loading.ConfigAssertions.configFailure;
import static io.openfusion.shared.config.loading.ConfigAssertions.parseWithPanel;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResponsesConfigTest {

  @Test
  void storedForAnHourByDefault() {
    ResponsesConfig responses = parseWithPanel("").responses();
    assertThat(responses).isEqualTo(ResponsesConfig.defaults());
    assertThat(responses.storeTtlMinutes()).isEqualTo(60);
    assertThat(responses.maxStoredBytes()).isEqualTo(512 * 1024);
    assertThat(responses.storing()).isTrue();
  }

  @Test
  void settingsAreRead() {
    OpenFusionConfig c = parseWithPanel("\"responses\":{\"store_ttl_minutes\":5,\"max_stored\":0,\"max_stored_kb\":64}");
    assertThat(c.responses()).isEqualTo(new ResponsesConfig(5, 0, 64 * 1024));
    assertThat(c.responses().storing()).isFalse();
  }

  @Test
  void badSettingsNameTheirKeyPath() {
    assertThat(configFailure(() -> parseWithPanel("\"responses\":{\"store_ttl_minutes\":0}")).getMessage())
        .contains("responses.store_ttl_minutes");
    assertThat(configFailure(() -> parseWithPanel("\"responses\":{\"max_stored\":-1}")).getMessage())
        .contains("responses.max_stored");
  }
}

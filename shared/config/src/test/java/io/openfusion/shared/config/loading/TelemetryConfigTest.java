package io.openfusion.shared.config.loading;

import io.openfusion.shared.config.TelemetryConfig;
import static io.openfusion.shared.config.loading.ConfigAssertions.configFailure;
import static io.openfusion.shared.config.loading.ConfigAssertions.parseWithPanel;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TelemetryConfigTest {

  @Test
  void contentIsNotCapturedByDefault() {
    assertThat(parseWithPanel("").telemetry()).isEqualTo(TelemetryConfig.defaults());
    assertThat(parseWithPanel("\"telemetry\":{}").telemetry().captureContent()).isFalse();
  }

  @Test
  void captureContentIsRead() {
    assertThat(parseWithPanel("\"telemetry\":{\"capture_content\":true}").telemetry().captureContent()).isTrue();
  }

  @Test
  void aWrongTypeNamesItsKeyPath() {
    assertThat(configFailure(() -> parseWithPanel("\"telemetry\":{\"capture_content\":\"maybe\"}")).getMessage())
        .contains("telemetry.capture_content");
    assertThat(configFailure(() -> parseWithPanel("\"telemetry\":true")).getMessage())
        .contains("telemetry");
  }
}

package io.openfusion.shared.config.loading;

import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.WorkersConfig;
import static io.openfusion.shared.config.loading.ConfigAssertions.configFailure;
import static io.openfusion.shared.config.loading.ConfigAssertions.parseWithPanel;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WorkersConfigTest {

  @Test
  void noCapsByDefault() {
    assertThat(parseWithPanel("").workers()).isEqualTo(WorkersConfig.unlimited());
  }

  @Test
  void capsAreRead() {
    OpenFusionConfig c = parseWithPanel("\"workers\":{\"panel_max_concurrency\":8,\"judge_max_concurrency\":3}");
    assertThat(c.workers()).isEqualTo(new WorkersConfig(8, 3));
  }

  @Test
  void badCapsNameTheirKeyPath() {
    assertThat(configFailure(() -> parseWithPanel("\"workers\":{\"panel_max_concurrency\":-1}")).getMessage())
        .contains("workers.panel_max_concurrency").contains("between 0 and");
    assertThat(configFailure(() -> parseWithPanel("\"workers\":{\"judge_max_concurrency\":\"many\"}")).getMessage())
        .contains("workers.judge_max_concurrency");
  }
}

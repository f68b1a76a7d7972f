package io.openfusion.shared.upstream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpstreamOptionsTest {

  @Test
  void defaults() {
    assertThat(UpstreamOptions.defaults())
        .isEqualTo(new UpstreamOptions(10_000, 60_000, 60_000, 256, 1024 * 1024, 32L * 1024 * 1024));
  }

  @Test
  void jsonRoundTripAndPartialJson() {
    UpstreamOptions o = UpstreamOptions.defaults().withIdleTimeoutMs(5).withMaxPoolSize(3);
    assertThat(UpstreamOptions.fromJson(o.toJson())).isEqualTo(o);
    assertThat(UpstreamOptions.fromJson(new io.vertx.core.json.JsonObject().put("maxEventBytes", 9)).maxEventBytes())
        .isEqualTo(9);
    assertThat(UpstreamOptions.fromJson(null)).isEqualTo(UpstreamOptions.defaults());
  }

  @Test
  void rejectsNonPositiveValues() {
    assertThatThrownBy(() -> UpstreamOptions.defaults().withConnectTimeoutMs(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectTimeoutMs");
  }

  @Test
  void callToStringHidesKeyAndBody() {
    UpstreamCall call = Calls.call("http://127.0.0.1:1/v1", false);
    assertThat(call.toString()).doesNotContain(Calls.KEY).doesNotContain("secret prompt");
  }
}

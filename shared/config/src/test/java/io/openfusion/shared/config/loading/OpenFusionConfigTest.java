package io.openfusion.shared.config.loading;

import io.openfusion.shared.config.JudgeConfig;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.ResponsesConfig;
import io.openfusion.shared.config.RouteModel;
import io.openfusion.shared.config.RouterConfig;
import io.openfusion.shared.config.ServerConfig;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.UpstreamConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OpenFusionConfigTest {

  private static final UpstreamConfig A = new UpstreamConfig("https://a.example/v1", "secret-a-123", "model-a", "A", null);
  private static final UpstreamConfig B = new UpstreamConfig("https://b.example/v1", "secret-b-456", "model-b", null, null);
  private static final UpstreamConfig P = UpstreamConfig.of("https://p.example/v1", "secret-p-789", "model-p");
  private static final UpstreamConfig J = UpstreamConfig.of("https://j.example/v1", "secret-j-000", "model-j");
  private static final UpstreamConfig C = UpstreamConfig.of("https://c.example/v1", "secret-c-111", "model-c");

  private static OpenFusionConfig full() {
    return OpenFusionConfig.builder()
        .panel(List.of(A, B))
        .judge(JudgeConfig.of(J))
        .passThrough(P)
        .router(RouterConfig.defaults().withClassifier(C))
        .gatewayKeys(List.of("gateway-secret-1", "gateway-secret-2"))
        .build();
  }

  @Test
  void passThroughResolvedPrefersTheExplicitOne() {
    assertThat(full().passThroughResolved()).isEqualTo(P);
  }

  @Test
  void passThroughFallsBackToPanelZeroWithoutItsLabel() {
    UpstreamConfig resolved = full().withPassThrough(null).passThroughResolved();
    assertThat(resolved.model()).isEqualTo("model-a");
    assertThat(resolved.apiKey()).isEqualTo("secret-a-123");
    assertThat(resolved.label()).isNull();
  }

  @Test
  void passThroughResolvedIsNullWithoutPanelOrPassThrough() {
    assertThat(OpenFusionConfig.defaults().passThroughResolved()).isNull();
  }

  @Test
  void anyUpstreamKeyMissing() {
    assertThat(full().anyUpstreamKeyMissing()).isFalse();
    assertThat(full().withPanel(List.of(A, B.withApiKey(""))).anyUpstreamKeyMissing()).isTrue();
    assertThat(full().withJudge(JudgeConfig.of(J.withApiKey(""))).anyUpstreamKeyMissing()).isTrue();
    assertThat(full().withPassThrough(P.withApiKey(" ")).anyUpstreamKeyMissing()).isTrue();
    assertThat(full().withJudge(null).withPassThrough(null).anyUpstreamKeyMissing()).isFalse();
    assertThat(OpenFusionConfig.defaults().anyUpstreamKeyMissing()).isFalse();
  }

  @Test
  void withUpstreamsTouchesPanelJudgePassThroughAndClassifier() {
    OpenFusionConfig demo = full().withUpstreams(u -> u.withApiKey("demo"));
    assertThat(demo.panel()).allSatisfy(m -> assertThat(m.apiKey()).isEqualTo("demo"));
    assertThat(demo.judge().upstream().apiKey()).isEqualTo("demo");
    assertThat(demo.judge().maxPanelTokens()).isEqualTo(JudgeConfig.DEFAULT_MAX_PANEL_TOKENS);
    assertThat(demo.passThrough().apiKey()).isEqualTo("demo");
    assertThat(demo.router().classifier().apiKey()).isEqualTo("demo");
    assertThat(demo.panel().get(0).label()).isEqualTo("A");
    assertThat(full().panel().get(0).apiKey()).as("the source config is untouched").isEqualTo("secret-a-123");
  }

  @Test
  void withUpstreamsSkipsAbsentUpstreams() {
    OpenFusionConfig c = OpenFusionConfig.builder().panel(List.of(A)).build()
        .withUpstreams(u -> u.withApiKeyIfMissing("x"));
    assertThat(c.judge()).isNull();
    assertThat(c.passThrough()).isNull();
    assertThat(c.router().classifier()).isNull();
  }

  @Test
  void toStringHasNoSecrets() {
    OpenFusionConfig c = full().toBuilder()
        .router(new RouterConfig(true, "model", 1, List.of(), C, 4,
            List.of(new RouteModel("r", "fast", "https://r.example", "secret-route-222"))))
        .build();
    String s = c.toString();
    assertThat(s).doesNotContain("secret-").contains("model-a", "model-j", "model-p", "model-c")
        .contains("gatewayKeys=<2 keys>");
  }

  @Test
  void nullSectionsBecomeDefaults() {
    OpenFusionConfig c = new OpenFusionConfig(null, null, null, null, false, false, false, null, null, null,
        null, null, null, null, null, false, null, false, null, null, null, null, null, null, null, null, null, null, null);
    assertThat(c).isEqualTo(OpenFusionConfig.defaults());
    assertThat(c.strategy()).isSameAs(Strategy.SELF_FUSION);
    assertThat(c.fusionModelName()).isEqualTo("openfusion");
    assertThat(c.server()).isEqualTo(ServerConfig.defaults());
    assertThat(c.source()).isEqualTo(OpenFusionConfig.INLINE_SOURCE);
    assertThat(c.responses()).isEqualTo(ResponsesConfig.defaults());
    assertThat(c.telemetry().captureContent()).isFalse();
  }

  @Test
  void listsAreImmutableCopies() {
    java.util.ArrayList<UpstreamConfig> panel = new java.util.ArrayList<>(List.of(A));
    OpenFusionConfig c = OpenFusionConfig.builder().panel(panel).build();
    panel.add(B);
    assertThat(c.panel()).hasSize(1);
  }
}

package io.openfusion.shared.config.loading;

import io.openfusion.shared.config.Aggregator;
import io.openfusion.shared.config.ClusterSettings;
import io.openfusion.shared.config.CostControls;
import io.openfusion.shared.config.LimitsConfig;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.PipelineStep;
import io.openfusion.shared.config.Provider;
import io.openfusion.shared.config.ResponseCacheConfig;
import io.openfusion.shared.config.RouteModel;
import io.openfusion.shared.config.RouterConfig;
import io.openfusion.shared.config.SelfFusionConfig;
import io.openfusion.shared.config.ServerConfig;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.TimeoutsConfig;
import io.openfusion.shared.config.ToolsConfig;
import io.openfusion.shared.config.UpstreamConfig;
import static io.openfusion.shared.config.loading.ConfigAssertions.SOURCE;
import static io.openfusion.shared.config.loading.ConfigAssertions.configFailure;
import static io.openfusion.shared.config.loading.ConfigAssertions.parse;
import static io.openfusion.shared.config.loading.ConfigAssertions.parseWithPanel;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Defaults and the reading of every section. Error messages are in {@link ConfigValidationTest}. */
class ConfigParserTest {

  @Test
  void minimalPanelGetsEveryDefault() {
    OpenFusionConfig c = parseWithPanel("");
    assertThat(c.source()).isEqualTo(SOURCE);
    assertThat(c.preset()).isNull();
    assertThat(c.strategy()).isSameAs(Strategy.SELF_FUSION);
    assertThat(c.aggregator()).isSameAs(Aggregator.JUDGE);
    assertThat(c.fusionModelName()).isEqualTo("openfusion");
    assertThat(c.allowRequestOverrides()).isFalse();
    assertThat(c.allowUiApiKey()).isFalse();
    assertThat(c.exposePanel()).isFalse();
    assertThat(c.judge()).isNull();
    assertThat(c.passThrough()).isNull();
    assertThat(c.selfFusion()).isEqualTo(new SelfFusionConfig(3, List.of(0.3, 0.7, 1.0), true));
    assertThat(c.debate().rounds()).isEqualTo(1);
    assertThat(c.pipeline().steps()).isEmpty();
    assertThat(c.router()).isEqualTo(RouterConfig.defaults());
    assertThat(c.router().fuseKeywords()).contains("compare", "pros and cons", "recommend").hasSize(13);
    assertThat(c.router().classifierTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.limits()).isEqualTo(new LimitsConfig(0, 0));
    assertThat(c.promptCache()).isFalse();
    assertThat(c.responseCache()).isEqualTo(new ResponseCacheConfig(false, 300, 512));
    assertThat(c.emitAnalysis()).isFalse();
    assertThat(c.timeouts()).isEqualTo(new TimeoutsConfig(Duration.ofSeconds(120), Duration.ofSeconds(180),
        Duration.ofSeconds(300), Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(60)));
    assertThat(c.gatewayKeys()).isEmpty();
    assertThat(c.costControls()).isEqualTo(new CostControls(null, null, null));
    assertThat(c.tools()).isEqualTo(new ToolsConfig(false, false, 5, "auto", List.of(), false));
    assertThat(c.server()).isEqualTo(new ServerConfig("127.0.0.1", 8000, 20L * 1024 * 1024));
    assertThat(c.cluster()).isEqualTo(new ClusterSettings("openfusion", List.of("127.0.0.1"), 5801, "127.0.0.1"));
  }

  @Test
  void panelMemberFieldsAreRead() {
    OpenFusionConfig c = parse("""
        {"panel":[
          {"base_url":"https://openrouter.ai/api/v1/","api_key":" sk-1 ","model":" openai/gpt-4o-mini ","label":"mini"},
          {"base_url":"https://api.anthropic.com/v1","model":"claude-sonnet-4"},
          {"base_url":"https://proxy.example/v1","api_key":"k","model":"claude","provider":"anthropic"}]}""");
    UpstreamConfig first = c.panel().get(0);
    assertThat(first.baseUrl()).isEqualTo("https://openrouter.ai/api/v1");
    assertThat(first.apiKey()).isEqualTo("sk-1");
    assertThat(first.model()).isEqualTo("openai/gpt-4o-mini");
    assertThat(first.label()).isEqualTo("mini");
    assertThat(first.provider()).isSameAs(Provider.OPENAI);
    UpstreamConfig second = c.panel().get(1);
    assertThat(second.apiKey()).as("a missing api_key reads as empty").isEqualTo("");
    assertThat(second.provider()).as("inferred").isSameAs(Provider.ANTHROPIC);
    assertThat(c.panel().get(2).provider()).as("explicit wins").isSameAs(Provider.ANTHROPIC);
  }

  @Test
  void everySectionIsRead() {
    OpenFusionConfig c = parse("""
        {"strategy":"debate","aggregator":"ranked","fusion_model_name":"fuse-1",
         "allow_request_overrides":true,"allow_ui_api_key":true,"expose_panel":true,
         "panel":[{"base_url":"https://a.example/v1","api_key":"ka","model":"a"}],
         "judge":{"base_url":"https://j.example/v1","api_key":"kj","model":"j","max_panel_tokens":5000,"label":"J"},
         "pass_through":{"base_url":"https://p.example/v1","api_key":"kp","model":"p"},
         "self_fusion":{"n":5,"temperature_spread":[0,0.5,2],"seed_offset":false},
         "debate":{"rounds":3},
         "pipeline":{"steps":[{"name":"draft","model":"x/y","system":"Be brief."},{"name":"refine","use":"fuse"}]},
         "router":{"enabled":true,"mode":"model","min_chars":100,"fuse_keywords":["why"," ","how"],
                   "classifier":{"base_url":"https://c.example/v1","api_key":"kc","model":"c"},
                   "classifier_max_tokens":8,"classifier_timeout_seconds":2.5,
                   "route_models":[{"model":"small","tier":"fast"},{"model":"big","tier":"strong","base_url":"https://b.example/v1/","api_key":"kb"},{"model":"mid"}]},
         "limits":{"max_in_flight":4,"rate_limit_per_minute":60},
         "cache":{"enabled":true},
         "response_cache":{"enabled":true,"ttl_seconds":30,"max_entries":10},
         "analysis":{"emit":true},
         "timeouts":{"member_seconds":1.5,"judge_seconds":2,"total_seconds":3,"connect_seconds":0.25,
                     "first_token_seconds":4,"idle_seconds":5},
         "gateway":{"api_keys":["g1","g2"]},
         "cost_controls":{"pass_through_max_tokens":100,"panel_max_tokens":200,"judge_max_tokens":300},
         "tools":{"web_search":true,"web_fetch":false,"max_results":20,"engine":"exa",
                  "excluded_domains":["example.com"],"apply_to_judge":true},
         "server":{"host":"127.0.0.1","port":9000,"max_body_mb":2},
         "cluster":{"name":"c1","members":["10.0.0.1","10.0.0.2:5801"],"port":5901,"host":"10.0.0.1"}}""");
    assertThat(c.strategy()).isSameAs(Strategy.DEBATE);
    assertThat(c.aggregator()).isSameAs(Aggregator.RANKED);
    assertThat(c.fusionModelName()).isEqualTo("fuse-1");
    assertThat(c.allowRequestOverrides()).isTrue();
    assertThat(c.allowUiApiKey()).isTrue();
    assertThat(c.exposePanel()).isTrue();
    assertThat(c.judge().maxPanelTokens()).isEqualTo(5000);
    assertThat(c.judge().upstream().displayLabel()).isEqualTo("J");
    assertThat(c.passThrough().model()).isEqualTo("p");
    assertThat(c.selfFusion()).isEqualTo(new SelfFusionConfig(5, List.of(0.0, 0.5, 2.0), false));
    assertThat(c.debate().rounds()).isEqualTo(3);
    assertThat(c.pipeline().steps()).containsExactly(
        new PipelineStep("draft", "solo", "x/y", "Be brief."),
        new PipelineStep("refine", "fuse", null, null));
    RouterConfig r = c.router();
    assertThat(r.enabled()).isTrue();
    assertThat(r.mode()).isEqualTo("model");
    assertThat(r.minChars()).isEqualTo(100);
    assertThat(r.fuseKeywords()).containsExactly("why", "how");
    assertThat(r.classifier().model()).isEqualTo("c");
    assertThat(r.classifierMaxTokens()).isEqualTo(8);
    assertThat(r.classifierTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(r.routeModels()).containsExactly(
        new RouteModel("small", "fast", null, null),
        new RouteModel("big", "strong", "https://b.example/v1", "kb"),
        new RouteModel("mid", "balanced", null, null));
    assertThat(c.limits()).isEqualTo(new LimitsConfig(4, 60));
    assertThat(c.promptCache()).isTrue();
    assertThat(c.responseCache()).isEqualTo(new ResponseCacheConfig(true, 30, 10));
    assertThat(c.emitAnalysis()).isTrue();
    assertThat(c.timeouts().member()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.timeouts().judge()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.timeouts().total()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.timeouts().connect()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.timeouts().firstToken()).isEqualTo(Duration.ofSeconds(4));
    assertThat(c.timeouts().idle()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.gatewayKeys()).containsExactly("g1", "g2");
    assertThat(c.costControls()).isEqualTo(new CostControls(100, 200, 300));
    assertThat(c.tools()).isEqualTo(new ToolsConfig(true, false, 20, "exa", List.of("example.com"), true));
    assertThat(c.server()).isEqualTo(new ServerConfig("127.0.0.1", 9000, 2L * 1024 * 1024));
    assertThat(c.cluster()).isEqualTo(new ClusterSettings("c1", List.of("10.0.0.1", "10.0.0.2:5801"), 5901, "10.0.0.1"));
  }

  @Test
  void integralFloatsAreAcceptedWhereIntegersAreExpected() {
    assertThat(parseWithPanel("\"self_fusion\":{\"n\":4.0}").selfFusion().n()).isEqualTo(4);
  }

  @Test
  void nullValuesMeanDefault() {
    OpenFusionConfig c = parseWithPanel("\"judge\":null,\"strategy\":null,\"server\":{\"port\":null},\"tools\":null");
    assertThat(c.judge()).isNull();
    assertThat(c.strategy()).isSameAs(Strategy.SELF_FUSION);
    assertThat(c.server().port()).isEqualTo(8000);
    assertThat(c.tools()).isEqualTo(ToolsConfig.defaults());
  }

  @Test
  void unknownKeysAreAccepted() {
    OpenFusionConfig c = parseWithPanel("\"replicas\":4,\"quotas\":{\"daily_usd\":5},\"tracing\":{\"enabled\":true},"
        + "\"judge\":{\"base_url\":\"https://j.example\",\"model\":\"j\",\"future_knob\":true}");
    assertThat(c.judge().upstream().model()).isEqualTo("j");
  }

  @Test
  void enumNamesAreCaseInsensitive() {
    OpenFusionConfig c = parseWithPanel("\"strategy\":\"PANEL\",\"aggregator\":\"Vote\"");
    assertThat(c.strategy()).isSameAs(Strategy.PANEL);
    assertThat(c.aggregator()).isSameAs(Aggregator.VOTE);
  }

  @Test
  void judgeAggregationWithoutAJudgeLoads() {
    // Missing judge is a request-time error (400), not a boot failure: vote/override users still work.
    assertThat(parseWithPanel("\"aggregator\":\"judge\"").judge()).isNull();
    assertThat(parseWithPanel("\"aggregator\":\"ranked\"").judge()).isNull();
  }

  @Test
  void pipelineNeedsNoPanelForSoloSteps() {
    OpenFusionConfig c = parse("""
        {"strategy":"pipeline",
         "pass_through":{"base_url":"https://p.example/v1","api_key":"k","model":"p"},
         "pipeline":{"steps":[{"name":"a"},{"name":"b","model":"x","system":"s {a}"}]}}""");
    assertThat(c.panel()).isEmpty();
    assertThat(c.pipeline().steps()).hasSize(2);
  }

  @Test
  void parseDoesNotModifyItsInput() {
    JsonObject raw = new JsonObject("{\"preset\":\"budget\",\"panel\":[]}");
    String before = raw.encode();
    ConfigParser.parse(raw, Map.of("OPENROUTER_API_KEY", "k"), SOURCE);
    assertThat(raw.encode()).isEqualTo(before);
  }

  @Test
  void nullRawAndNullEnvAreTolerated() {
    // {} has no panel, so the panel rule is the first complaint: proves parsing ran.
    ConfigException e = configFailure(() -> ConfigParser.parse(null, null, SOURCE));
    assertThat(e.keyPath()).isEqualTo("panel");
  }
}

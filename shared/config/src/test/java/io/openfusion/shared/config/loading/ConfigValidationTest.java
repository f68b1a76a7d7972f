package io.openfusion.shared.config.loading;

import io.openfusion.shared.config.OpenFusionConfig;
import static io.openfusion.shared.config.loading.ConfigAssertions.configFailure;
import static io.openfusion.shared.config.loading.ConfigAssertions.parse;
import static io.openfusion.shared.config.loading.ConfigAssertions.parseWithPanel;
import static io.openfusion.shared.config.loading.ConfigAssertions.withPanel;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every rejected value names its key path and says what is expected. */
class ConfigValidationTest {

  private static final String M = "\"base_url\":\"https://u.example/v1\",\"api_key\":\"k\",\"model\":\"m\"";

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', textBlock = """
      {"panel":[{%M%},{"api_key":"k","model":"m"}]}                         | panel[1].base_url: required
      {"panel":[{"base_url":"https://u.example/v1","api_key":"k"}]}        | panel[0].model: required
      {"panel":[{"base_url":"https://u.example/v1","model":"  "}]}         | panel[0].model: required
      {"panel":[{%M%}],"judge":{"base_url":"https://j.example/v1"}}         | judge.model: required
      {"panel":[{%M%}],"judge":{"model":"j"}}                               | judge.base_url: required
      {"panel":[{%M%}],"pass_through":{"model":"p"}}                        | pass_through.base_url: required
      {"panel":[{%M%}],"pipeline":{"steps":[{"use":"fuse"}]}}               | pipeline.steps[0].name: required
      {"panel":[{%M%}],"router":{"route_models":[{"tier":"fast"}]}}        | router.route_models[0].model: required
      """)
  void missingRequiredKeys(String json, String message) {
    assertThat(configFailure(() -> parse(json.replace("%M%", M))).getMessage()).isEqualTo(message);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      "server":{"port":"abc"}                 | server.port: must be a whole number, got string "abc"
      "strategy":7                            | strategy: must be one of self_fusion, panel, debate, pipeline
      "strategy":"fusion"                     | strategy: must be one of self_fusion, panel, debate, pipeline
      "aggregator":"best"                     | aggregator: must be one of judge, vote, ranked
      "expose_panel":"yes"                    | expose_panel: must be true or false, got string "yes"
      "allow_ui_api_key":1                    | allow_ui_api_key: must be true or false, got number 1
      "self_fusion":{"n":1.5}                 | self_fusion.n: must be a whole number, got number 1.5
      "limits":{"max_in_flight":true}         | limits.max_in_flight: must be a whole number, got boolean true
      "tools":[]                              | tools: must be a mapping (key: value lines), got a list
      "fusion_model_name":5                   | fusion_model_name: must be a string, got number 5 (put the value in quotes)
      "router":{"mode":"smart"}               | router.mode: must be one of heuristic, model, always, never
      "router":{"fuse_keywords":"why"}        | router.fuse_keywords: must be a list of strings, got string "why"
      "router":{"fuse_keywords":["why",3]}    | router.fuse_keywords[1]: must be a string, got number 3 (put the value in quotes)
      "router":{"route_models":[{"model":"x","tier":"huge"}]} | router.route_models[0].tier: must be one of fast, balanced, strong
      "tools":{"engine":"google"}             | tools.engine: must be one of auto, native, exa
      "timeouts":{"member_seconds":"fast"}    | timeouts.member_seconds: must be a number of seconds, got string "fast"
      "timeouts":{"idle_seconds":true}        | timeouts.idle_seconds: must be a number of seconds, got boolean true
      "router":{"classifier_timeout_seconds":"5s"} | router.classifier_timeout_seconds: must be a number of seconds, got string "5s"
      "self_fusion":{"temperature_spread":[0.3,"hot"]} | self_fusion.temperature_spread[1]: must be a number, got string "hot"
      "pipeline":{"steps":[{"name":"a","use":"both"}]} | pipeline.steps[0].use: must be one of solo, fuse
      "pipeline":[]                           | pipeline: must be a mapping (key: value lines), got a list
      "cluster":{"members":"127.0.0.1"}       | cluster.members: must be a list of strings, got string "127.0.0.1"
      "judge":{"base_url":"https://j.example","model":"j","provider":"google"} | judge.provider: must be one of openai, anthropic
      """)
  void wrongTypesAndEnumValues(String fields, String message) {
    assertThat(configFailure(() -> parseWithPanel(fields)).getMessage()).isEqualTo(message);
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      "self_fusion":{"n":0}                       | self_fusion.n: must be between 1 and 16, got 0
      "self_fusion":{"n":17}                      | self_fusion.n: must be between 1 and 16, got 17
      "self_fusion":{"temperature_spread":[2.5]}  | self_fusion.temperature_spread[0]: must be between 0 and 2, got 2.5
      "debate":{"rounds":4}                       | debate.rounds: must be between 1 and 3, got 4
      "debate":{"rounds":0}                       | debate.rounds: must be between 1 and 3, got 0
      "tools":{"max_results":21}                  | tools.max_results: must be between 1 and 20, got 21
      "router":{"classifier_max_tokens":65}       | router.classifier_max_tokens: must be between 1 and 64, got 65
      "router":{"min_chars":-1}                   | router.min_chars: must be at least 0, got -1
      "router":{"classifier_timeout_seconds":0}   | router.classifier_timeout_seconds: must be greater than 0 and at most 86400 seconds, got 0
      "limits":{"rate_limit_per_minute":-5}       | limits.rate_limit_per_minute: must be at least 0, got -5
      "response_cache":{"ttl_seconds":0}          | response_cache.ttl_seconds: must be at least 1, got 0
      "response_cache":{"max_entries":0}          | response_cache.max_entries: must be at least 1, got 0
      "cost_controls":{"panel_max_tokens":0}      | cost_controls.panel_max_tokens: must be at least 1, got 0
      "cost_controls":{"judge_max_tokens":2.5}    | cost_controls.judge_max_tokens: must be a whole number, got number 2.5
      "timeouts":{"member_seconds":0}             | timeouts.member_seconds: must be greater than 0 and at most 86400 seconds, got 0
      "timeouts":{"judge_seconds":-1.5}           | timeouts.judge_seconds: must be greater than 0 and at most 86400 seconds, got -1.5
      "server":{"port":70000}                     | server.port: must be between 0 and 65535, got 70000
      "server":{"max_body_mb":0}                  | server.max_body_mb: must be between 1 and 1024, got 0
      "server":{"port":3000000000}                | server.port: must be between 0 and 65535, got 3000000000
      "cluster":{"port":0}                        | cluster.port: must be between 1 and 65535, got 0
      "judge":{"base_url":"https://j.example","model":"j","max_panel_tokens":0} | judge.max_panel_tokens: must be at least 1, got 0
      """)
  void outOfRangeNumbers(String fields, String message) {
    assertThat(configFailure(() -> parseWithPanel(fields)).getMessage()).isEqualTo(message);
  }

  @Test
  void panelMustBeAListOfMappings() {
    assertThat(configFailure(() -> parse("{\"panel\":3}")).getMessage())
        .isEqualTo("panel: must be a list, each entry a mapping with base_url, api_key and model, got number 3");
    assertThat(configFailure(() -> parse("{\"panel\":[\"openai/gpt-4o\"]}")).getMessage())
        .isEqualTo("panel[0]: must be a mapping with base_url, api_key and model, got string \"openai/gpt-4o\"");
  }

  @Test
  void baseUrlMustBeHttp() {
    ConfigException e = configFailure(() -> parse(
        "{\"panel\":[{\"base_url\":\"openrouter.ai/api/v1\",\"model\":\"m\"}]}"));
    assertThat(e.getMessage()).isEqualTo("panel[0].base_url: must be an http(s) URL such as "
        + "https://openrouter.ai/api/v1, got \"openrouter.ai/api/v1\"");
    assertThat(configFailure(() -> parse(
        "{\"panel\":[{\"base_url\":\"ftp://host/v1\",\"model\":\"m\"}]}")).keyPath()).isEqualTo("panel[0].base_url");
    assertThat(configFailure(() -> parseWithPanel(
        "\"router\":{\"route_models\":[{\"model\":\"x\",\"base_url\":\"nope\"}]}")).keyPath())
        .isEqualTo("router.route_models[0].base_url");
  }

  @Test
  void trailingSlashesAreStripped() {
    OpenFusionConfig c = parse("""
        {"panel":[{"base_url":"http://127.0.0.1:11434/v1///","model":"llama3.2"}],
         "judge":{"base_url":"https://j.example/v1/","model":"j"},
         "pass_through":{"base_url":"https://p.example/","model":"p"}}""");
    assertThat(c.panel().get(0).baseUrl()).isEqualTo("http://127.0.0.1:11434/v1");
    assertThat(c.judge().upstream().baseUrl()).isEqualTo("https://j.example/v1");
    assertThat(c.passThrough().baseUrl()).isEqualTo("https://p.example");
  }

  @Test
  void apiKeysAreNeverEchoedInMessages() {
    ConfigException e = configFailure(() -> parseWithPanel(
        "\"judge\":{\"base_url\":\"https://j.example\",\"model\":\"j\",\"api_key\":123456789}"));
    assertThat(e.getMessage()).isEqualTo("judge.api_key: must be a string, got a number (put the value in quotes)");
    ConfigException g = configFailure(() -> parseWithPanel("\"gateway\":{\"api_keys\":[true]}"));
    assertThat(g.getMessage()).doesNotContain("true").startsWith("gateway.api_keys[0]: must be a string");
  }

  @Test
  void emptyPanelIsRejectedForPanelStrategies() {
    assertThat(configFailure(() -> parse("{}")).getMessage())
        .startsWith("panel: at least one member is required for strategy self_fusion");
    assertThat(configFailure(() -> parse("{\"strategy\":\"panel\",\"panel\":[]}")).getMessage())
        .startsWith("panel: at least one member is required for strategy panel");
    assertThat(configFailure(() -> parse("{\"strategy\":\"debate\"}")).keyPath()).isEqualTo("panel");
  }

  @Test
  void pipelineRules() {
    assertThat(configFailure(() -> parse(withPanel("\"strategy\":\"pipeline\""))).getMessage())
        .isEqualTo("pipeline.steps: at least one step is required for strategy pipeline");
    assertThat(configFailure(() -> parse(
        "{\"strategy\":\"pipeline\",\"pipeline\":{\"steps\":[{\"name\":\"a\"},{\"name\":\"b\",\"use\":\"fuse\"}]}}"))
        .keyPath()).isEqualTo("pipeline.steps[1].use");
    assertThat(configFailure(() -> parseWithPanel(
        "\"pipeline\":{\"steps\":[{\"name\":\"a\",\"use\":\"fuse\",\"model\":\"x\"}]}")).keyPath())
        .isEqualTo("pipeline.steps[0].model");
  }

  @Test
  void blankNamesAreRejected() {
    assertThat(configFailure(() -> parseWithPanel("\"fusion_model_name\":\" \"")).keyPath())
        .isEqualTo("fusion_model_name");
    assertThat(configFailure(() -> parseWithPanel("\"server\":{\"host\":\"\"}")).keyPath()).isEqualTo("server.host");
    assertThat(configFailure(() -> parseWithPanel("\"cluster\":{\"members\":[]}")).keyPath())
        .isEqualTo("cluster.members");
  }

  @Test
  void nonFiniteSecondsAreRejected() {
    assertThat(configFailure(() -> ConfigParser.parse(new io.vertx.core.json.JsonObject(withPanel(""))
        .put("timeouts", new io.vertx.core.json.JsonObject().put("total_seconds", Double.POSITIVE_INFINITY)),
        java.util.Map.of(), "x")).keyPath()).isEqualTo("timeouts.total_seconds");
  }
}

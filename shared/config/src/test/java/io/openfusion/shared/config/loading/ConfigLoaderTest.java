package io.openfusion.shared.config.loading;

import io.openfusion.shared.config.Aggregator;
import io.openfusion.shared.config.CostControls;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.ServerConfig;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.UpstreamConfig;
import static io.openfusion.shared.config.loading.ConfigAssertions.configFailure;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

  private static Vertx vertx;

  @TempDir
  Path tmp;

  private Path work;
  private Path home;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    vertx.close().await();
  }

  @BeforeEach
  void dirs() throws IOException {
    work = Files.createDirectories(tmp.resolve("work"));
    home = Files.createDirectories(tmp.resolve("home"));
  }

  private ConfigContext ctx(String explicit, Map<String, String> env) {
    return new ConfigContext(explicit, env, work, home);
  }

  private OpenFusionConfig load(ConfigContext ctx) {
    return ConfigLoader.load(vertx, ctx).await();
  }

  /** A valid file whose fusion_model_name tells the tests which file was read. */
  private Path recipe(Path file, String name) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, """
        fusion_model_name: %s
        panel:
          - base_url: https://up.example/v1
            api_key: k
            model: m
        """.formatted(name));
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(ConfigLoaderTest.class.getResource("/config/" + name).toURI());
  }

  // ---- lookup order --------------------------------------------------------------------------

  @Test
  void explicitPathBeatsEnvBeatsDefault() throws IOException {
    recipe(work.resolve("explicit.yaml"), "from-explicit");
    recipe(work.resolve("env.yaml"), "from-env");
    recipe(work.resolve("openfusion.yaml"), "from-default");
    Map<String, String> env = Map.of("OPENFUSION_CONFIG", "env.yaml");
    assertThat(load(ctx("explicit.yaml", env)).fusionModelName()).isEqualTo("from-explicit");
    assertThat(load(ctx(null, env)).fusionModelName()).isEqualTo("from-env");
    assertThat(load(ctx(null, Map.of())).fusionModelName()).isEqualTo("from-default");
  }

  @Test
  void withoutAnyFileItIsZeroConfig() {
    OpenFusionConfig c = load(ctx(null, Map.of()));
    assertThat(c.source()).isEqualTo("zero-config");
    assertThat(c.isZeroConfig()).isTrue();
  }

  @Test
  void sourceIsTheAbsolutePathAndRelativeNamesUseTheWorkingDir() throws IOException {
    Path file = recipe(work.resolve("conf/of.yaml"), "x");
    OpenFusionConfig c = load(ctx("conf/of.yaml", Map.of()));
    assertThat(c.source()).isEqualTo(file.toAbsolutePath().normalize().toString());
  }

  @Test
  void absoluteAndHomeRelativePaths() throws IOException {
    Path abs = recipe(tmp.resolve("elsewhere/a.yaml"), "abs");
    recipe(home.resolve("of/h.yaml"), "home");
    assertThat(load(ctx(abs.toString(), Map.of())).fusionModelName()).isEqualTo("abs");
    assertThat(load(ctx(null, Map.of("OPENFUSION_CONFIG", "~/of/h.yaml"))).fusionModelName()).isEqualTo("home");
  }

  @Test
  void blankExplicitAndEnvNamesAreIgnored() throws IOException {
    recipe(work.resolve("openfusion.yaml"), "from-default");
    assertThat(load(ctx(" ", Map.of("OPENFUSION_CONFIG", ""))).fusionModelName()).isEqualTo("from-default");
  }

  // ---- named but missing ---------------------------------------------------------------------

  @Test
  void missingExplicitFileFailsInsteadOfFallingBack() {
    ConfigException e = configFailure(() -> load(ctx("nope.yaml", Map.of())));
    assertThat(e.keyPath()).isEqualTo("config");
    assertThat(e.getMessage())
        .contains(work.resolve("nope.yaml").toString())
        .contains("(from --config)")
        .contains("examples/preset.yaml")
        .contains("drop the --config flag");
  }

  @Test
  void missingEnvFileFailsInsteadOfFallingBack() {
    recipe0();
    ConfigException e = configFailure(() -> load(ctx(null, Map.of("OPENFUSION_CONFIG", "/no/such/of.yaml"))));
    assertThat(e.keyPath()).isEqualTo("config");
    assertThat(e.getMessage())
        .contains("/no/such/of.yaml")
        .contains("(from OPENFUSION_CONFIG)")
        .contains("unset OPENFUSION_CONFIG");
  }

  /** A default file exists too, proving the named file is not silently replaced by it. */
  private void recipe0() {
    try {
      recipe(work.resolve("openfusion.yaml"), "from-default");
    } catch (IOException e) {
      throw new RuntimeException(e);
    }
  }

  // ---- file problems -------------------------------------------------------------------------

  @Test
  void yamlSyntaxErrorNamesTheFileAndTheLine() throws Exception {
    Path file = resource("bad-syntax.yaml");
    ConfigException e = configFailure(() -> load(ctx(file.toString(), Map.of())));
    assertThat(e.keyPath()).isEqualTo("config");
    assertThat(e.getMessage())
        .startsWith("config: " + file + " is not valid YAML: ")
        .contains("line 3")
        .doesNotContain("'string'")
        .doesNotContain("\n");
  }

  @Test
  void aTopLevelListIsRejected() throws Exception {
    ConfigException e = configFailure(() -> load(ctx(resource("list.yaml").toString(), Map.of())));
    assertThat(e.getMessage()).contains("must hold a YAML mapping");
  }

  @Test
  void emptyAndCommentOnlyFilesAreEmptyConfigs() throws Exception {
    // {} then fails the panel rule: the file was read fine, it just configures nothing.
    Path empty = Files.writeString(work.resolve("empty.yaml"), "");
    assertThat(configFailure(() -> load(ctx(empty.toString(), Map.of()))).keyPath()).isEqualTo("panel");
    assertThat(configFailure(() -> load(ctx(resource("comments-only.yaml").toString(), Map.of()))).keyPath())
        .isEqualTo("panel");
  }

  @Test
  void aDirectoryIsNotAConfigFile() throws IOException {
    Files.createDirectories(work.resolve("dir.yaml"));
    ConfigException e = configFailure(() -> load(ctx("dir.yaml", Map.of())));
    assertThat(e.keyPath()).isEqualTo("config");
    assertThat(e.getMessage()).contains("cannot read");
  }

  @Test
  void validationErrorsComeThroughTheLoader() throws IOException {
    Files.writeString(work.resolve("openfusion.yaml"), """
        panel:
          - base_url: https://up.example/v1
            model: m
          - api_key: k
            model: m2
        """);
    assertThat(configFailure(() -> load(ctx(null, Map.of()))).getMessage()).isEqualTo("panel[1].base_url: required");
  }

  @Test
  void fullFileFromResourcesLoadsWithInterpolation() throws Exception {
    OpenFusionConfig c = load(ctx(resource("full.yaml").toString(),
        Map.of("OPENROUTER_API_KEY", "sk-env", "UPSTREAM_HOST", "llm.example")));
    assertThat(c.panel()).hasSize(2);
    assertThat(c.panel().get(0).apiKey()).isEqualTo("sk-env");
    assertThat(c.panel().get(1).baseUrl()).isEqualTo("https://llm.example/v1");
    assertThat(c.strategy()).isSameAs(Strategy.DEBATE);
    assertThat(c.timeouts().member().toMillis()).isEqualTo(2500);
    assertThat(c.gatewayKeys()).containsExactly("gw-1");
  }

  @Test
  void missingEnvVariableInAFileNamesTheKeyPath() throws Exception {
    ConfigException e = configFailure(() -> load(ctx(resource("full.yaml").toString(),
        Map.of("UPSTREAM_HOST", "llm.example"))));
    assertThat(e.getMessage()).isEqualTo("panel[0].api_key: environment variable OPENROUTER_API_KEY is not set "
        + "(export OPENROUTER_API_KEY=... or put the value in the file)");
  }

  @Test
  void presetFileUsesSavedCredentialsWhenEnvIsUnset() throws IOException {
    ConfigContext ctx = ctx(null, Map.of());
    Credentials.save(ctx, "sk-saved");
    Files.writeString(work.resolve("openfusion.yaml"), "preset: budget\n");
    OpenFusionConfig c = load(ctx);
    assertThat(c.panel()).allSatisfy(m -> assertThat(m.apiKey()).isEqualTo("sk-saved"));
    assertThat(c.anyUpstreamKeyMissing()).isFalse();
  }

  // ---- zero-config ---------------------------------------------------------------------------

  @Test
  void zeroConfigIsTheBudgetPanelWithOnboardingDefaults() {
    OpenFusionConfig c = ConfigLoader.zeroConfig(ctx(null, Map.of("OPENROUTER_API_KEY", "sk-env")));
    assertThat(c.source()).isEqualTo("zero-config");
    assertThat(c.preset()).isEqualTo("budget");
    assertThat(c.strategy()).isSameAs(Strategy.PANEL);
    assertThat(c.aggregator()).isSameAs(Aggregator.JUDGE);
    assertThat(c.panel()).extracting(UpstreamConfig::label).containsExactly("panel-0", "panel-1", "panel-2");
    assertThat(c.panel()).extracting(UpstreamConfig::model)
        .containsExactly("openai/gpt-4o-mini", "deepseek/deepseek-v4-pro", "moonshotai/kimi-k2.6");
    assertThat(c.judge().upstream().model()).isEqualTo("deepseek/deepseek-v4-pro");
    assertThat(c.passThrough().model()).isEqualTo("openai/gpt-4o-mini");
    assertThat(c.panel()).allSatisfy(m -> assertThat(m.apiKey()).isEqualTo("sk-env"));
    assertThat(c.tools().webSearch()).isTrue();
    assertThat(c.tools().webFetch()).isTrue();
    assertThat(c.costControls()).isEqualTo(new CostControls(1024, 1024, 1024, 8192));
    assertThat(c.allowUiApiKey()).isTrue();
    assertThat(c.allowRequestOverrides()).isTrue();
    assertThat(c.gatewayKeys()).isEmpty();
    assertThat(c.exposePanel()).isFalse();
    assertThat(c.server()).isEqualTo(ServerConfig.defaults());
  }

  @Test
  void zeroConfigWithoutAnyKeyStartsAndReportsTheMissingKey() {
    OpenFusionConfig c = ConfigLoader.zeroConfig(ctx(null, Map.of()));
    assertThat(c.anyUpstreamKeyMissing()).isTrue();
    assertThat(c.judge().upstream().apiKey()).isEmpty();
  }

  @Test
  void zeroConfigUsesSavedCredentialsButEnvWins() throws IOException {
    ConfigContext noEnv = ctx(null, Map.of());
    Credentials.save(noEnv, "sk-saved");
    assertThat(ConfigLoader.zeroConfig(noEnv).passThrough().apiKey()).isEqualTo("sk-saved");
    assertThat(ConfigLoader.zeroConfig(ctx(null, Map.of("OPENROUTER_API_KEY", "sk-env"))).passThrough().apiKey())
        .isEqualTo("sk-env");
  }

  @Test
  void zeroConfigHonoursGatewayKeysHostAndPortFromEnv() {
    Map<String, String> env = new HashMap<>();
    env.put("OPENFUSION_API_KEYS", "gw-a, gw-b");
    env.put("OPENFUSION_HOST", "0.0.0.0");
    env.put("OPENFUSION_PORT", "9999");
    OpenFusionConfig c = load(ctx(null, env));
    assertThat(c.isZeroConfig()).isTrue();
    assertThat(c.gatewayKeys()).containsExactly("gw-a", "gw-b");
    assertThat(c.server().host()).isEqualTo("0.0.0.0");
    assertThat(c.server().port()).isEqualTo(9999);
  }

  @Test
  void systemContextReadsTheProcess() {
    ConfigContext sys = ConfigContext.system("x.yaml");
    assertThat(sys.explicitPath()).isEqualTo("x.yaml");
    assertThat(sys.workingDir()).isEqualTo(Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize());
    assertThat(sys.homeDir()).isEqualTo(Path.of(System.getProperty("user.home")).toAbsolutePath().normalize());
    assertThat(sys.env()).isEqualTo(System.getenv());
  }
}

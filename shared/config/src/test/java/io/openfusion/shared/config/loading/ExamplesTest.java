package io.openfusion.shared.config.loading;

import io.openfusion.shared.config.Aggregator;
import io.openfusion.shared.config.CostControls;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.PipelineStep;
import io.openfusion.shared.config.Presets;
import io.openfusion.shared.config.Provider;
import io.openfusion.shared.config.Strategy;
import io.openfusion.shared.config.TimeoutsConfig;
import io.openfusion.shared.config.UpstreamConfig;
import io.openfusion.shared.config.WorkersConfig;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every shipped recipe in {@code examples/} must load. */
class ExamplesTest {

  private static Vertx vertx;

  @TempDir
  static Path tmp;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    vertx.close().await();
  }

  /** The repository's examples/ folder, found by walking up from the module directory. */
  static Path examplesDir() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("examples");
      if (Files.isDirectory(candidate) && Files.exists(dir.resolve("pom.xml"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("examples/ not found above " + Path.of("").toAbsolutePath());
  }

  static List<Path> examples() throws IOException {
    try (Stream<Path> files = Files.list(examplesDir())) {
      return files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
    }
  }

  private static OpenFusionConfig load(Path file) {
    // An empty home: a developer's real saved key must not influence the result.
    ConfigContext ctx = new ConfigContext(file.toString(), Map.of("OPENROUTER_API_KEY", "sk-test", "ANTHROPIC_API_KEY", "sk-ant-test"),
        tmp, tmp.resolve("home"));
    return ConfigLoader.load(vertx, ctx).await();
  }

  private static OpenFusionConfig example(String name) {
    return load(examplesDir().resolve(name));
  }

  @Test
  void theDocumentedRecipesExist() throws IOException {
    assertThat(examples()).extracting(p -> p.getFileName().toString())
        .contains("preset.yaml", "default.yaml", "dev.yaml", "ollama.yaml", "cluster.yaml", "debate.yaml", "vote.yaml",
          "pipeline.yaml", "router.yaml", "anthropic.yaml");
  }

  @Test
  void strategyRecipesSayWhatTheyDo() {
    OpenFusionConfig debate = example("debate.yaml");
    assertThat(debate.strategy()).isEqualTo(Strategy.DEBATE);
    assertThat(debate.quorum().minAnswers()).isEqualTo(2);
    OpenFusionConfig vote = example("vote.yaml");
    assertThat(vote.aggregator()).isEqualTo(Aggregator.VOTE);
    assertThat(vote.selfFusion().n()).isEqualTo(5);
    OpenFusionConfig pipeline = example("pipeline.yaml");
    assertThat(pipeline.strategy()).isEqualTo(Strategy.PIPELINE);
    assertThat(pipeline.pipeline().steps()).extracting(PipelineStep::name).containsExactly("draft", "final");
    OpenFusionConfig router = example("router.yaml");
    assertThat(router.router().enabled()).isTrue();
    assertThat(router.router().routeModels()).hasSize(2);
    OpenFusionConfig anthropic = example("anthropic.yaml");
    assertThat(anthropic.panel().get(0).provider()).isEqualTo(Provider.ANTHROPIC);
    assertThat(anthropic.responseCache().enabled()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyExampleLoads(Path file) {
    OpenFusionConfig c = load(file);
    assertThat(c.source()).isEqualTo(file.toAbsolutePath().normalize().toString());
    assertThat(c.panel()).isNotEmpty();
    assertThat(c.anyUpstreamKeyMissing()).as("every upstream has a key").isFalse();
  }

  @Test
  void presetRecipe() {
    OpenFusionConfig c = example("preset.yaml");
    assertThat(c.preset()).isEqualTo("budget");
    assertThat(c.panel()).hasSize(3).allSatisfy(m -> assertThat(m.apiKey()).isEqualTo("sk-test"));
    assertThat(c.costControls()).isEqualTo(new CostControls(1024, 1024, 1024));
  }

  @Test
  void defaultRecipe() {
    OpenFusionConfig c = example("default.yaml");
    assertThat(c.preset()).isNull();
    assertThat(c.strategy()).isSameAs(Strategy.PANEL);
    assertThat(c.panel()).hasSize(3).allSatisfy(m -> {
      assertThat(m.baseUrl()).isEqualTo(Presets.OPENROUTER_BASE_URL);
      assertThat(m.apiKey()).isEqualTo("sk-test");
    });
    assertThat(c.judge()).isNotNull();
    assertThat(c.passThrough()).isNotNull();
  }

  @Test
  void devRecipe() {
    OpenFusionConfig c = example("dev.yaml");
    assertThat(c.costControls()).isEqualTo(new CostControls(1024, 512, 1024));
    assertThat(c.timeouts().member()).isLessThan(TimeoutsConfig.DEFAULT_MEMBER);
    assertThat(c.timeouts().total()).isLessThan(TimeoutsConfig.DEFAULT_TOTAL);
  }

  @Test
  void ollamaRecipe() {
    OpenFusionConfig c = example("ollama.yaml");
    assertThat(c.panel()).extracting(UpstreamConfig::model).containsExactly("llama3.2", "qwen2.5", "mistral");
    assertThat(c.panel()).allSatisfy(m -> assertThat(m.baseUrl()).isEqualTo("http://127.0.0.1:11434/v1"));
    assertThat(c.judge().upstream().baseUrl()).isEqualTo("http://127.0.0.1:11434/v1");
    assertThat(c.tools().webSearch()).isFalse();
  }

  @Test
  void clusterRecipe() {
    OpenFusionConfig c = example("cluster.yaml");
    assertThat(c.cluster().name()).isEqualTo("openfusion");
    assertThat(c.cluster().members()).containsExactly("127.0.0.1");
    assertThat(c.cluster().host()).isEqualTo("127.0.0.1");
    assertThat(c.cluster().port()).isEqualTo(5801);
    assertThat(c.workers()).isEqualTo(new WorkersConfig(32, 16));
  }
}

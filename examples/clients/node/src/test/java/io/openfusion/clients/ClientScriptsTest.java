package io.openfusion.clients;

import io.openfusion.clients.harness.FakeUpstream;
import io.openfusion.clients.harness.OpenFusionHarness;
import io.openfusion.clients.harness.Script;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The Node clients (the official {@code openai} SDK on chat completions and Responses, the official Anthropic SDK on
 * Messages, the Vercel AI SDK on both OpenAI APIs, LangChain.js and a fetch + {@code eventsource-parser} frontend), at
 * the versions {@code package-lock.json} pins, against a node the harness
 * starts: {@code npm ci}, then {@code node --test} over {@code test/*.test.mjs} with the node's URL in the environment.
 * A failing script fails this test with the scripts' own output.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ClientScriptsTest {

  private static final Path MODULE = Path.of("").toAbsolutePath();
  /** The lockfile's hash after the last good {@code npm ci}, so a rebuild with the same lockfile skips the install. */
  private static final Path INSTALLED = MODULE.resolve("node_modules/.openfusion-lock-sha256");

  private static OpenFusionHarness openfusion;

  @BeforeAll
  static void start() throws Exception {
    openfusion = OpenFusionHarness.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (openfusion != null) {
      openfusion.close();
    }
  }

  @Test
  void nodeClientsGetWhatTheyExpect() throws Exception {
    installPinnedPackages();
    List<String> command = new ArrayList<>(List.of("node", "--test", "--test-reporter=spec"));
    try (Stream<Path> scripts = Files.list(MODULE.resolve("test"))) {
      scripts.map(Path::toString).filter(name -> name.endsWith(".test.mjs")).sorted().forEach(command::add);
    }
    assertThat(command).as("test scripts").hasSizeGreaterThan(3);

    Run run = run(command, Map.of(
      "OPENFUSION_BASE_URL", openfusion.baseUrl(),
      "OPENFUSION_API_KEY", OpenFusionHarness.API_KEY,
      "OPENFUSION_EXPECTED", expectedJson()), 180);

    if (run.exitCode() != 0) {
      fail("node --test failed (exit " + run.exitCode() + "):\n" + run.output() + "\n--- node log ---\n" + openfusion.nodeLog());
    }
    // node's runner prints its totals; an empty run must not pass
    assertThat(run.output()).containsPattern("(?m)^ℹ pass [1-9]").containsPattern("(?m)^ℹ fail 0$");
    referencedAnswersReachedTheModels();
  }

  /**
   * The AI SDK's second turn (vercel-ai-sdk-responses.test.mjs) names its first answer only by {@code item_reference}:
   * the models must have been sent that answer as the assistant turn before the follow-up, on both routes.
   */
  private static void referencedAnswersReachedTheModels() {
    String followUp = "{\"role\":\"user\",\"content\":" + quote(Script.FOLLOW_UP) + "}";
    List<String> bodies = openfusion.upstream().calls().stream().map(FakeUpstream.Call::body)
      .filter(body -> body.contains(followUp)).toList();
    for (String answer : List.of(Script.PASS_THROUGH_TEXT, Script.FUSED_TEXT)) {
      String history = "{\"role\":\"assistant\",\"content\":" + quote(answer) + "}," + followUp;
      assertThat(bodies).as("upstream requests with the follow-up turn").anySatisfy(body -> assertThat(body).contains(history));
    }
  }

  /** {@code npm ci} from the committed lockfile, unless node_modules already holds exactly that lockfile's tree. */
  private static void installPinnedPackages() throws Exception {
    String lockHash = sha256(MODULE.resolve("package-lock.json"));
    if (Files.isRegularFile(INSTALLED) && Files.readString(INSTALLED).strip().equals(lockHash)) {
      return;
    }
    Run install = run(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), Map.of(), 300);
    if (install.exitCode() != 0) {
      fail("npm ci failed (exit " + install.exitCode() + "):\n" + install.output());
    }
    Files.writeString(INSTALLED, lockHash + "\n");
  }

  private record Run(int exitCode, String output) {
  }

  /** Runs a command in this module with its output in a file under target, also kept for the failure message. */
  private static Run run(List<String> command, Map<String, String> env, int timeoutSeconds) throws Exception {
    Path output = Path.of(System.getProperty("openfusion.clients.logs", "target")).toAbsolutePath()
      .resolve(command.get(0) + "-" + command.get(1).replace("-", "") + ".log");
    Files.createDirectories(output.getParent());
    ProcessBuilder builder = new ProcessBuilder(command).directory(MODULE.toFile())
      .redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().putAll(env);
    // the scripts only talk to the node on loopback
    builder.environment().put("NO_PROXY", "127.0.0.1,localhost");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException(command.get(0) + " is not installed or not on the PATH: the Node client suite needs "
        + "Node.js 20 or newer with npm", e);
    }
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      fail(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s:\n" + Files.readString(output));
    }
    String text = Files.readString(output, StandardCharsets.UTF_8);
    System.out.println(text);
    return new Run(process.exitValue(), text);
  }

  /** What the fake upstream answers, for the scripts' assertions (test/expected.mjs). */
  private static String expectedJson() {
    return "{\"fusionModel\":" + quote(Script.FUSION_MODEL) + ",\"passThroughModel\":" + quote(Script.PASS_THROUGH_MODEL)
      + ",\"fusedText\":" + quote(Script.FUSED_TEXT) + ",\"passThroughText\":" + quote(Script.PASS_THROUGH_TEXT)
      + ",\"fusedUsage\":" + usage(Script.FUSED_USAGE) + ",\"passThroughUsage\":" + usage(Script.PASS_THROUGH_USAGE)
      + ",\"toolCallId\":" + quote(Script.TOOL_CALL_ID) + ",\"toolArguments\":" + quote(Script.TOOL_ARGUMENTS)
      + ",\"toolAnswerPrefix\":" + quote(Script.TOOL_ANSWER_PREFIX) + ",\"followUp\":" + quote(Script.FOLLOW_UP) + "}";
  }

  /** A JSON string literal of the script's plain texts (quotes and backslashes are all they hold). */
  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String usage(Script.Usage usage) {
    return "{\"prompt\":" + usage.prompt() + ",\"completion\":" + usage.completion() + ",\"total\":" + usage.total() + "}";
  }

  private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}

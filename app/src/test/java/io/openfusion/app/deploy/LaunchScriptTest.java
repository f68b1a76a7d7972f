package io.openfusion.app.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code ./openfusion} script's JVM command line: the shipped heap and the serial collector, a collector named in
 * {@code OPENFUSION_JAVA_OPTS} instead of it (two on one command line stop the JVM), and the user's options last. A
 * copy of the script runs against a stand-in {@code java} that records its arguments, next to a jar newer than any
 * source, so nothing is built.
 */
class LaunchScriptTest {

  @TempDir
  Path root;

  @Test
  void startsWithTheShippedHeapAndTheSerialCollector() throws Exception {
    List<String> args = launch("");

    assertThat(args).contains("-Xmx96m", "-XX:+UseSerialGC", "-Dhazelcast.phone.home.enabled=false");
    assertThat(args.subList(args.size() - 3, args.size())).containsExactly("-jar",
      root.resolve("app/target/openfusion.jar").toString(), "serve");
  }

  @Test
  void aCollectorTheUserNamesReplacesTheSerialOne() throws Exception {
    List<String> args = launch("-Xmx512m -XX:+UseG1GC");

    assertThat(args).doesNotContain("-XX:+UseSerialGC");
    assertThat(args).containsSubsequence("-Xmx96m", "-Xmx512m", "-XX:+UseG1GC", "-jar");
  }

  @Test
  void otherOptionsKeepTheSerialCollector() throws Exception {
    assertThat(launch("-Xmx512m -XX:+UseStringDeduplication -XX:MaxGCPauseMillis=50"))
      .contains("-XX:+UseSerialGC", "-Xmx512m");
  }

  /** Runs the script with {@code javaOpts} as OPENFUSION_JAVA_OPTS; returns the arguments {@code java} got. */
  private List<String> launch(String javaOpts) throws IOException, InterruptedException {
    Path script = root.resolve("openfusion");
    Files.copy(Path.of("..", "openfusion"), script);
    Path jar = Files.createDirectories(root.resolve("app/target")).resolve("openfusion.jar");
    Files.writeString(jar, "");
    Path recorded = root.resolve("java-args");
    Path java = Files.createDirectories(root.resolve("jdk/bin")).resolve("java");
    // one argument per line; the script's probe of -XX:TrimNativeHeapInterval (with -version) is answered, not recorded
    Files.writeString(java, "#!/usr/bin/env bash\n"
      + "for a in \"$@\"; do [ \"$a\" = -version ] && exit 0; done\n"
      + "printf '%s\\n' \"$@\" > '" + recorded + "'\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

    ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), "serve").redirectErrorStream(true)
      .redirectOutput(root.resolve("script.log").toFile());
    builder.environment().put("JAVA_HOME", root.resolve("jdk").toString());
    builder.environment().put("OPENFUSION_JAVA_OPTS", javaOpts);
    Process process = builder.start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(Files.readString(root.resolve("script.log"))).isZero();
    return Files.readAllLines(recorded);
  }
}

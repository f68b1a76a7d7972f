package io.openfusion.bench.jmh;

import io.openfusion.bench.common.RepoPaths;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the JMH benchmarks of this package with short defaults (1 fork, 3 warm-up and 5 measurement iterations of
 * 1 s). Any JMH option overrides them, e.g. {@code jmh SseParserBench -p split=frame -f 2}. Under {@code exec:java}
 * the benchmarks' classpath lives in a class loader, not in {@code java.class.path}, so it is copied there for the
 * forked JVM.
 */
public final class JmhMain {

  private JmhMain() {
  }

  public static void main(String[] args) throws Exception {
    exposeClasspath();
    CommandLineOptions cmd = new CommandLineOptions(args);
    Path results = RepoPaths.resolve("bench/results");
    Files.createDirectories(results);
    ChainedOptionsBuilder options = new OptionsBuilder().parent(cmd);
    if (cmd.getIncludes().isEmpty()) {
      options.include(JmhMain.class.getPackageName() + ".*");
    }
    if (!cmd.getForkCount().hasValue()) {
      options.forks(1);
    }
    if (!cmd.getWarmupIterations().hasValue()) {
      options.warmupIterations(3);
    }
    if (!cmd.getWarmupTime().hasValue()) {
      options.warmupTime(TimeValue.seconds(1));
    }
    if (!cmd.getMeasurementIterations().hasValue()) {
      options.measurementIterations(5);
    }
    if (!cmd.getMeasurementTime().hasValue()) {
      options.measurementTime(TimeValue.seconds(1));
    }
    if (!cmd.getResultFormat().hasValue()) {
      options.resultFormat(ResultFormatType.JSON);
    }
    if (!cmd.getResult().hasValue()) {
      options.result(results.resolve("jmh.json").toString());
    }
    new Runner(options.build()).run();
  }

  private static void exposeClasspath() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (!(loader instanceof URLClassLoader urls)) {
      return;
    }
    List<String> entries = new ArrayList<>();
    for (URL url : urls.getURLs()) {
      if ("file".equals(url.getProtocol())) {
        entries.add(new File(url.getPath()).getAbsolutePath());
      }
    }
    if (!entries.isEmpty()) {
      System.setProperty("java.class.path", String.join(File.pathSeparator, entries));
    }
  }
}

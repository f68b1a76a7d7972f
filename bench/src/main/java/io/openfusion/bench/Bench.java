package io.openfusion.bench;

import io.openfusion.bench.bodies.BodiesBench;
import io.openfusion.bench.jmh.JmhMain;
import io.openfusion.bench.perf.PerfBench;
import io.openfusion.bench.quality.QualityBench;
import io.openfusion.bench.scale.ScaleBench;
import io.openfusion.bench.slow.SlowBench;
import io.openfusion.bench.smoke.SmokeBench;
import io.openfusion.bench.soak.SoakBench;

import java.util.Arrays;

/**
 * Entry point for {@code ./mvnw -q -pl bench exec:java -Dexec.args="<harness> [options]"}: {@code perf},
 * {@code bodies}, {@code slow}, {@code scale}, {@code soak}, {@code quality}, {@code smoke} or {@code jmh}; {@code <harness> --help} lists a
 * harness's options. The process exits with the harness's code ({@code quality}, {@code smoke} and {@code soak} document
 * theirs).
 */
public final class Bench {

  private Bench() {
  }

  public static void main(String[] argv) throws Exception {
    if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("help")) {
      System.out.println("usage: perf|bodies|slow|scale|soak|quality|smoke|jmh [options]   (<harness> --help for its options)");
      return;
    }
    String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
    int exit = 0;
    try {
      switch (argv[0]) {
        case "perf" -> PerfBench.main(rest);
        case "bodies" -> BodiesBench.main(rest);
        case "scale" -> ScaleBench.main(rest);
        case "slow" -> SlowBench.main(rest);
        case "quality" -> exit = QualityBench.execute(rest);
        case "smoke" -> exit = SmokeBench.execute(rest);
        case "jmh" -> JmhMain.main(rest);
        case "soak" -> exit = SoakBench.execute(rest);
        default -> {
          System.err.println("unknown harness " + argv[0] + "; use perf, slow, scale, soak, quality, smoke or jmh");
          exit = 2;
        }
      }
    } catch (Throwable t) {
      t.printStackTrace();
      exit = 1;
    }
    System.out.flush();
    // exec:java waits for every non-daemon thread; a harness that failed half-way must not leave the build hanging
    System.exit(exit);
  }
}

package io.openfusion.bench.slow;

import io.openfusion.bench.common.Args;
import io.openfusion.bench.common.RepoPaths;
import io.openfusion.bench.perf.ProxyBuild;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;

/** The slow-reader harness's settings, from its command line. */
record SlowOptions(int clients, long bytesPerSecond, int slowS, int drainCapS, int chunks, int chunkBytes, int rcvbufBytes,
                   List<String> targets, List<ProxyBuild> builds, String proxyJvm, int repeat, int warmup,
                   int warmupStreams, double quietBelow, long quietWaitS, long rssLimitMb, boolean histogram, boolean jfr, Path out) {

  static final Set<String> OPTIONS = Set.of("clients", "read-kib-s", "slow-s", "drain-cap-s", "chunks", "chunk-bytes",
    "rcvbuf-kib", "targets", "proxy-jar", "compare", "proxy-jvm", "repeat", "warmup", "warmup-streams", "quiet-below",
    "quiet-wait-s", "rss-limit-mb", "histogram", "jfr", "out", "quick", "help");

  static SlowOptions parse(Args args) {
    args.checkKnown(OPTIONS);
    boolean quick = args.flag("quick");
    if (args.has("compare") && args.has("proxy-jar")) {
      throw new IllegalArgumentException("--compare names the jars itself: drop --proxy-jar");
    }
    List<ProxyBuild> builds = args.has("compare") ? ProxyBuild.parse(args.string("compare", ""))
      : List.of(new ProxyBuild("", RepoPaths.resolve(args.string("proxy-jar", "app/target/openfusion.jar"))));
    List<String> targets = args.strings("targets", List.of("passthrough"));
    for (String t : targets) {
      if (!t.equals("passthrough") && !t.equals("fusion")) {
        throw new IllegalArgumentException("--targets takes passthrough and/or fusion, not " + t);
      }
    }
    SlowOptions o = new SlowOptions(args.integer("clients", quick ? 10 : 30),
      Math.round(args.number("read-kib-s", 20) * 1024), args.integer("slow-s", quick ? 15 : 60),
      args.integer("drain-cap-s", 120), args.integer("chunks", quick ? 300 : 1000), args.integer("chunk-bytes", 4096),
      args.integer("rcvbuf-kib", 64) * 1024, targets, builds, args.string("proxy-jvm", "-Xmx96m"),
      Math.max(1, args.integer("repeat", 1)), args.integer("warmup", quick ? 40 : 100),
      args.integer("warmup-streams", quick ? 5 : 10), args.number("quiet-below", 0),
      args.longValue("quiet-wait-s", 180), args.longValue("rss-limit-mb", 64), args.flag("histogram"), args.flag("jfr"),
      RepoPaths.resolve(args.string("out", "bench/results/slow-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))));
    if (o.clients < 1 || o.bytesPerSecond < 1 || o.slowS < 1 || o.drainCapS < 1) {
      throw new IllegalArgumentException("--clients, --read-kib-s, --slow-s and --drain-cap-s must be positive");
    }
    if (o.clients > 200) {
      throw new IllegalArgumentException("--clients is capped at 200: each holds a connection and a long stream");
    }
    if (o.slowS > 600 || o.drainCapS > 600) {
      throw new IllegalArgumentException("--slow-s and --drain-cap-s are capped at 600 s so a run stays bounded");
    }
    return o;
  }

  static String usage() {
    return """
      slow: slow readers against long streams; does the proxy hold the upstream back, or buffer the answers?
        --clients 30                streamed requests at once, one connection each
        --read-kib-s 20             how fast each client reads (KiB/s) during the slow phase
        --slow-s 60                 the slow phase; then every client reads as fast as it can (--drain-cap-s 120)
        --chunks 1000 --chunk-bytes 4096   the long answer: chunks x characters of text (~4.3 MB of SSE)
        --rcvbuf-kib 64             each client's socket receive buffer (the slow link's window; 0 = the kernel's)
        --targets passthrough       and/or fusion (3 short members, the judge streams the long answer)
        --proxy-jar app/target/openfusion.jar   or --compare before=JAR,after=JAR (one fresh proxy per run, the
                                    order of the builds alternating by repeat)
        --proxy-jvm -Xmx96m         the proxy's JVM options (the ./openfusion script's heap)
        --repeat 1  --warmup 100    short streamed requests before each run (JIT, pools), not measured
        --warmup-streams 10         then this many long answers read at full speed, so the idle RSS already includes
                                    what moving such answers costs; the growth is what slow readers add
        --histogram                 after the slow phase, save the proxy's live heap by class (jcmd GC.class_histogram)
        --jfr                       record the proxy with JFR; at the end of the slow phase, dump it and summarize the
                                    live objects by allocation site (jdk.OldObjectSample): who holds the unread answers
        --quiet-below 0 --quiet-wait-s 180   wait (bounded) for the machine to be less busy than this before a run
        --rss-limit-mb 64           the RSS growth target
        --out DIR                   default bench/results/slow-<timestamp>
        --quick                     10 clients, 15 s, 300 chunks (a smoke run)""";
  }

  String describeClients() {
    return String.format("%d clients, each one streamed request on its own connection, reading %.0f KiB/s for %d s "
      + "(receive buffer %s), then as fast as they can until the stream ends (at most %d s)", clients,
      bytesPerSecond / 1024.0, slowS, rcvbufBytes > 0 ? rcvbufBytes / 1024 + " KiB" : "the kernel's", drainCapS);
  }
}

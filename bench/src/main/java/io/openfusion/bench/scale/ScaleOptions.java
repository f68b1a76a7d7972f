package io.openfusion.bench.scale;

import io.openfusion.bench.common.Args;
import io.openfusion.bench.common.RepoPaths;
import io.openfusion.bench.perf.FakeUpstreamOptions;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The scale-out run's settings, from the command line.
 *
 * @param panelCap        {@code workers.panel_max_concurrency} on every panel node (K)
 * @param memberMs        non-streamed member answer latency of the fake upstream
 * @param judgeTtftMs     the judge's (streamed) time to first token
 * @param judgeItlMs      the judge's gap between tokens
 * @param tokens          tokens per answer (members' and judge's)
 * @param concurrency     closed-loop clients, the same for every row
 * @param requestsPerNode a row with n panel nodes sends n times this many requests, so rows take about as long
 * @param warmup          requests before the first measured row, not recorded
 * @param repeat          measured runs per row
 * @param nodesAfter      panel nodes after the join (the run starts with one)
 * @param joinWindowS     length of the run during which the extra nodes join
 * @param settleS         after the join is seen, how long before the joined rate is read: the first node's queue
 *                        still holds the calls of fusions that were waiting, and drains at that node's rate
 * @param timeCapS        cap of every measured row
 * @param format          {@code json} or {@code sse} for the client requests
 * @param instances       verticle instances per node (0 = the proxy's default)
 * @param clusterPort     first Hazelcast port
 * @param quietBelow      before each row, wait (at most {@code quietWaitS}) until other tenants keep the machine less
 *                        busy than this percentage; 0 = do not wait
 */
record ScaleOptions(int panelCap, long memberMs, long judgeTtftMs, long judgeItlMs, int tokens, int concurrency,
                    int requestsPerNode, int warmup, int repeat, int nodesAfter, long joinWindowS, long settleS,
                    long timeCapS, String format, String proxyJvm, Path jar, int instances, int clusterPort,
                    double quietBelow, long quietWaitS, Path out) {

  static final int MEMBERS = 3;
  /** Hazelcast ports of this harness: 28000 + up to 880 + the 20 a node may auto-increment over. */
  static final int PORT_BASE = 28000;
  static final int PORT_SPAN = 880;

  static final Set<String> NAMES = Set.of("panel-cap", "member-ms", "judge-ttft-ms", "judge-itl-ms", "tokens",
    "concurrency", "requests", "warmup", "repeat", "nodes", "join-window-s", "settle-s", "time-cap-s", "format",
    "proxy-jar", "proxy-jvm", "instances", "cluster-port", "quiet-below", "quiet-wait-s", "out", "help");

  static ScaleOptions parse(Args args) {
    args.checkKnown(NAMES);
    ScaleOptions o = new ScaleOptions(args.integer("panel-cap", 8), args.longValue("member-ms", 450),
      args.longValue("judge-ttft-ms", 30), args.longValue("judge-itl-ms", 5), args.integer("tokens", 8),
      args.integer("concurrency", 48), args.integer("requests", 240), args.integer("warmup", 48),
      Math.max(1, args.integer("repeat", 1)), args.integer("nodes", 3), args.longValue("join-window-s", 90),
      args.longValue("settle-s", 10), args.longValue("time-cap-s", 120), args.string("format", "json"),
      args.string("proxy-jvm", "-Xmx256m"),
      RepoPaths.resolve(args.string("proxy-jar", "app/target/openfusion.jar")), args.integer("instances", 0),
      args.integer("cluster-port", PORT_BASE + ThreadLocalRandom.current().nextInt(PORT_SPAN)),
      args.number("quiet-below", 0), args.longValue("quiet-wait-s", 180),
      RepoPaths.resolve(args.string("out", "bench/results/scale-out")));
    if (o.panelCap < 1 || o.memberMs < 1 || o.concurrency < 1 || o.requestsPerNode < 1 || o.nodesAfter < 2) {
      throw new IllegalArgumentException("--panel-cap, --member-ms, --concurrency and --requests must be >= 1, --nodes >= 2");
    }
    if (!o.format.equals("json") && !o.format.equals("sse")) {
      throw new IllegalArgumentException("--format is json or sse");
    }
    if (o.clusterPort < PORT_BASE || o.clusterPort >= PORT_BASE + PORT_SPAN) {
      throw new IllegalArgumentException("--cluster-port must be in " + PORT_BASE + "-" + (PORT_BASE + PORT_SPAN - 1));
    }
    return o;
  }

  static String usage() {
    return """
      scale: fusion throughput with 1 panel node, then with more joining the running cluster
        --panel-cap 8          workers.panel_max_concurrency on every panel node (judge uncapped)
        --member-ms 450        members' (non-streamed) answer latency at the fake upstream
        --judge-ttft-ms 30 --judge-itl-ms 5 --tokens 8   the judge's streamed answer
        --concurrency 48       closed-loop clients, every row (enough to keep every panel slot busy)
        --requests 240         per panel node: the 1-node row sends 240, the 3-node row 720
        --warmup 48            requests before the first row, not recorded
        --repeat 1             measured runs of each row
        --nodes 3              panel nodes after the join
        --join-window-s 90     the run during which the new nodes start and join
        --settle-s 10          after the join is seen, wait this long before reading the joined rate
        --time-cap-s 120       cap of each measured row (stragglers get 15 s more, then count as errors)
        --format json|sse      client requests (default json)
        --proxy-jar app/target/openfusion.jar   --proxy-jvm "-Xmx256m"   --instances N (per node)
        --cluster-port P       first Hazelcast port, 28000-28879 (default random)
        --quiet-below PCT      before each row, wait (at most --quiet-wait-s 180) for the machine to be less busy
        --out bench/results/scale-out""";
  }

  /** The fake: members answer non-streamed after {@code memberMs}; the judge streams a short answer. */
  FakeUpstreamOptions fake() {
    return new FakeUpstreamOptions("127.0.0.1", 0, judgeTtftMs, judgeItlMs, tokens, memberMs, 0, 500, 1, 42);
  }

  /** The judge's whole streamed answer at the fake. */
  long judgeMs() {
    return fake().streamMs();
  }

  int requestsFor(int nodes) {
    return requestsPerNode * nodes;
  }
}

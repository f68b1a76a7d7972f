package io.openfusion.bench.soak;

import io.openfusion.bench.common.RepoPaths;
import io.openfusion.bench.soak.SoakBench.Sample;
import io.openfusion.bench.soak.SoakBench.SoakRun;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The soak's report: verdicts first, then the RSS curve, the gauges at each checkpoint, the requests by kind. */
final class SoakReport {

  /** RSS after warm-up may wander this far from its median and still count as flat. */
  static final double RSS_TOLERANCE = 0.10;
  /** The nodes that run from start to end: the ones whose RSS is judged. */
  private static final List<String> WATCHED = List.of("a1", "p1");

  private SoakReport() {
  }

  /** One check against the soak's targets. */
  record Verdict(String check, boolean pass, String detail) {
  }

  /**
   * The targets: no accepted request lost (and some accepted at all); RSS of each watched node flat after the warm-up;
   * every per-request gauge back to 0 once the load stopped; cluster map entries at the end of the load not above
   * those at the end of the warm-up beyond a margin (entries with a TTL come and go with the traffic).
   */
  static List<Verdict> verdicts(SoakRun run) {
    List<Verdict> verdicts = new ArrayList<>();
    SoakTally tally = run.tally;
    long lost = tally.total(SoakTally.Outcome.LOST);
    verdicts.add(new Verdict("lost requests", lost == 0 && tally.accepted() > 0,
      lost + " of " + tally.accepted() + " accepted"));
    for (String node : WATCHED) {
      Rss rss = rss(run, node);
      verdicts.add(new Verdict("RSS of " + node + " flat after warm-up (±" + Math.round(RSS_TOLERANCE * 100)
        + " % of its median)", rss != null && rss.maxDeviation() <= RSS_TOLERANCE,
        rss == null ? "no samples" : rss.summary()));
    }
    Sample idle = run.checkpoints.get("idle after load");
    boolean released = idle != null && !idle.gauges().isEmpty()
      && idle.gauges().values().stream().allMatch(g -> g.perRequestTotal() == 0);
    verdicts.add(new Verdict("per-request state released once idle (streams, runs, member calls, cancel signals,"
      + " worker slots)", released, idle == null ? "not reached" : "sum at idle: " + perRequest(idle)));
    Sample warm = run.checkpoints.get("warm-up end");
    Sample end = run.checkpoints.get("end of load");
    if (warm == null || end == null) {
      verdicts.add(new Verdict("cluster map entries not growing", false, "warm-up end or end of load not reached"));
    } else {
      double before = maps(warm);
      double after = maps(end);
      verdicts.add(new Verdict("cluster map entries not growing (end of load within max(1.25 x, +20) of warm-up end)",
        after <= Math.max(before * 1.25, before + 20), String.format("%.0f at warm-up end, %.0f at end of load", before,
        after)));
    }
    return verdicts;
  }

  static String markdown(SoakRun run) {
    StringBuilder md = new StringBuilder();
    md.append("# soak\n\n");
    md.append("`").append(RepoPaths.display(run.commandLine)).append("`\n\n");
    md.append("- machine: ").append(run.machine).append('\n');
    md.append(String.format("- waited %d s for the machine to be quiet; %.0f %% busy at start, load %s at start, %s at end%n",
      run.waitedForQuietS, run.busyAtStart * 100, run.loadAtStart, run.loadAtEnd));
    md.append(String.format("- %.1f min of load, %d clients, warm-up %.0f %% of it, a sample every %d s; flaky model"
      + " fault rate %.0f %% (500, reset, slow drip in equal parts)%n", run.minutes, run.concurrency,
      run.warmupFraction * 100, run.sampleS, run.faultRate * 100));
    md.append("- nodes: a1 api,router,panel,judge (watched), a2 api,router,judge, p1 and p2 panel; restart: ")
      .append(run.restart).append('\n');
    md.append(String.format("- upstream: %d requests, %d faults injected%n%n", run.upstreamRequests, run.upstreamFaults));

    md.append("## Verdicts\n\n| check | result | |\n|---|---|---|\n");
    for (Verdict verdict : verdicts(run)) {
      md.append("| ").append(verdict.check()).append(" | ").append(verdict.pass() ? "PASS" : "FAIL").append(" | ")
        .append(verdict.detail()).append(" |\n");
    }
    Sample warm = run.checkpoints.get("warm-up end");
    Sample end = run.checkpoints.get("end of load");
    md.append("\n## RSS (MB)\n\n| node | start | warm-up end | min after | max after | end of load | median after |"
      + " max deviation | trend after warm-up |\n|---|---|---|---|---|---|---|---|---|\n");
    for (String node : WATCHED) {
      Rss rss = rss(run, node);
      if (rss != null) {
        md.append(String.format("| %s | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.1f %% | %+.1f MB / 10 min |%n", node,
          mb(run.checkpoints.get("start (idle)"), node), mb(warm, node), rss.min, rss.max, mb(end, node), rss.median,
          rss.maxDeviation() * 100, rss.slopeMbPer10Min));
      }
    }
    md.append("\nThe curve, one point per minute (MB): \n\n");
    for (String node : WATCHED) {
      md.append("- ").append(node).append(": ").append(curve(run, node)).append('\n');
    }

    md.append("\n## Gauges of a1 at each checkpoint\n\n| gauge |");
    run.checkpoints.keySet().forEach(name -> md.append(' ').append(name).append(" |"));
    md.append("\n|---|");
    run.checkpoints.keySet().forEach(name -> md.append("---|"));
    md.append('\n');
    List<String> keys = new ArrayList<>(NodeGauges.PER_REQUEST.stream().map(NodeGauges::key).toList());
    keys.add("jvm_heap_used_mb");
    for (String key : keys) {
      md.append("| `").append(key).append("` |");
      for (Sample s : run.checkpoints.values()) {
        NodeGauges g = s.gauges().get("a1");
        md.append(' ').append(g == null ? "-" : String.format("%.0f", g.values().getOrDefault(key, 0.0))).append(" |");
      }
      md.append('\n');
    }
    md.append("\n## Cluster map entries owned by the api nodes (a1 + a2/a3) at each checkpoint\n\n"
      + "Panel nodes own the other partitions and serve no `/metrics`; the api nodes' share shows any growth.\n\n| map |");
    run.checkpoints.keySet().forEach(name -> md.append(' ').append(name).append(" |"));
    md.append("\n|---|");
    run.checkpoints.keySet().forEach(name -> md.append("---|"));
    md.append('\n');
    TreeSet<String> mapNames = new TreeSet<>();
    run.checkpoints.values().forEach(s -> s.gauges().values().forEach(g -> mapNames.addAll(g.maps().keySet())));
    for (String map : mapNames) {
      md.append("| `").append(map).append("` |");
      for (Sample s : run.checkpoints.values()) {
        md.append(String.format(" %.0f |", s.gauges().values().stream().mapToDouble(g -> g.maps().getOrDefault(map, 0.0)).sum()));
      }
      md.append('\n');
    }

    SoakTally tally = run.tally;
    md.append("\n## Requests\n\n| kind | ok | defined error | client left | lost |\n|---|---|---|---|---|\n");
    for (SoakTally.Kind kind : SoakTally.Kind.values()) {
      md.append(String.format("| %s | %d | %d | %d | %d |%n", kind.label(),
        tally.count(kind, SoakTally.Outcome.OK), tally.count(kind, SoakTally.Outcome.DEFINED_ERROR),
        tally.count(kind, SoakTally.Outcome.LEFT), tally.count(kind, SoakTally.Outcome.LOST)));
    }
    md.append(String.format("%nNot accepted (503 `shutting_down` or a refused connection during the restart), sent to"
      + " the other api node: %d.%n", tally.refused()));
    List<String> lostList = tally.lost();
    if (!lostList.isEmpty()) {
      md.append("\nLost (first 20):\n\n");
      lostList.stream().limit(20).forEach(l -> md.append("- ").append(l.replace('\n', ' ')).append('\n'));
    }
    return md.toString();
  }

  static String csv(SoakRun run) {
    TreeSet<String> nodes = new TreeSet<>();
    run.samples.forEach(s -> nodes.addAll(s.rssKb().keySet()));
    List<String> keys = NodeGauges.PER_REQUEST.stream().map(NodeGauges::key).toList();
    StringBuilder csv = new StringBuilder("t_s");
    nodes.forEach(n -> csv.append(",rss_mb_").append(n));
    keys.forEach(k -> csv.append(",a1_").append(k.replace(',', ';')));
    csv.append(",a1_jvm_heap_used_mb,api_nodes_cluster_map_entries,ok,defined_errors,client_left,lost,refused,load1\n");
    for (Sample s : run.samples) {
      csv.append(s.atMs() / 1000);
      nodes.forEach(n -> csv.append(',').append(s.rssKb().containsKey(n) ? String.format("%.1f", s.rssKb().get(n) / 1024.0) : ""));
      NodeGauges a1 = s.gauges().get("a1");
      keys.forEach(k -> csv.append(',').append(a1 == null ? "" : String.format("%.0f", a1.values().getOrDefault(k, 0.0))));
      csv.append(',').append(a1 == null ? "" : String.format("%.0f", a1.values().getOrDefault("jvm_heap_used_mb", 0.0)));
      csv.append(String.format(",%.0f,%d,%d,%d,%d,%d,%s%n", maps(s), s.ok(), s.definedErrors(), s.left(), s.lost(),
        s.refused(), s.load().split(" ")[0]));
    }
    return csv.toString();
  }

  private static String perRequest(Sample s) {
    StringBuilder text = new StringBuilder();
    s.gauges().forEach((node, g) -> text.append(node).append(' ').append((long) g.perRequestTotal()).append("; "));
    return text.toString();
  }

  private static double maps(Sample s) {
    return s.gauges().values().stream().mapToDouble(NodeGauges::mapEntries).sum();
  }

  private static double mb(Sample s, String node) {
    return s == null || !s.rssKb().containsKey(node) ? Double.NaN : s.rssKb().get(node) / 1024.0;
  }

  /** Samples under load after warm-up (the checkpoint samples once the load stopped are left out). */
  private static List<Sample> afterWarmup(SoakRun run) {
    if (run.warmupSampleIndex < 0) {
      return List.of();
    }
    Sample end = run.checkpoints.get("end of load");
    int last = end == null ? run.samples.size() - 1 : run.samples.indexOf(end);
    return run.samples.subList(run.warmupSampleIndex, last + 1);
  }

  private static Rss rss(SoakRun run, String node) {
    List<Sample> after = afterWarmup(run).stream().filter(s -> s.rssKb().containsKey(node)).toList();
    if (after.size() < 2) {
      return null;
    }
    double[] t = after.stream().mapToDouble(s -> s.atMs() / 60_000.0).toArray();
    double[] mb = after.stream().mapToDouble(s -> s.rssKb().get(node) / 1024.0).toArray();
    double[] sorted = mb.clone();
    java.util.Arrays.sort(sorted);
    double median = sorted[sorted.length / 2];
    double meanT = java.util.Arrays.stream(t).average().orElse(0);
    double meanMb = java.util.Arrays.stream(mb).average().orElse(0);
    double num = 0;
    double den = 0;
    for (int i = 0; i < t.length; i++) {
      num += (t[i] - meanT) * (mb[i] - meanMb);
      den += (t[i] - meanT) * (t[i] - meanT);
    }
    double slope = den == 0 ? 0 : num / den * 10;
    return new Rss(sorted[0], sorted[sorted.length - 1], median, slope);
  }

  private static String curve(SoakRun run, String node) {
    StringBuilder text = new StringBuilder();
    long nextMinute = 0;
    for (Sample s : run.samples) {
      if (s.atMs() >= nextMinute && s.rssKb().containsKey(node)) {
        text.append(String.format("%.0f ", s.rssKb().get(node) / 1024.0));
        nextMinute = (s.atMs() / 60_000 + 1) * 60_000;
      }
    }
    return text.toString().trim();
  }

  private record Rss(double min, double max, double median, double slopeMbPer10Min) {

    double maxDeviation() {
      return Math.max(max - median, median - min) / median;
    }

    String summary() {
      return String.format("%.0f-%.0f MB around a median of %.0f MB (%.1f %%), trend %+.1f MB / 10 min", min, max, median,
        maxDeviation() * 100, slopeMbPer10Min);
    }
  }
}

package io.openfusion.bench.scale;

/**
 * What the scale-out run should reach. With {@code workers.panel_max_concurrency = K} on every panel node, a fusion
 * holds one panel slot per member for one member latency, so the cluster finishes at most
 * {@code nodes × K / (members × member latency)} fusions a second; a closed loop of {@code c} clients, each waiting at
 * least one member latency plus the judge's, cannot exceed {@code c / (member + judge)} either.
 */
public final class ScaleMath {

  private ScaleMath() {
  }

  /** Fusions per second the panel caps allow: slot-seconds available per second over slot-seconds per fusion. */
  public static double panelCeilingRps(int nodes, int cap, int members, double memberMs) {
    if (nodes <= 0 || cap <= 0 || members <= 0 || memberMs <= 0) {
      throw new IllegalArgumentException("nodes, cap, members and member latency must be positive");
    }
    return nodes * (double) cap * 1000.0 / (members * memberMs);
  }

  /** Fusions per second {@code concurrency} closed-loop clients can send when nothing queues. */
  public static double clientCeilingRps(int concurrency, double memberMs, double judgeMs) {
    return concurrency * 1000.0 / (memberMs + judgeMs);
  }

  /** The lower of the two ceilings: what the run can reach at best. */
  public static double ceilingRps(int nodes, int cap, int members, double memberMs, double judgeMs, int concurrency) {
    return Math.min(panelCeilingRps(nodes, cap, members, memberMs), clientCeilingRps(concurrency, memberMs, judgeMs));
  }

  /**
   * Clients needed to keep every panel slot busy: the panel ceiling times the shortest a fusion can take. Below it
   * the load, not the caps, sets the throughput and adding nodes cannot help.
   */
  public static double saturatingConcurrency(int nodes, int cap, int members, double memberMs, double judgeMs) {
    return panelCeilingRps(nodes, cap, members, memberMs) * (memberMs + judgeMs) / 1000.0;
  }

  /** {@code after / before}, or NaN when there is no baseline. */
  public static double ratio(double after, double before) {
    return before > 0 ? after / before : Double.NaN;
  }

  /** Share of the ceiling reached, in percent. */
  public static double percentOf(double rps, double ceiling) {
    return ceiling > 0 ? 100.0 * rps / ceiling : Double.NaN;
  }

  /**
   * A row counts as CPU-limited when the machine was nearly saturated while the row stayed clearly below its
   * ceiling: then the missing throughput is the proxy (or its neighbours) waiting for a core, not the caps.
   */
  public static boolean cpuLimited(double machineBusyPct, double percentOfCeiling) {
    return machineBusyPct >= 85 && percentOfCeiling < 90;
  }
}

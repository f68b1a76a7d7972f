package io.openfusion.bench.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whole-machine CPU time from {@code /proc/stat}, read at the edges of a measured row: how busy the box was while the
 * row ran (the proxy nodes, the harness and every other tenant together), without a sampling thread.
 *
 * @param total jiffies of every kind
 * @param idle  idle + iowait jiffies
 */
public record MachineCpu(long total, long idle) {

  public static MachineCpu now() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        total += Long.parseLong(f[i]);
      }
      return new MachineCpu(total, Long.parseLong(f[4]) + Long.parseLong(f[5]));
    } catch (IOException | RuntimeException e) {
      return new MachineCpu(-1, -1);
    }
  }

  /** Busy percent of all cores since {@code earlier}, or -1 when unreadable. */
  public double busyPercentSince(MachineCpu earlier) {
    if (total < 0 || earlier.total < 0 || total <= earlier.total) {
      return -1;
    }
    return 100.0 * (1.0 - (double) (idle - earlier.idle) / (total - earlier.total));
  }
}

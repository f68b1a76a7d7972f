package io.openfusion.bench.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Linux {@code /proc} readings for one process: resident memory and CPU time. */
public final class Proc {

  /** Clock ticks per second for {@code /proc/<pid>/stat}; 100 on every Linux this runs on. */
  private static final long TICKS_PER_SECOND = 100;

  private Proc() {
  }

  /** {@code VmRSS} in KiB, or -1 when the process is gone. */
  public static long rssKb(long pid) {
    return statusField(pid, "VmRSS:");
  }

  /** {@code VmHWM} (peak resident set) in KiB, or -1. */
  public static long peakRssKb(long pid) {
    return statusField(pid, "VmHWM:");
  }

  /** user + system CPU time of the process in milliseconds, or -1. */
  public static long cpuMillis(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // the command name may contain spaces: fields are counted after its closing parenthesis
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long utime = Long.parseLong(f[11]);
      long stime = Long.parseLong(f[12]);
      return (utime + stime) * 1000 / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** System (kernel) CPU time of the process in milliseconds, or -1. */
  public static long sysCpuMillis(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[12]) * 1000 / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * user + system CPU time, in milliseconds, of the JVM's JIT compiler threads ({@code C1 CompilerThre},
   * {@code C2 CompilerThre}): 0 for a process without them (Node), -1 when unreadable. A compiler thread the JVM retired
   * takes its time with it, so this can only undercount.
   */
  public static long compilerCpuMillis(long pid) {
    long ticks = 0;
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks.toList()) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException exited) {
          continue;
        }
        String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
      }
      return ticks * 1000 / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Voluntary + involuntary context switches of every thread of the process, or -1. */
  public static long contextSwitches(long pid) {
    long sum = 0;
    try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path task : tasks.toList()) {
        for (String line : Files.readAllLines(task.resolve("status"))) {
          if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
            sum += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
          }
        }
      }
      return sum;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long statusField(long pid, String name) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(name)) {
          return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /**
   * The fraction of all CPU time that was busy (not idle or waiting for I/O) over the next {@code millis}
   * milliseconds, from {@code /proc/stat}; blocks for that long. -1 when unreadable.
   */
  public static double cpuBusyFraction(long millis) {
    long[] a = cpuTimes();
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
    long[] b = cpuTimes();
    if (a == null || b == null || b[0] <= a[0]) {
      return -1;
    }
    return 1.0 - (double) (b[1] - a[1]) / (b[0] - a[0]);
  }

  /** {total, idle + iowait} jiffies of the {@code cpu} line. */
  private static long[] cpuTimes() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        total += Long.parseLong(f[i]);
      }
      return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The first three fields of {@code /proc/loadavg}, e.g. {@code "1.52 2.10 2.33"}. */
  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  /** Cores, RAM, JDK and OS, for the head of every report. */
  public static String machine() {
    long memKb = -1;
    String cpu = "unknown CPU";
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          memKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // best effort
    }
    return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), "
      + (memKb < 0 ? "?" : String.format("%.1f GiB", memKb / 1024.0 / 1024.0)) + " RAM, "
      + "JDK " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + ", "
      + System.getProperty("os.name") + " " + System.getProperty("os.version");
  }
}

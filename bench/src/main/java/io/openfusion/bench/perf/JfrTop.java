package io.openfusion.bench.perf;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a JFR recording of the proxy and prints where its CPU went: the hottest methods by self samples, by
 * inclusive samples (first openfusion frame, to name the code the lead can change), the most allocated classes and
 * the GC pauses. Run it alone with {@code perf --jfr-summary FILE}.
 */
public final class JfrTop {

  private JfrTop() {
  }

  public static String summarize(Path recording, int top) throws IOException {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    Map<String, Integer> firstOwnFrame = new HashMap<>();
    Map<String, Integer> threads = new HashMap<>();
    Map<String, Integer> packages = new HashMap<>();
    Map<String, Integer> nativeTop = new HashMap<>();
    int nativeSamples = 0;
    Map<String, Integer> inclusivePackages = new HashMap<>();
    Map<String, Long> allocations = new HashMap<>();
    Map<String, Long> allocationSites = new HashMap<>();
    int samples = 0;
    int gcs = 0;
    Duration gcPause = Duration.ZERO;
    Duration longestPause = Duration.ZERO;
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent e = file.readEvent();
        String type = e.getEventType().getName();
        switch (type) {
          case "jdk.ExecutionSample" -> {
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
              continue;
            }
            samples++;
            var thread = e.getThread("sampledThread");
            threads.merge(thread == null ? "?" : threadGroup(thread.getJavaName()), 1, Integer::sum);
            List<RecordedFrame> frames = st.getFrames();
            self.merge(name(frames.get(0)), 1, Integer::sum);
            packages.merge(group(name(frames.get(0))), 1, Integer::sum);
            Set<String> seenGroups = new HashSet<>();
            for (RecordedFrame f : frames) {
              String g = group(name(f));
              if (seenGroups.add(g)) {
                inclusivePackages.merge(g, 1, Integer::sum);
              }
            }
            Set<String> seen = new HashSet<>();
            boolean own = false;
            for (RecordedFrame f : frames) {
              String n = name(f);
              if (seen.add(n)) {
                inclusive.merge(n, 1, Integer::sum);
              }
              if (!own && n.startsWith("io.openfusion.")) {
                own = true;
                firstOwnFrame.merge(n, 1, Integer::sum);
              }
            }
          }
          case "jdk.NativeMethodSample" -> {
            RecordedStackTrace st = e.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
              continue;
            }
            String top0 = name(st.getFrames().get(0));
            if (top0.contains("EPoll.wait") || top0.contains("Object.wait") || top0.contains("Unsafe.park")) {
              continue; // idle: waiting for work, not using CPU
            }
            nativeSamples++;
            String caller = st.getFrames().size() > 1 ? " <- " + name(st.getFrames().get(Math.min(3, st.getFrames().size() - 1))) : "";
            nativeTop.merge(top0 + caller, 1, Integer::sum);
          }
          case "jdk.ObjectAllocationSample" -> {
            long weight = e.getLong("weight");
            var cls = e.getClass("objectClass");
            allocations.merge(cls == null ? "?" : cls.getName(), weight, Long::sum);
            RecordedStackTrace st = e.getStackTrace();
            if (st != null) {
              for (RecordedFrame f : st.getFrames()) {
                String n = name(f);
                if (n.startsWith("io.openfusion.")) {
                  allocationSites.merge(n, weight, Long::sum);
                  break;
                }
              }
            }
          }
          case "jdk.GarbageCollection" -> {
            gcs++;
            Duration d = e.getDuration("sumOfPauses");
            gcPause = gcPause.plus(d);
            if (d.compareTo(longestPause) > 0) {
              longestPause = d;
            }
          }
          default -> {
          }
        }
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("JFR ").append(recording.getFileName()).append(": ").append(samples).append(" execution samples, ")
      .append(gcs).append(" GCs, total pause ").append(gcPause.toMillis()).append(" ms, longest ")
      .append(longestPause.toMillis()).append(" ms\n");
    section(out, "Samples by thread", threads, samples, top);
    out.append("\nNative (in-syscall, not idle) samples: ").append(nativeSamples).append(" (Java samples: ").append(samples).append(")\n");
    section(out, "Native method samples (top frame <- caller)", nativeTop, Math.max(1, nativeSamples), 12);
    section(out, "Self samples by component", packages, samples, top);
    section(out, "Inclusive samples by component (on the stack anywhere)", inclusivePackages, samples, top);
    section(out, "Hottest methods (self samples)", self, samples, top);
    section(out, "Inclusive samples, first openfusion frame on the stack", firstOwnFrame, samples, top);
    Map<String, Integer> ownInclusive = inclusive.entrySet().stream()
      .filter(en -> en.getKey().startsWith("io.openfusion."))
      .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    section(out, "Inclusive samples, any openfusion method on the stack", ownInclusive, samples, top);
    long totalAlloc = allocations.values().stream().mapToLong(Long::longValue).sum();
    sectionLong(out, "Allocated classes (sampled weight)", allocations, totalAlloc, top);
    sectionLong(out, "Allocation sites (first openfusion frame)", allocationSites, totalAlloc, top);
    return out.toString();
  }

  /** A coarse component for a frame: which library, or which openfusion module, the code belongs to. */
  static String group(String frame) {
    String[][] groups = {
      {"io.openfusion.api.", "openfusion api"}, {"io.openfusion.router.", "openfusion router"},
      {"io.openfusion.panel.", "openfusion panel"}, {"io.openfusion.judge.", "openfusion judge"},
      {"io.openfusion.shared.sse.", "openfusion shared.sse"}, {"io.openfusion.shared.upstream.", "openfusion shared.upstream"},
      {"io.openfusion.shared.bus.", "openfusion shared.bus"}, {"io.openfusion.", "openfusion other"},
      {"io.vertx.micrometer.", "vertx-micrometer metrics"}, {"io.micrometer.", "micrometer"},
      {"io.prometheus.", "prometheus client"},
      {"io.vertx.core.eventbus.", "vertx event bus"}, {"io.vertx.core.http.", "vertx http"},
      {"io.vertx.core.json.", "vertx json"}, {"com.fasterxml.jackson.", "jackson"}, {"io.vertx.core.buffer.", "vertx buffer"},
      {"io.vertx.core.impl.", "vertx core impl"}, {"io.vertx.ext.web.", "vertx web"}, {"io.vertx.", "vertx other"},
      {"io.reactivex.", "rxjava"}, {"io.netty.handler.codec.http.", "netty http codec"},
      {"io.netty.buffer.", "netty buffer"}, {"io.netty.channel.", "netty channel"}, {"io.netty.", "netty other"},
      {"sun.nio.", "jdk nio"}, {"java.util.concurrent.", "jdk concurrent"}, {"java.lang.String", "jdk string"},
      {"java.util.", "jdk util"}, {"java.lang.invoke.", "jdk invoke"}, {"java.", "jdk other"}, {"jdk.", "jdk other"}};
    for (String[] g : groups) {
      if (frame.startsWith(g[0])) {
        return g[1];
      }
    }
    return "other";
  }

  private static String threadGroup(String name) {
    return name == null ? "?" : name.replaceAll("-\\d+$", "-N");
  }

  private static String name(RecordedFrame f) {
    RecordedMethod m = f.getMethod();
    return m == null ? "?" : m.getType().getName() + "." + m.getName();
  }

  private static void section(StringBuilder out, String title, Map<String, Integer> counts, int total, int top) {
    out.append("\n").append(title).append(":\n");
    sorted(counts, top).forEach((k, v) -> out.append(String.format("  %5.1f%%  %6d  %s%n", 100.0 * v / Math.max(1, total), v, k)));
  }

  private static void sectionLong(StringBuilder out, String title, Map<String, Long> counts, long total, int top) {
    out.append("\n").append(title).append(":\n");
    counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(top)
      .forEach(en -> out.append(String.format("  %5.1f%%  %8.1f MB  %s%n", 100.0 * en.getValue() / Math.max(1, total),
        en.getValue() / 1048576.0, en.getKey())));
  }

  private static Map<String, Integer> sorted(Map<String, Integer> counts, int top) {
    return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
      .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
  }
}

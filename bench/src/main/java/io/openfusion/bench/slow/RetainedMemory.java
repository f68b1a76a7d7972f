package io.openfusion.bench.slow;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedObject;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the objects still alive in the proxy were allocated: JFR's old-object samples ({@code jdk.OldObjectSample},
 * objects sampled at allocation that were still live when the recording was dumped), grouped by their allocation
 * stack. Dumped at the end of the slow phase, it names the code that holds the answers a slow client has not read.
 */
final class RetainedMemory {

  private static final int FRAMES = 14;

  private RetainedMemory() {
  }

  static String summarize(Path recording, int top) throws IOException {
    Map<String, long[]> bySite = new HashMap<>();
    Map<String, long[]> byType = new HashMap<>();
    int samples = 0;
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent e = file.readEvent();
        if (!e.getEventType().getName().equals("jdk.OldObjectSample")) {
          continue;
        }
        samples++;
        RecordedObject object = e.getValue("object");
        String type = "?";
        long elements = -1;
        if (object != null) {
          RecordedObject cls = object.getValue("type");
          type = cls == null ? "?" : cls.getString("name");
        }
        if (e.hasField("arrayElements")) {
          elements = e.getInt("arrayElements");
        }
        String site = site(e);
        long bytes = Math.max(0, elements);
        bySite.computeIfAbsent(type + (elements >= 0 ? "[" + sizeClass(elements) + "]" : "") + "\n" + site, k -> new long[2]);
        long[] s = bySite.get(type + (elements >= 0 ? "[" + sizeClass(elements) + "]" : "") + "\n" + site);
        s[0]++;
        s[1] += bytes;
        long[] t = byType.computeIfAbsent(type, k -> new long[2]);
        t[0]++;
        t[1] += bytes;
      }
    }
    StringBuilder out = new StringBuilder();
    out.append("old-object samples (live at the dump): ").append(samples).append("\n\nby type (samples, array elements summed):\n");
    byType.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).limit(top)
      .forEach(e -> out.append(String.format("  %5d  %,12d  %s%n", e.getValue()[0], e.getValue()[1], e.getKey())));
    out.append("\nby allocation site (samples, array elements summed; the allocating frames, innermost first):\n");
    List<Map.Entry<String, long[]>> sites = new ArrayList<>(bySite.entrySet());
    sites.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
    for (Map.Entry<String, long[]> e : sites.subList(0, Math.min(top, sites.size()))) {
      String[] parts = e.getKey().split("\n", 2);
      out.append(String.format("%n%5d samples, %,d elements: %s%n", e.getValue()[0], e.getValue()[1], parts[0]));
      out.append(parts[1]);
    }
    return out.toString();
  }

  private static String sizeClass(long elements) {
    if (elements < 1024) {
      return "<1K";
    }
    if (elements < 16 * 1024) {
      return "1-16K";
    }
    if (elements < 128 * 1024) {
      return "16-128K";
    }
    return ">=128K";
  }

  private static String site(RecordedEvent e) {
    if (e.getStackTrace() == null) {
      return "    (no stack)\n";
    }
    StringBuilder s = new StringBuilder();
    int n = 0;
    for (RecordedFrame f : e.getStackTrace().getFrames()) {
      if (!f.isJavaFrame()) {
        continue;
      }
      s.append("    ").append(f.getMethod().getType().getName()).append('.').append(f.getMethod().getName()).append(':')
        .append(f.getLineNumber()).append('\n');
      if (++n == FRAMES) {
        break;
      }
    }
    return s.toString();
  }
}

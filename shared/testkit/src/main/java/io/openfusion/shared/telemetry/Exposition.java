package io.openfusion.shared.telemetry;

import java.util.ArrayList;
import java.util.List;

/** Reads samples out of Prometheus text for assertions. */
public final class Exposition {

  private Exposition() {
  }

  /**
   * @param labels a substring of the sample's label set, e.g. {@code outcome="success",phase="panel"} (labels print
   *               sorted, {@code le} last)
   * @return the values of every sample of {@code name} whose labels contain {@code labels}
   */
  public static List<Double> values(String text, String name, String labels) {
    List<Double> values = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.startsWith(name + "{") && line.substring(0, line.indexOf('}')).contains(labels)) {
        values.add(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
      }
    }
    return values;
  }

  /** @return the one sample's value, or NaN when there is not exactly one */
  public static double value(String text, String name, String labels) {
    List<Double> values = values(text, name, labels);
    return values.size() == 1 ? values.get(0) : Double.NaN;
  }
}

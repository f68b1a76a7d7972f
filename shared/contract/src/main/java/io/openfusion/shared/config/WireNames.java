package io.openfusion.shared.config;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Joins enum wire names for "must be one of ..." messages. */
final class WireNames {

  private WireNames() {
  }

  static <E> String join(E[] values, Function<E, String> wire) {
    return Arrays.stream(values).map(wire).collect(Collectors.joining(", "));
  }
}

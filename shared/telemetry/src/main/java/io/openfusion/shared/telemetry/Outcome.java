package io.openfusion.shared.telemetry;

/** How an upstream call or a client request ended; a metrics label, so a fixed set. */
public enum Outcome {
  SUCCESS("success"),
  ERROR("error"),
  /** The client left or the run cut the call short (a quorum straggler): neither a success nor the upstream's fault. */
  CANCELLED("cancelled");

  private final String wire;

  Outcome(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}

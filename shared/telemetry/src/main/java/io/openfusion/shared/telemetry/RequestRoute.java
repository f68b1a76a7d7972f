package io.openfusion.shared.telemetry;

/** How the router answered a client request; a metrics label, so a fixed set. */
public enum RequestRoute {
  FUSION("fusion"),
  PASS_THROUGH("pass_through"),
  PIPELINE("pipeline");

  private final String wire;

  RequestRoute(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}

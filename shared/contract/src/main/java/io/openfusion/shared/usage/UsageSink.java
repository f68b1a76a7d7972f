package io.openfusion.shared.usage;

/**
 * Where finished requests' usage goes. Called on an event loop once per request; an implementation must return at
 * once and never throw (an embedding host's listener runs elsewhere, see the embedded module).
 */
@FunctionalInterface
public interface UsageSink {

  /** Reports nothing: a node started from the command line has no listener. */
  UsageSink NONE = usage -> { };

  void report(RequestUsage usage);
}

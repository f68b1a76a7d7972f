package io.openfusion.app;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Quiet defaults for the libraries' java.util.logging output: Hazelcast prints dozens of INFO lines per
 * node (banners, partition tables) that bury openfusion's own. A user-supplied
 * {@code -Djava.util.logging.config.file} wins.
 */
final class Logging {

  // held strongly: JUL keeps loggers weakly, and a collected logger forgets its level
  private static final Logger HAZELCAST = Logger.getLogger("com.hazelcast");
  private static final Logger CP = Logger.getLogger("com.hazelcast.cp");
  private static final Logger NETTY = Logger.getLogger("io.netty");

  private Logging() {
  }

  static void configure() {
    if (System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    HAZELCAST.setLevel(Level.WARNING);
    CP.setLevel(Level.SEVERE);
    NETTY.setLevel(Level.WARNING);
  }
}

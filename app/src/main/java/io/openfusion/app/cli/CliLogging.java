package io.openfusion.app.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps library and engine log lines off the terminal while a CLI command runs: the answer goes to stdout and
 * progress to stderr, and a stray log line would break both. Errors still reach the user through the API.
 */
final class CliLogging {

  // held strongly: JUL keeps loggers weakly, and a collected logger forgets its level
  private static final Logger[] LOGGERS = {
    Logger.getLogger("io.openfusion"), Logger.getLogger("openfusion"), Logger.getLogger("io.vertx"), Logger.getLogger("io.netty"),
    Logger.getLogger("org.jline"), Logger.getLogger("com.hazelcast")};

  private CliLogging() {
  }

  static void quiet() {
    if (System.getProperty("java.util.logging.config.file") != null) {
      return;
    }
    for (Logger logger : LOGGERS) {
      logger.setLevel(Level.OFF);
    }
    Logger.getLogger("").setLevel(Level.SEVERE);
  }
}

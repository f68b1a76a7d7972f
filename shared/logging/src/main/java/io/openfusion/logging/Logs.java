package io.openfusion.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** The process-wide logging switches the command line needs. */
public final class Logs {

  /** Library and engine loggers a CLI command keeps off the terminal. */
  private static final String[] CLI_QUIET = {"io.openfusion", "openfusion", "io.vertx", "io.netty", "org.jline",
    "com.hazelcast", "io.micrometer"};

  private Logs() {
  }

  /**
   * Sends java.util.logging (JLine, and any library that still uses it) through SLF4J, and Hazelcast's own logging
   * too unless the operator chose otherwise. Call it first thing in {@code main}: it also starts Logback.
   */
  public static void start() {
    if (System.getProperty("hazelcast.logging.type") == null) {
      System.setProperty("hazelcast.logging.type", "slf4j");
    }
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }

  /** Whether the built-in configuration is in force (not one the operator brought). */
  public static boolean builtIn() {
    return context() instanceof LoggerContext logback && logback.getProperty(BuiltInLogging.MARKER_PROPERTY) != null;
  }

  /**
   * Keeps library and engine log lines off the terminal while a CLI command runs (the answer goes to stdout and
   * progress to stderr, and a stray log line would break both); errors still reach the user through the API. An
   * operator's own configuration is left as it is.
   */
  public static void quietForCli() {
    if (!builtIn()) {
      return;
    }
    LoggerContext logback = (LoggerContext) context();
    for (String name : CLI_QUIET) {
      logback.getLogger(name).setLevel(Level.OFF);
    }
    logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.ERROR);
  }

  /** Writes the lines still queued (for at most the async appender's flush time) and stops logging. */
  public static void stop() {
    if (context() instanceof LoggerContext logback) {
      logback.stop();
    }
  }

  private static ILoggerFactory context() {
    return LoggerFactory.getILoggerFactory();
  }
}

package io.openfusion.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.net.URL;

/**
 * Logback's configurator for openfusion (found through {@code META-INF/services}): applies the built-in setup
 * ({@value #RESOURCE}) unless the operator brought a configuration, which then wins as Logback's own lookup finds
 * it: the {@code logback.configurationFile} system property, else {@code logback-test.xml} or {@code logback.xml} on
 * the class path.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class BuiltInLogging extends ContextAwareBase implements Configurator {

  /** The built-in configuration: {@code defaults.xml} and nothing else. */
  static final String RESOURCE = "io/openfusion/logging/built-in.xml";
  /** Set on the logger context when the built-in configuration is the one in force. */
  static final String MARKER_PROPERTY = "openfusion.logging.built-in";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    ClassLoader loader = BuiltInLogging.class.getClassLoader();
    if (System.getProperty("logback.configurationFile") != null || loader.getResource("logback-test.xml") != null
      || loader.getResource("logback.xml") != null) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    URL builtIn = loader.getResource(RESOURCE);
    try {
      JoranConfigurator joran = new JoranConfigurator();
      joran.setContext(context);
      joran.doConfigure(builtIn);
    } catch (JoranException e) {
      // Logback prints configuration errors itself; its basic console setup takes over
      addError("openfusion's built-in logging configuration failed", e);
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    context.putProperty(MARKER_PROPERTY, "true");
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }
}

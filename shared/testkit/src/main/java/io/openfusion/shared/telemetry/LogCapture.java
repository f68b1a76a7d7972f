package io.openfusion.shared.telemetry;

import io.openfusion.shared.logging.RequestIdMdc;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collects what one logger writes (at INFO and above, whatever the configuration says), for tests; close it to
 * detach. It hangs on the logger itself, so events arrive synchronously, before any asynchronous appender.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  private final Logger logger;
  private final Level previous;
  private final List<ILoggingEvent> events = new CopyOnWriteArrayList<>();

  private LogCapture(Logger logger) {
    this.logger = logger;
    this.previous = logger.getLevel();
    setContext(logger.getLoggerContext());
    setName("capture-" + logger.getName());
    start();
    logger.setLevel(Level.INFO);
    logger.addAppender(this);
  }

  public static LogCapture of(String loggerName) {
    return new LogCapture((Logger) LoggerFactory.getLogger(loggerName));
  }

  @Override
  protected void append(ILoggingEvent event) {
    event.prepareForDeferredProcessing();
    events.add(event);
  }

  /** @return the events, in the order they were logged */
  public List<ILoggingEvent> events() {
    return List.copyOf(events);
  }

  /**
   * @return each event's fields as its JSON line carries them at the top level: the MDC's request id (and trace ids,
   *     when the node traces), then the key-value pairs in the order they were added
   */
  public List<JsonObject> fields() {
    return events().stream().map(LogCapture::fields).toList();
  }

  /** @return each event's formatted message */
  public List<String> messages() {
    return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  private static JsonObject fields(ILoggingEvent event) {
    JsonObject fields = new JsonObject();
    String requestId = event.getMDCPropertyMap().get(RequestIdMdc.REQUEST_ID);
    if (requestId != null) {
      fields.put(RequestIdMdc.REQUEST_ID, requestId);
    }
    for (String traceKey : new String[] {RequestIdMdc.TRACE_ID, RequestIdMdc.SPAN_ID}) {
      String value = event.getMDCPropertyMap().get(traceKey);
      if (value != null) {
        fields.put(traceKey, value);
      }
    }
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs != null) {
      pairs.forEach(pair -> fields.put(pair.key, pair.value));
    }
    return fields;
  }

  @Override
  public void close() {
    logger.detachAppender(this);
    logger.setLevel(previous);
    stop();
  }
}

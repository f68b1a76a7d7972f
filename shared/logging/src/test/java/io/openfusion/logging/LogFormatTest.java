package io.openfusion.logging;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.FilterReply;
import ch.qos.logback.core.status.Status;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The built-in logging configuration as the product runs it: the JSON line layout, the human line on a terminal,
 * the asynchronous appender in front, and a configuration that loads without a warning.
 */
class LogFormatTest {

  private LoggerContext context;

  @AfterEach
  void stop() {
    System.clearProperty(LogFormat.PROPERTY);
    if (context != null) {
      context.stop();
    }
  }

  @Test
  void jsonLinesHaveTheDocumentedFieldsInOrder() {
    Encoder<ILoggingEvent> json = encoder(LogFormat.JSON);
    LoggingEvent event = event("openfusion.upstream", Level.INFO, "upstream call");
    event.setMDCPropertyMap(Map.of("request_id", "req-7"));
    event.addKeyValuePair(new KeyValuePair("event", "upstream_call"));
    event.addKeyValuePair(new KeyValuePair("phase", "panel"));
    event.addKeyValuePair(new KeyValuePair("stream", true));
    event.addKeyValuePair(new KeyValuePair("latency_ms", 812L));
    event.addKeyValuePair(new KeyValuePair("cost", 0.25));

    String text = encode(json, event);

    assertThat(text).endsWith("\n").hasLineCount(1);
    JsonObject line = new JsonObject(text);
    assertThat(List.copyOf(line.fieldNames())).containsExactly("timestamp", "level", "logger", "thread", "message",
      "request_id", "event", "phase", "stream", "latency_ms", "cost");
    assertThat(line.getString("timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(line.getString("level")).isEqualTo("INFO");
    assertThat(line.getString("logger")).isEqualTo("openfusion.upstream");
    assertThat(line.getString("thread")).isEqualTo("vert.x-eventloop-thread-3");
    assertThat(line.getString("message")).isEqualTo("upstream call");
    assertThat(line.getString("request_id")).isEqualTo("req-7");
    assertThat(line.getString("event")).isEqualTo("upstream_call");
    assertThat(line.getBoolean("stream")).isTrue();
    assertThat(line.getLong("latency_ms")).isEqualTo(812);
    assertThat(line.getDouble("cost")).isEqualTo(0.25);
    // what log readers such as the bench's grep for
    assertThat(text).contains("\"event\":\"upstream_call\"").contains("\"phase\":\"panel\"").contains("\"latency_ms\":812");
  }

  @Test
  void aJsonLineNeverBreaksInTwo() {
    Encoder<ILoggingEvent> json = encoder(LogFormat.JSON);
    LoggingEvent event = event("io.openfusion.api.http.ErrorResponses", Level.ERROR, "unhandled failure on \"/v1\"\nsecond line");
    event.setThrowableProxy(new ch.qos.logback.classic.spi.ThrowableProxy(new IllegalStateException("boom\nagain")));

    String text = encode(json, event);

    assertThat(text).hasLineCount(1);
    JsonObject line = new JsonObject(text);
    assertThat(line.getString("message")).isEqualTo("unhandled failure on \"/v1\"\nsecond line");
    assertThat(line.getString("stack_trace")).startsWith("java.lang.IllegalStateException: boom\nagain")
      .contains("at io.openfusion.logging.LogFormatTest");
    assertThat(line.containsKey("request_id")).isFalse();
  }

  @Test
  void onATerminalOneHumanLineWithTheRequestIdWhenThereIsOne() {
    Encoder<ILoggingEvent> text = encoder(LogFormat.TEXT);
    LoggingEvent call = event("openfusion.upstream", Level.WARN, "upstream call");
    call.setMDCPropertyMap(Map.of("request_id", "req-7"));
    call.addKeyValuePair(new KeyValuePair("phase", "judge"));
    call.addKeyValuePair(new KeyValuePair("status", 429));
    LoggingEvent plain = event("io.openfusion.shared.dispatch.OriginWatch", Level.INFO, "api node n1 left the cluster");

    assertThat(encode(text, call))
      .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  upstream \\[req-7] upstream call phase=judge status=429\n");
    assertThat(encode(text, plain))
      .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  OriginWatch api node n1 left the cluster\n");
  }

  @Test
  void theBuiltInSetupLoadsCleanlyBehindANonBlockingQueue() {
    encoder(LogFormat.JSON);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);

    assertThat(context.getStatusManager().getCopyOfStatusList()).extracting(Status::getLevel)
      .as("%s", context.getStatusManager().getCopyOfStatusList()).allMatch(level -> level < Status.WARN);
    assertThat(root.getLevel()).isEqualTo(Level.INFO);
    assertThat(root.getAppender("ASYNC")).isInstanceOfSatisfying(CountingAsyncAppender.class, async -> {
      assertThat(async.isNeverBlock()).isTrue();
      assertThat(async.getQueueSize()).isEqualTo(8192);
      assertThat(async.isIncludeCallerData()).as("no stack walk per line").isFalse();
    });
    assertThat(context.getLogger("com.hazelcast").getLevel()).isEqualTo(Level.WARN);
    assertThat(context.getLogger("com.hazelcast.cp").getLevel()).isEqualTo(Level.ERROR);
    assertThat(context.getProperty(BuiltInLogging.MARKER_PROPERTY)).isEqualTo("true");
  }

  @Test
  void vertxRepeatedGaugeNoticeIsDroppedOthersAreNot() {
    RepeatedVertxGaugeFilter filter = new RepeatedVertxGaugeFilter();
    LoggerContext any = new LoggerContext();
    Logger registry = any.getLogger(RepeatedVertxGaugeFilter.REGISTRY_LOGGER);

    assertThat(filter.decide(null, registry, Level.WARN, "This Gauge has been already registered (MeterId{name='vertx.eventbus"
      + ".handlers', tags=[]}), the registration will be ignored.", null, null)).isEqualTo(FilterReply.DENY);
    assertThat(filter.decide(null, registry, Level.WARN, "This Gauge has been already registered (MeterId{name='openfusion"
      + ".worker.calls', tags=[]}), the registration will be ignored.", null, null)).isEqualTo(FilterReply.NEUTRAL);
    assertThat(filter.decide(null, any.getLogger("io.openfusion.Other"), Level.WARN,
      "This Gauge has been already registered (MeterId{name='vertx.x'}", null, null)).isEqualTo(FilterReply.NEUTRAL);
  }

  @Test
  void anOperatorsConfigurationWins() {
    // the test JVM runs with -Dlogback.configurationFile (as an operator would): the built-in setup steps aside
    assertThat(System.getProperty("logback.configurationFile")).isNotNull();
    BuiltInLogging builtIn = new BuiltInLogging();
    LoggerContext fresh = new LoggerContext();
    builtIn.setContext(fresh);

    assertThat(builtIn.configure(fresh)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
    assertThat(fresh.getProperty(BuiltInLogging.MARKER_PROPERTY)).isNull();
    assertThat(Logs.builtIn()).isFalse();
  }

  /** A fresh logger context configured as the product is, in {@code format}; returns its console encoder. */
  @SuppressWarnings("unchecked")
  private Encoder<ILoggingEvent> encoder(String format) {
    System.setProperty(LogFormat.PROPERTY, format);
    context = new LoggerContext();
    context.setMDCAdapter(new LogbackMDCAdapter());
    BuiltInLogging builtIn = new BuiltInLogging();
    builtIn.setContext(context);
    String configured = System.clearProperty("logback.configurationFile");
    try {
      assertThat(builtIn.configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    } finally {
      System.setProperty("logback.configurationFile", configured);
    }
    AsyncAppender async = (AsyncAppender) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("ASYNC");
    return ((OutputStreamAppender<ILoggingEvent>) async.getAppender("CONSOLE")).getEncoder();
  }

  private LoggingEvent event(String loggerName, Level level, String message) {
    LoggingEvent event = new LoggingEvent(LogFormatTest.class.getName(), context.getLogger(loggerName), level, message,
      null, null);
    event.setThreadName("vert.x-eventloop-thread-3");
    return event;
  }

  private static String encode(Encoder<ILoggingEvent> encoder, ILoggingEvent event) {
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }
}

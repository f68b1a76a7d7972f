package io.openfusion.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops Micrometer's "This Gauge has been already registered" warning about Vert.x's own meters. Vert.x's Micrometer
 * module registers some gauges (such as {@code vertx.eventbus.handlers}) once per event-bus consumer or pool, all
 * backed by one shared counter, which is how it keeps one series per name; Micrometer 1.13.9 and later warn about
 * the second registration, once per process, on every start. Only meters named {@code vertx.*} are matched.
 */
public final class RepeatedVertxGaugeFilter extends TurboFilter {

  static final String REGISTRY_LOGGER = "io.micrometer.core.instrument.MeterRegistry";
  static final String NOTICE = "This Gauge has been already registered (MeterId{name='vertx.";

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level == Level.WARN && format != null && format.startsWith(NOTICE) && REGISTRY_LOGGER.equals(logger.getName())) {
      return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }
}

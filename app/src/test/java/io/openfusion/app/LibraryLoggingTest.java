package io.openfusion.app;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The libraries a node runs (Netty, Vert.x, Hazelcast) log through SLF4J, so every line reaches the one backend. */
class LibraryLoggingTest {

  @Test
  void librariesLogThroughSlf4j() {
    assertThat(io.netty.util.internal.logging.InternalLoggerFactory.getDefaultFactory())
      .isInstanceOf(io.netty.util.internal.logging.Slf4JLoggerFactory.class);
    assertThat(((io.vertx.core.internal.logging.LoggerAdapter) io.vertx.core.internal.logging.LoggerFactory
      .getLogger("io.openfusion.test")).unwrap()).isInstanceOf(io.vertx.core.logging.SLF4JLogDelegate.class);
    // what Main sets unless the operator chose otherwise (and what the tests run with)
    assertThat(System.getProperty("hazelcast.logging.type")).isEqualTo("slf4j");
    assertThat(com.hazelcast.logging.Logger.getLogger("io.openfusion.test").getClass().getName())
      .isEqualTo("com.hazelcast.logging.Slf4jFactory$Slf4jLogger");
  }
}

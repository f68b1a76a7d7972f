package io.openfusion.app.testing;

import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.config.Provider;
import io.openfusion.shared.config.UpstreamConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The extension's own lifecycle, driven by hand (it reads nothing from the JUnit context): what it started is closed
 * last-started first, after a test and after a class, also when start-up fails half-way or one close fails.
 */
class NodeExtensionTest {

  /** A node that calls nothing while it starts and stops; the upstream is never asked. */
  private static OpenFusionConfig idleRecipe(Object upstream) {
    UpstreamConfig nowhere = new UpstreamConfig("http://127.0.0.1:9/v1", "k", "m", null, Provider.OPENAI);
    return OpenFusionConfig.builder().panel(List.of(nowhere)).passThrough(nowhere).build();
  }

  private static boolean listening(int port) throws IOException {
    try (Socket ignored = new Socket("127.0.0.1", port)) {
      return true;
    } catch (ConnectException refused) {
      return false;
    }
  }

  @Test
  void aStartUpThatFailsHalfWayClosesWhatItHadStarted() throws IOException {
    List<String> closed = new CopyOnWriteArrayList<>();
    AtomicReference<NodeExtension<String>> extension = new AtomicReference<>();
    AtomicInteger firstPort = new AtomicInteger();
    extension.set(NodeExtension.upstream(() -> "fake", fake -> closed.add("upstream"))
      .node("first", NodeExtensionTest::idleRecipe)
      .node("second", fake -> {
        firstPort.set(extension.get().port());
        throw new IllegalStateException("no recipe for the second node");
      })
      .build());

    assertThatThrownBy(() -> extension.get().beforeAll(null)).hasMessage("no recipe for the second node");

    assertThat(closed).containsExactly("upstream");
    assertThat(firstPort.get()).isPositive();
    assertThat(listening(firstPort.get())).as("the first node still listens").isFalse();
    assertThatThrownBy(() -> extension.get().upstream()).isInstanceOf(IllegalStateException.class);
    extension.get().afterAll(null);
    assertThat(closed).containsExactly("upstream");
  }

  @Test
  void whatATestStartedIsClosedAfterItLastFirstAndTheClassKeepsItsOwn() throws IOException {
    List<String> closed = new CopyOnWriteArrayList<>();
    NodeExtension<String> extension = NodeExtension.upstream(() -> "fake", fake -> closed.add("upstream"))
      .node(NodeExtensionTest::idleRecipe)
      .build();
    extension.beforeAll(null);
    int classPort = extension.port();
    extension.onClose("class resource", () -> closed.add("class resource"));

    extension.beforeEach(null);
    List<Boolean> nodeListeningWhenEarlierResourceClosed = new ArrayList<>();
    AtomicInteger testPort = new AtomicInteger();
    extension.onClose("before the node", () -> {
      nodeListeningWhenEarlierResourceClosed.add(listening(testPort.get()));
      closed.add("before the node");
    });
    testPort.set(extension.start(idleRecipe("fake")).port());
    extension.onClose("after the node", () -> closed.add("after the node"));
    extension.afterEach(null);

    assertThat(closed).containsExactly("after the node", "before the node");
    assertThat(nodeListeningWhenEarlierResourceClosed).containsExactly(false);
    assertThat(listening(classPort)).as("the class's node outlives the test").isTrue();

    extension.afterAll(null);
    assertThat(closed).containsExactly("after the node", "before the node", "class resource", "upstream");
    assertThat(listening(classPort)).isFalse();
  }

  @Test
  void aCloseThatFailsStillLetsTheOthersRunAndIsReported() {
    List<String> closed = new ArrayList<>();
    Teardown teardown = new Teardown();
    teardown.add("first", () -> closed.add("first"));
    teardown.add("broken", () -> {
      throw new IllegalStateException("stuck");
    });
    teardown.add("last", () -> closed.add("last"));

    assertThatThrownBy(teardown::closeAll).isInstanceOf(AssertionError.class)
      .hasMessageContaining("closing broken failed").hasMessageContaining("stuck");
    assertThat(closed).containsExactly("last", "first");
  }
}

package io.openfusion.autorouter;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/**
 * The cluster-wide outcome store on one Hazelcast member (a random cluster name, TCP-IP on 127.0.0.1,
 * non-default ports, phone-home off): requests add outcomes locally, the cluster sees one write per
 * bucket per flush, and the average is the one the same outcomes give one by one.
 */
@Tag("cluster")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HazelcastOutcomeStoreTest {

  private static HazelcastInstance hazelcast;
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    Config config = new Config();
    config.setClusterName("openfusion-outcomes-" + UUID.randomUUID());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(29_950 + ThreadLocalRandom.current().nextInt(0, 40)).setPortAutoIncrement(true).setPortCount(20);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
    hazelcast = Hazelcast.newHazelcastInstance(config);
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
    if (hazelcast != null) {
      hazelcast.shutdown();
    }
  }

  @Test
  void manyOutcomesReachTheClusterAsOneWritePerBucketWithTheSameAverage() throws InterruptedException {
    IMap<String, double[]> map = hazelcast.getMap(HazelcastOutcomeStore.MAP);
    AtomicInteger writes = new AtomicInteger();
    map.addEntryListener((EntryAddedListener<String, double[]>) event -> writes.incrementAndGet(), false);
    map.addEntryListener((EntryUpdatedListener<String, double[]>) event -> writes.incrementAndGet(), false);
    HazelcastOutcomeStore store = new HazelcastOutcomeStore(vertx, hazelcast);

    OutcomeBucket expected = OutcomeBucket.initial();
    for (int i = 0; i < 50; i++) {
      boolean success = i % 5 != 0;
      store.record(OutcomeStore.FUSION, Tier.STRONG, success);
      expected = expected.observe(success);
    }
    store.flush();

    String key = LocalOutcomeStore.key(OutcomeStore.FUSION, Tier.STRONG);
    long deadline = System.currentTimeMillis() + 10_000;
    while (map.get(key) == null && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    double[] stored = map.get(key);
    assertThat(stored).isNotNull();
    assertThat((long) stored[1]).isEqualTo(50);
    assertThat(stored[0]).isCloseTo(expected.ema(), offset(1e-9));
    // the periodic flush may have sent the batch first; either way it was sent once
    Thread.sleep(HazelcastOutcomeStore.FLUSH_MS + 500);
    assertThat(writes).hasValue(1);
    JsonObject snapshot = store.snapshotAsync().await();
    assertThat(snapshot.encode()).contains("\"count\":50");
  }
}

package io.openfusion.shared.limits;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.EntryView;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.openfusion.shared.limits.TokenLedger.Limit;
import io.openfusion.shared.limits.TokenLedger.Reservation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Hazelcast members in one JVM (a random cluster name, TCP-IP on 127.0.0.1, non-default ports,
 * phone-home off): a ledger on each, accounting in the same map.
 */
@Tag("cluster")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HazelcastTokenLedgerTest {

  private static HazelcastInstance first;
  private static HazelcastInstance second;
  private static Vertx vertx;
  private static HazelcastTokenLedger onFirst;
  private static HazelcastTokenLedger onSecond;

  @BeforeAll
  static void start() {
    String cluster = "openfusion-ledger-" + UUID.randomUUID();
    int port = 29_000 + ThreadLocalRandom.current().nextInt(0, 901);
    first = Hazelcast.newHazelcastInstance(config(cluster, port));
    second = Hazelcast.newHazelcastInstance(config(cluster, port));
    assertThat(second.getCluster().getMembers()).hasSize(2);
    vertx = Vertx.vertx();
    onFirst = new HazelcastTokenLedger(vertx, first);
    onSecond = new HazelcastTokenLedger(vertx, second);
  }

  @AfterAll
  static void stop() {
    if (vertx != null) {
      vertx.close().await();
    }
    if (second != null) {
      second.shutdown();
    }
    if (first != null) {
      first.shutdown();
    }
  }

  static Config config(String clusterName, int port) {
    Config config = new Config();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "jdk");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(port).setPortAutoIncrement(true).setPortCount(20);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
    return config;
  }

  private static String caller() {
    return "key:" + UUID.randomUUID();
  }

  @Test
  void aReservationOnOneMemberCountsOnTheOtherAndASettlementReleasesIt() {
    String caller = caller();
    TokenLimits budget = new TokenLimits(0, 1_000, 0, "team-a");
    Reservation big = onFirst.reserve(caller, budget, new TokenCharge(900, 0)).await();
    assertThat(big.admitted()).isTrue();
    assertThat(big.accounted()).isTrue();

    Reservation refused = onSecond.reserve(caller, budget, new TokenCharge(200, 0)).await();
    assertThat(refused.admitted()).isFalse();
    assertThat(refused.refusal().limit()).isEqualTo(Limit.TOKENS_PER_DAY);
    assertThat(refused.refusal().used()).isEqualTo(900);

    onSecond.settle(big, new TokenCharge(50, 0)).await();
    assertThat(onFirst.reserve(caller, budget, new TokenCharge(950, 0)).await().admitted()).isTrue();
    assertThat(onSecond.reserve(caller, budget, new TokenCharge(1, 0)).await().admitted()).isFalse();

    // a budgeted caller's entry lives until the end of the UTC day, plus slack
    EntryView<String, long[]> entry = first.<String, long[]>getMap(HazelcastTokenLedger.MAP)
      .getEntryView(HazelcastTokenLedger.key(caller));
    assertThat(entry.getValue()[TokenTally.DAY_TOKENS]).isEqualTo(1_000);
    assertThat(entry.getTtl()).isBetween(1_000L, (TokenTally.DAY_MS / 1000 + HazelcastTokenLedger.TTL_SLACK_SECONDS) * 1000);
  }

  @Test
  void concurrentReservationsFromBothMembersNeverOverrunTheLimit() {
    String caller = caller();
    TokenLimits perMinute = new TokenLimits(1_000, 0, 0, null);
    awaitRoomInTheMinute();
    List<Future<Reservation>> burst = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      burst.add((i % 2 == 0 ? onFirst : onSecond).reserve(caller, perMinute, new TokenCharge(100, 0)));
    }
    Future.join(burst).await();
    assertThat(burst.stream().filter(f -> f.result().admitted()).count()).isEqualTo(10);

    // a caller with only a minute limit has an entry that expires with the minute
    EntryView<String, long[]> entry = second.<String, long[]>getMap(HazelcastTokenLedger.MAP)
      .getEntryView(HazelcastTokenLedger.key(caller));
    assertThat(entry.getTtl()).isBetween(1_000L, (60 + HazelcastTokenLedger.TTL_SLACK_SECONDS) * 1000);
  }

  @Test
  void anUnlimitedCallerNeverTouchesTheMap() {
    String caller = caller();
    Reservation free = onFirst.reserve(caller, TokenLimits.NONE, new TokenCharge(1_000_000, 0)).await();
    assertThat(free.admitted()).isTrue();
    assertThat(free.accounted()).isFalse();
    assertThat(first.getMap(HazelcastTokenLedger.MAP).containsKey(HazelcastTokenLedger.key(caller))).isFalse();
  }

  /** The burst must fall in one minute window: with under 10 s left, wait for the next. */
  private static void awaitRoomInTheMinute() {
    long intoMinute = System.currentTimeMillis() % 60_000;
    if (intoMinute > 50_000) {
      try {
        Thread.sleep(60_000 - intoMinute + 250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}

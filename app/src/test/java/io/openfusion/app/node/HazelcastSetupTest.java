package io.openfusion.app.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.openfusion.shared.config.ClusterSettings;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The Hazelcast config built from the cluster settings: TCP-IP members or Kubernetes DNS discovery. */
class HazelcastSetupTest {

  @Test
  void tcpIpJoinsTheListedMembersOnly() {
    Config config = HazelcastSetup.config(new ClusterSettings("of-test", List.of("10.0.0.1", "10.0.0.2:5901"), 5901, "10.0.0.1"));
    assertCommon(config, "of-test", 5901, "10.0.0.1");
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers()).containsExactly("10.0.0.1", "10.0.0.2:5901");
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(config.getProperty("hazelcast.wait.seconds.before.join")).isEqualTo("0");
  }

  @Test
  void kubernetesLooksUpTheHeadlessServiceAtTheClusterPort() {
    ClusterSettings settings = new ClusterSettings("of-k8s", List.of(), 5801, "10.1.2.3",
      new ClusterSettings.Kubernetes("openfusion-hz.default.svc.cluster.local", 7));
    Config config = HazelcastSetup.config(settings);
    assertCommon(config, "of-k8s", 5801, "10.1.2.3");
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperties())
      .containsEntry("service-dns", "openfusion-hz.default.svc.cluster.local")
      .containsEntry("service-dns-timeout", "7")
      .containsEntry("service-port", "5801")
      .doesNotContainKeys("service-name", "namespace");
    assertThat(config.getProperty("hazelcast.wait.seconds.before.join")).isNull();
    join.verify(); // Hazelcast's own check that at most one join mechanism is on
  }

  /**
   * Kubernetes DNS discovery really forms a cluster: on loopback, {@code localhost} stands in for the
   * headless service (its one address record is 127.0.0.1), so two members must find each other
   * through the DNS path, not TCP-IP.
   */
  @Test
  @Tag("cluster")
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void kubernetesDiscoveryFormsAClusterThroughDns() {
    int port = 28_000 + ThreadLocalRandom.current().nextInt(0, 1001);
    ClusterSettings settings = new ClusterSettings("openfusion-test-" + UUID.randomUUID(), List.of(), port, "127.0.0.1",
      new ClusterSettings.Kubernetes("localhost", 5));
    List<HazelcastInstance> members = new ArrayList<>();
    try {
      members.add(Hazelcast.newHazelcastInstance(HazelcastSetup.config(settings)));
      members.add(Hazelcast.newHazelcastInstance(HazelcastSetup.config(settings)));
      assertThat(members.get(0).getCluster().getMembers()).hasSize(2);
      assertThat(members.get(1).getCluster().getMembers()).hasSize(2);
    } finally {
      members.forEach(HazelcastInstance::shutdown);
    }
  }

  private static void assertCommon(Config config, String name, int port, String host) {
    assertThat(config.getClusterName()).isEqualTo(name);
    assertThat(config.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    // the node's own stop decides when it leaves, after its work drained; and leaving is bounded
    assertThat(config.getProperty("hazelcast.shutdownhook.enabled")).isEqualTo("false");
    assertThat(config.getProperty("hazelcast.graceful.shutdown.max.wait"))
      .isEqualTo(String.valueOf(HazelcastSetup.LEAVE_MAX_WAIT_SECONDS));
    NetworkConfig network = config.getNetworkConfig();
    assertThat(network.getPort()).isEqualTo(port);
    assertThat(network.getInterfaces().isEnabled()).isTrue();
    assertThat(network.getInterfaces().getInterfaces()).containsExactly(host);
    JoinConfig join = network.getJoin();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    // the event bus's own maps come from vertx-hazelcast's bundled config
    assertThat(config.getMultiMapConfigs()).containsKey("__vertx.subs");
  }
}

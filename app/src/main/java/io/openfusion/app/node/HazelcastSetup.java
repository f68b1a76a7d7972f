package io.openfusion.app.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.openfusion.shared.config.ClusterSettings;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The Hazelcast cluster openfusion nodes form: a named cluster so unrelated clusters on the same hosts
 * never merge, no phone-home, and members found either by TCP-IP join to the listed addresses or, on
 * Kubernetes, through the DNS records of a headless service. Multicast and auto-detection stay off.
 */
public final class HazelcastSetup {

  /**
   * The longest a stopping node spends handing its partitions over before it leaves anyway. Part of the time a
   * stop takes after {@code server.shutdown_grace_seconds}, so the pods' termination grace period must cover it.
   */
  public static final int LEAVE_MAX_WAIT_SECONDS = 15;

  private HazelcastSetup() {
  }

  public static HazelcastClusterManager clusterManager(ClusterSettings settings) {
    return new HazelcastClusterManager(config(settings));
  }

  static Config config(ClusterSettings settings) {
    // start from vertx-hazelcast's bundled config: it declares the maps the event bus relies on
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(settings.name());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.health.monitoring.level", "OFF");
    // the node leaves when its own stop says so (NodeStop): Hazelcast's shutdown hook would take it out of the
    // cluster the moment SIGTERM arrives, while its streams and calls still run
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.graceful.shutdown.max.wait", Integer.toString(LEAVE_MAX_WAIT_SECONDS));
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(settings.port()).setPortAutoIncrement(true).setPortCount(20);
    network.getInterfaces().setEnabled(true).addInterface(settings.host());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (settings.kubernetes() != null) {
      // keep Hazelcast's default wait before join: with none, a member joining through discovery makes
      // itself master instead of joining the member it found, so every pod would start its own cluster
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true)
        .setProperty("service-dns", settings.kubernetes().serviceDns())
        .setProperty("service-dns-timeout", Integer.toString(settings.kubernetes().timeoutSeconds()))
        // DNS records carry addresses only; without this Hazelcast would knock on its default 5701
        .setProperty("service-port", Integer.toString(settings.port()));
    } else {
      config.setProperty("hazelcast.wait.seconds.before.join", "0");
      join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
    }
    return config;
  }
}

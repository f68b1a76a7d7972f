package io.openfusion.shared.config;

import java.util.List;

/**
 * Hazelcast cluster settings, used only when the process runs clustered. YAML:
 * {@code cluster: {name: "openfusion", members: ["127.0.0.1"], port: 5801, host: "127.0.0.1"}}.
 * The defaults keep a cluster on loopback, so nothing joins from the network by accident.
 *
 * @param name    cluster name; nodes with another name never join
 * @param members TCP-IP join addresses (host or host:port); multicast is never used
 * @param port    first Hazelcast port to bind (auto-incremented when taken)
 * @param host    interface Hazelcast and the event bus bind to and advertise
 */
public record ClusterSettings(String name, List<String> members, int port, String host) {

  public static final String DEFAULT_NAME = "openfusion";
  public static final List<String> DEFAULT_MEMBERS = List.of("127.0.0.1");
  public static final int DEFAULT_PORT = 5801;
  public static final String DEFAULT_HOST = "127.0.0.1";

  public ClusterSettings {
    members = members == null ? List.of() : List.copyOf(members);
  }

  public static ClusterSettings defaults() {
    return new ClusterSettings(DEFAULT_NAME, DEFAULT_MEMBERS, DEFAULT_PORT, DEFAULT_HOST);
  }
}

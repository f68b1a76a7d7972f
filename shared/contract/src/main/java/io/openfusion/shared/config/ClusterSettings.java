package io.openfusion.shared.config;

import java.util.List;

/**
 * Hazelcast cluster settings, used only when the process runs clustered. YAML:
 * {@code cluster: {name: "openfusion", members: ["127.0.0.1"], port: 5801, host: "127.0.0.1"}}, or on
 * Kubernetes {@code cluster: {host: "${POD_IP}", kubernetes: {service_dns: "openfusion-hz.default.svc.cluster.local"}}}.
 * The defaults keep a cluster on loopback, so nothing joins from the network by accident.
 *
 * @param name       cluster name; nodes with another name never join
 * @param members    TCP-IP join addresses (host or host:port); empty when {@code kubernetes} is set; multicast is never used
 * @param port       first Hazelcast port to bind (auto-incremented when taken)
 * @param host       interface Hazelcast and the event bus bind to and advertise
 * @param kubernetes Kubernetes DNS discovery instead of TCP-IP members, or null
 */
public record ClusterSettings(String name, List<String> members, int port, String host, Kubernetes kubernetes) {

  public static final String DEFAULT_NAME = "openfusion";
  public static final List<String> DEFAULT_MEMBERS = List.of("127.0.0.1");
  public static final int DEFAULT_PORT = 5801;
  public static final String DEFAULT_HOST = "127.0.0.1";

  public ClusterSettings {
    members = members == null ? List.of() : List.copyOf(members);
    // two join mechanisms at once would make membership depend on which one answers first
    if (kubernetes != null && !members.isEmpty()) {
      throw new IllegalArgumentException("TCP-IP members and Kubernetes discovery are mutually exclusive");
    }
  }

  /** TCP-IP join to {@code members}. */
  public ClusterSettings(String name, List<String> members, int port, String host) {
    this(name, members, port, host, null);
  }

  public static ClusterSettings defaults() {
    return new ClusterSettings(DEFAULT_NAME, DEFAULT_MEMBERS, DEFAULT_PORT, DEFAULT_HOST);
  }

  /** How members are found, for start-up output: the member list or the Kubernetes service. */
  public String joinDescription() {
    return kubernetes != null ? "kubernetes dns " + kubernetes.serviceDns() : String.join(",", members);
  }

  /**
   * Members found through the DNS records of a Kubernetes headless service (Hazelcast's built-in
   * Kubernetes discovery in DNS lookup mode: no API access, so no RBAC role is needed).
   *
   * @param serviceDns     the headless service's DNS name, e.g. {@code openfusion-hz.default.svc.cluster.local}
   * @param timeoutSeconds how long one DNS lookup may take
   */
  public record Kubernetes(String serviceDns, int timeoutSeconds) {

    public static final int DEFAULT_TIMEOUT_SECONDS = 5;

    public Kubernetes {
      if (serviceDns == null || serviceDns.isBlank()) {
        throw new IllegalArgumentException("serviceDns is required");
      }
    }
  }
}

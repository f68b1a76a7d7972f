package io.openfusion.shared.config.loading;

import io.openfusion.shared.config.ClusterSettings;
import static io.openfusion.shared.config.loading.ConfigAssertions.configFailure;
import static io.openfusion.shared.config.loading.ConfigAssertions.parse;
import static io.openfusion.shared.config.loading.ConfigAssertions.withPanel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code cluster} block: TCP-IP members or Kubernetes DNS discovery, never both. */
class ClusterConfigTest {

  private static final String KUBERNETES =
      "\"cluster\":{\"name\":\"of\",\"host\":\"${POD_IP}\",\"port\":5801,"
          + "\"kubernetes\":{\"service_dns\":\"openfusion-hz.default.svc.cluster.local\"}}";

  @Test
  void kubernetesDiscoveryTakesTheHostFromThePodIp() {
    ClusterSettings c = parse(withPanel(KUBERNETES), Map.of("POD_IP", "10.1.2.3")).cluster();
    assertThat(c).isEqualTo(new ClusterSettings("of", List.of(), 5801, "10.1.2.3",
        new ClusterSettings.Kubernetes("openfusion-hz.default.svc.cluster.local", 5)));
    assertThat(c.joinDescription()).isEqualTo("kubernetes dns openfusion-hz.default.svc.cluster.local");
  }

  @Test
  void kubernetesLookupTimeoutIsConfigurable() {
    String json = withPanel("\"cluster\":{\"kubernetes\":{\"service_dns\":\" hz.ns.svc \",\"timeout_seconds\":12}}");
    assertThat(parse(json).cluster().kubernetes()).isEqualTo(new ClusterSettings.Kubernetes("hz.ns.svc", 12));
  }

  @Test
  void withoutKubernetesTheMembersAreUsed() {
    ClusterSettings c = parse(withPanel("\"cluster\":{\"members\":[\"10.0.0.1\"]}")).cluster();
    assertThat(c.kubernetes()).isNull();
    assertThat(c.members()).containsExactly("10.0.0.1");
    assertThat(c.joinDescription()).isEqualTo("10.0.0.1");
  }

  @Test
  void membersAndKubernetesTogetherAreRejectedAtTheMembersKey() {
    String json = withPanel("\"cluster\":{\"members\":[\"10.0.0.1\"],\"kubernetes\":{\"service_dns\":\"hz.ns.svc\"}}");
    ConfigException e = configFailure(() -> parse(json));
    assertThat(e.keyPath()).isEqualTo("cluster.members");
    assertThat(e.problem()).contains("cluster.kubernetes");
  }

  @Test
  void kubernetesNeedsAServiceDnsName() {
    assertThat(configFailure(() -> parse(withPanel("\"cluster\":{\"kubernetes\":{}}"))).keyPath())
        .isEqualTo("cluster.kubernetes.service_dns");
    assertThat(configFailure(() -> parse(withPanel("\"cluster\":{\"kubernetes\":{\"service_dns\":\"  \"}}"))).keyPath())
        .isEqualTo("cluster.kubernetes.service_dns");
  }

  @Test
  void kubernetesMustBeAMapping() {
    ConfigException e = configFailure(() -> parse(withPanel("\"cluster\":{\"kubernetes\":\"hz.ns.svc\"}")));
    assertThat(e.keyPath()).isEqualTo("cluster.kubernetes");
  }

  @Test
  void kubernetesTimeoutIsBounded() {
    String json = withPanel("\"cluster\":{\"kubernetes\":{\"service_dns\":\"hz\",\"timeout_seconds\":0}}");
    assertThat(configFailure(() -> parse(json)).keyPath()).isEqualTo("cluster.kubernetes.timeout_seconds");
  }

  @Test
  void anUnsetPodIpFailsAtTheHostKey() {
    ConfigException e = configFailure(() -> parse(withPanel(KUBERNETES), Map.of()));
    assertThat(e.keyPath()).isEqualTo("cluster.host");
    assertThat(e.problem()).contains("POD_IP");
  }

  @Test
  void settingsRefuseMembersWithKubernetes() {
    assertThatThrownBy(() -> new ClusterSettings("of", List.of("10.0.0.1"), 5801, "10.0.0.1",
        new ClusterSettings.Kubernetes("hz", 5))).isInstanceOf(IllegalArgumentException.class);
  }
}

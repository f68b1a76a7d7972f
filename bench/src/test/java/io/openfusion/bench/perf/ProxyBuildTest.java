package io.openfusion.bench.perf;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProxyBuildTest {

  @Test
  void compareNamesTheBuildsInTheOrderGiven() {
    List<ProxyBuild> builds = ProxyBuild.parse("before=/tmp/a.jar, after=/tmp/b.jar");
    assertThat(builds).extracting(ProxyBuild::label).containsExactly("before", "after");
    assertThat(builds.get(0).jar().toString()).isEqualTo("/tmp/a.jar");
    assertThat(builds.get(1).rowName("passthrough")).isEqualTo("passthrough@after");
    assertThat(builds.get(1).fileName("proxy", "log")).isEqualTo("proxy-after.log");
  }

  @Test
  void anUnlabelledBuildKeepsThePlainNames() {
    ProxyBuild plain = new ProxyBuild("", java.nio.file.Path.of("/tmp/a.jar"));
    assertThat(plain.rowName("fusion")).isEqualTo("fusion");
    assertThat(plain.fileName("proxy", "jfr")).isEqualTo("proxy.jfr");
  }

  @Test
  void rowNamesSplitBackIntoTargetAndBuild() {
    assertThat(ProxyBuild.baseTarget("fusion@before")).isEqualTo("fusion");
    assertThat(ProxyBuild.buildOf("fusion@before")).isEqualTo("before");
    assertThat(ProxyBuild.baseTarget("upstream")).isEqualTo("upstream");
    assertThat(ProxyBuild.buildOf("upstream")).isEmpty();
  }

  @Test
  void aComparisonNeedsTwoDistinctWellFormedBuilds() {
    assertThatThrownBy(() -> ProxyBuild.parse("before=/tmp/a.jar")).isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("at least two");
    assertThatThrownBy(() -> ProxyBuild.parse("x=/a.jar,x=/b.jar")).isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("twice");
    assertThatThrownBy(() -> ProxyBuild.parse("/a.jar,/b.jar")).isInstanceOf(IllegalArgumentException.class)
      .hasMessageContaining("LABEL=JAR");
    assertThatThrownBy(() -> ProxyBuild.parse("a b=/a.jar,c=/b.jar")).isInstanceOf(IllegalArgumentException.class);
  }
}

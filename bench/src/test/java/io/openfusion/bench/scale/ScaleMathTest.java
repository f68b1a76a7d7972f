package io.openfusion.bench.scale;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ScaleMathTest {

  @Test
  void panelCeilingIsSlotsOverSlotSecondsPerFusion() {
    // 8 slots, each fusion holds 3 of them for 450 ms: 8 / 1.35 s
    assertThat(ScaleMath.panelCeilingRps(1, 8, 3, 450)).isCloseTo(5.926, within(1e-3));
    assertThat(ScaleMath.panelCeilingRps(3, 8, 3, 450)).isCloseTo(17.778, within(1e-3));
    assertThatThrownBy(() -> ScaleMath.panelCeilingRps(0, 8, 3, 450)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theCeilingIsTheLowerOfCapsAndClients() {
    // 48 clients at 450 + 65 ms could send 93 rps: the caps bind
    assertThat(ScaleMath.ceilingRps(3, 8, 3, 450, 65, 48)).isCloseTo(17.778, within(1e-3));
    // 4 clients could send only 7.8 rps: the load binds, and more nodes cannot help
    assertThat(ScaleMath.ceilingRps(3, 8, 3, 450, 65, 4)).isCloseTo(4000.0 / 515, within(1e-9));
  }

  @Test
  void expectedRatioFollowsTheNodesWhileTheCapsBind() {
    double one = ScaleMath.ceilingRps(1, 8, 3, 450, 65, 48);
    double three = ScaleMath.ceilingRps(3, 8, 3, 450, 65, 48);
    assertThat(ScaleMath.ratio(three, one)).isCloseTo(3.0, within(1e-9));
    assertThat(ScaleMath.ratio(1, 0)).isNaN();
  }

  @Test
  void saturationNeedsCeilingTimesTheShortestFusion() {
    // 17.8 rps x 0.515 s: about 9 clients keep 24 slots busy
    assertThat(ScaleMath.saturatingConcurrency(3, 8, 3, 450, 65)).isCloseTo(9.156, within(1e-3));
  }

  @Test
  void aRowIsCpuLimitedOnlyWhenBusyAndShort() {
    assertThat(ScaleMath.cpuLimited(95, 70)).isTrue();
    assertThat(ScaleMath.cpuLimited(95, 97)).isFalse();
    assertThat(ScaleMath.cpuLimited(40, 70)).isFalse();
    assertThat(ScaleMath.percentOf(5, 10)).isEqualTo(50.0);
  }
}

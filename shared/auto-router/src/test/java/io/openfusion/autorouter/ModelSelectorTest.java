package io.openfusion.autorouter;

import static io.openfusion.autorouter.RouterConfigs.route;
import static org.assertj.core.api.Assertions.assertThat;

import io.openfusion.shared.bus.UpstreamRef;
import io.openfusion.shared.config.RouteModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelSelectorTest {

  private static final RouteModel FAST_A = route("fast-a", "fast");
  private static final RouteModel FAST_B = route("fast-b", "fast");
  private static final RouteModel MID = route("mid", "balanced");
  private static final RouteModel BIG = route("big", "strong");

  @Test
  void exactTierFirstInConfigOrder() {
    List<RouteModel> all = List.of(BIG, FAST_A, MID, FAST_B);
    assertThat(ModelSelector.select(Tier.FAST, all)).isEqualTo(1);
    assertThat(ModelSelector.select(Tier.BALANCED, all)).isEqualTo(2);
    assertThat(ModelSelector.select(Tier.STRONG, all)).isEqualTo(0);
  }

  @Test
  void fastFallsBackToBalancedThenStrong() {
    assertThat(ModelSelector.select(Tier.FAST, List.of(BIG, MID))).isEqualTo(1);
    assertThat(ModelSelector.select(Tier.FAST, List.of(BIG))).isEqualTo(0);
  }

  @Test
  void balancedFallsBackToStrongThenFast() {
    assertThat(ModelSelector.select(Tier.BALANCED, List.of(FAST_A, BIG))).isEqualTo(1);
    assertThat(ModelSelector.select(Tier.BALANCED, List.of(FAST_A, FAST_B))).isEqualTo(0);
  }

  @Test
  void strongFallsBackToBalancedThenFast() {
    assertThat(ModelSelector.select(Tier.STRONG, List.of(FAST_A, MID))).isEqualTo(1);
    assertThat(ModelSelector.select(Tier.STRONG, List.of(FAST_B, FAST_A))).isEqualTo(0);
  }

  @Test
  void unknownTiersFallBackToTheFirstModel() {
    assertThat(ModelSelector.select(Tier.STRONG, List.of(route("x", "weird"), route("y", "odd")))).isEqualTo(0);
  }

  @Test
  void noModelsMeansTheDefaultPassThrough() {
    assertThat(ModelSelector.select(Tier.FAST, List.of())).isEqualTo(-1);
    assertThat(new ModelSelector(List.of()).target(Tier.FAST)).isNull();
  }

  @Test
  void targetIsARouteReferenceLabelledWithTheModel() {
    assertThat(new ModelSelector(List.of(FAST_A, BIG)).target(Tier.STRONG))
      .isEqualTo(new UpstreamRef(UpstreamRef.ROUTE, 1, "big", "big"));
  }
}

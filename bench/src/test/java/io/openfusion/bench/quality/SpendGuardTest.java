package io.openfusion.bench.quality;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SpendGuardTest {

  private static JsonObject cost(double usd) {
    return new JsonObject().put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 15).put("cost", usd);
  }

  @Test
  void withoutACapNothingIsRefusedAndTheSpendIsTallied() {
    SpendGuard g = SpendGuard.unlimited();
    for (int i = 0; i < 5; i++) {
      g.settle(g.reserve("solo", null).result(), cost(0.5));
    }
    assertThat(g.spent()).isCloseTo(2.5, within(1e-12));
    assertThat(g.stopped()).isFalse();
    assertThat(g.toJson().getValue("max_usd")).isNull();
  }

  @Test
  void holdsARequestWhileInFlightWorkCouldPassTheCapAndStopsWhenItAloneWould() {
    SpendGuard g = new SpendGuard(0.10, null);
    SpendGuard.Reservation a = g.reserve("vote", 0.04).result();
    SpendGuard.Reservation b = g.reserve("vote", 0.04).result();
    // 0.08 in flight: a third worst case of 0.04 could reach 0.12, so it waits for those to settle
    Future<SpendGuard.Reservation> c = g.reserve("vote", 0.04);
    assertThat(c.isComplete()).isFalse();
    g.settle(a, cost(0.01));
    // 0.01 spent + 0.04 still in flight + 0.04 = 0.09: it goes
    assertThat(c.succeeded()).isTrue();
    g.settle(b, cost(0.01));
    // a request whose worst case alone would pass the cap stops the run
    Future<SpendGuard.Reservation> d = g.reserve("vote", 0.09);
    assertThat(d.failed()).isTrue();
    assertThat(d.cause()).isInstanceOf(SpendGuard.CapReached.class).hasMessageContaining("vote")
      .hasMessageContaining("--max-usd 0.1000");
    // nothing new starts afterwards, however small
    assertThat(g.reserve("solo", 0.0001).failed()).isTrue();
    g.settle(c.result(), cost(0.01));
    assertThat(g.spent()).isCloseTo(0.03, within(1e-12));
    assertThat(g.spent()).isLessThanOrEqualTo(g.cap());
  }

  @Test
  void whatEarlierRequestsCostBoundsTheNextWhenItIsMore() {
    SpendGuard g = new SpendGuard(1.0, null);
    g.settle(g.reserve("panel_judge", 0.01).result(), cost(0.30)); // e.g. web-search fees the estimate leaves out
    SpendGuard.Reservation next = g.reserve("panel_judge", 0.01).result();
    assertThat(next.amount()).isEqualTo(0.30);
    SpendGuard.Reservation other = g.reserve("grader", 0.002).result();
    assertThat(other.amount()).isEqualTo(0.002);
    assertThat(g.reserve("panel_judge", 0.01).succeeded()).isTrue(); // 0.30 + 0.30 + 0.002 + 0.30 <= 1
    assertThat(g.reserve("panel_judge", 0.01).isComplete()).isFalse(); // one more 0.30 could pass 1.0: it waits
  }

  @Test
  void withNoBoundKnownOneRequestGoesAloneAndTheOthersWaitForItsCost() {
    SpendGuard g = new SpendGuard(0.05, null);
    Future<SpendGuard.Reservation> probe = g.reserve("solo", null);
    Future<SpendGuard.Reservation> second = g.reserve("solo", null);
    Future<SpendGuard.Reservation> third = g.reserve("solo", null);
    assertThat(probe.succeeded()).isTrue();
    assertThat(probe.result().probe()).isTrue();
    assertThat(second.isComplete()).isFalse();
    g.settle(probe.result(), cost(0.02));
    // now each solo request is bounded by 0.02: the second goes; 0.02 spent + 0.02 reserved + 0.02 > 0.05 holds the third
    assertThat(second.succeeded()).isTrue();
    assertThat(second.result().amount()).isEqualTo(0.02);
    assertThat(third.isComplete()).isFalse();
    g.settle(second.result(), cost(0.02));
    // 0.04 spent: another 0.02 could pass 0.05, so the third is refused and the run stops
    assertThat(third.failed()).isTrue();
    assertThat(g.stopped()).isTrue();
  }

  @Test
  void pricesResponsesWithoutACostFromTokensOrStopsWhenItCannot() {
    SpendGuard priced = new SpendGuard(1.0, new double[] {1.0, 2.0});
    priced.settle(priced.reserve("solo", null).result(), new JsonObject().put("prompt_tokens", 1000).put("completion_tokens", 500));
    assertThat(priced.spent()).isCloseTo(0.001 + 0.001, within(1e-12));

    SpendGuard bounded = new SpendGuard(1.0, null);
    bounded.settle(bounded.reserve("solo", 0.003).result(), new JsonObject().put("total_tokens", 9));
    assertThat(bounded.spent()).isCloseTo(0.003, within(1e-12)); // counted at its worst case
    assertThat(bounded.unpriced()).isZero();

    SpendGuard blind = new SpendGuard(1.0, null);
    blind.settle(blind.reserve("solo", null).result(), new JsonObject().put("total_tokens", 9));
    assertThat(blind.stopped()).isTrue();
    assertThat(blind.stopReason()).contains("--price-per-mtok");
    assertThat(blind.unpriced()).isEqualTo(1);
  }

  @Test
  void aFailedRequestCountsAtItsReservation() {
    SpendGuard g = new SpendGuard(1.0, null);
    g.settle(g.reserve("vote", 0.07).result(), null);
    assertThat(g.spent()).isCloseTo(0.07, within(1e-12));
    assertThat(g.requests()).isEqualTo(1);
    assertThat(g.stopped()).isFalse();
  }
}

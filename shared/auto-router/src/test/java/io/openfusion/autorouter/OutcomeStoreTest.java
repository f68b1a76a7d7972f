package io.openfusion.autorouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomeStoreTest {

  private final LocalOutcomeStore store = new LocalOutcomeStore();

  private void record(String route, Tier tier, boolean success, int times) {
    for (int i = 0; i < times; i++) {
      store.record(route, tier, success);
    }
  }

  @Test
  void emaStartsAtHalfAndMovesByAlpha() {
    OutcomeBucket b = OutcomeBucket.initial();
    assertThat(b.ema()).isEqualTo(0.5);
    assertThat(b.count()).isZero();
    b = b.observe(true);
    assertThat(b.ema()).isCloseTo(0.525, within(1e-12));
    b = b.observe(false);
    assertThat(b.ema()).isCloseTo(0.49875, within(1e-12));
    assertThat(b.count()).isEqualTo(2);
  }

  @Test
  void emaAfterNSuccessesFollowsTheClosedForm() {
    OutcomeBucket b = OutcomeBucket.initial();
    for (int i = 0; i < 12; i++) {
      b = b.observe(true);
    }
    // 1 - 0.5 * 0.95^12
    assertThat(b.ema()).isCloseTo(1 - 0.5 * Math.pow(0.95, 12), within(1e-12));
  }

  @Test
  void noPreferenceUntilBothSidesHaveTenObservations() {
    record(OutcomeStore.FUSION, Tier.FAST, true, 10);
    record(OutcomeStore.PASS_THROUGH, Tier.FAST, false, 9);
    assertThat(store.preferFuse(Tier.FAST)).isNull();
    store.record(OutcomeStore.PASS_THROUGH, Tier.FAST, false);
    assertThat(store.preferFuse(Tier.FAST)).isTrue();
    assertThat(store.preferFuse(Tier.STRONG)).as("tiers are separate").isNull();
  }

  @Test
  void marginIsInclusiveAtPointFifteen() {
    OutcomeBucket fusion = new OutcomeBucket(0.75, 10);
    assertThat(OutcomeBucket.preferFuse(fusion, new OutcomeBucket(0.60, 10))).isTrue();
    assertThat(OutcomeBucket.preferFuse(fusion, new OutcomeBucket(0.61, 10))).isNull();
    assertThat(OutcomeBucket.preferFuse(new OutcomeBucket(0.45, 10), new OutcomeBucket(0.60, 10))).isFalse();
    assertThat(OutcomeBucket.preferFuse(new OutcomeBucket(0.46, 10), new OutcomeBucket(0.60, 10))).isNull();
    assertThat(OutcomeBucket.preferFuse(fusion, null)).isNull();
    assertThat(OutcomeBucket.preferFuse(new OutcomeBucket(1, 9), new OutcomeBucket(0, 100))).isNull();
  }

  @Test
  void soloPreferenceIsReportedAsFalse() {
    record(OutcomeStore.FUSION, Tier.STRONG, false, 10);
    record(OutcomeStore.PASS_THROUGH, Tier.STRONG, true, 10);
    assertThat(store.preferFuse(Tier.STRONG)).isFalse();
  }

  @Test
  void smallGapsGiveNoPreference() {
    // ten successes each way: both at 1 - 0.5 * 0.95^10 ~ 0.70
    record(OutcomeStore.FUSION, Tier.BALANCED, true, 10);
    record(OutcomeStore.PASS_THROUGH, Tier.BALANCED, true, 10);
    assertThat(store.preferFuse(Tier.BALANCED)).isNull();
  }

  @Test
  void snapshotHasSortedKeysRoundedEmaAndCounts() {
    assertThat(store.snapshot()).isEqualTo(new JsonObject().put("outcomes", new JsonObject()));
    record(OutcomeStore.PASS_THROUGH, Tier.STRONG, false, 1);
    record(OutcomeStore.FUSION, Tier.FAST, true, 12);
    record(OutcomeStore.FUSION, Tier.BALANCED, true, 1);
    JsonObject outcomes = store.snapshot().getJsonObject("outcomes");
    assertThat(List.copyOf(outcomes.fieldNames()))
      .containsExactly("fusion/balanced", "fusion/fast", "pass_through/strong");
    assertThat(outcomes.getJsonObject("fusion/fast")).isEqualTo(new JsonObject().put("ema", 0.7298).put("count", 12L));
    assertThat(outcomes.getJsonObject("fusion/balanced").getDouble("ema")).isEqualTo(0.525);
    assertThat(outcomes.getJsonObject("pass_through/strong").getDouble("ema")).isEqualTo(0.475);
    assertThat(store.snapshot().encode()).startsWith("{\"outcomes\":{\"fusion/balanced\":{\"ema\":0.525,\"count\":1}");
  }

  @Test
  void unknownRoutesAreRejected() {
    assertThatThrownBy(() -> store.record("pipeline", Tier.FAST, true)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.record(OutcomeStore.FUSION, null, true)).isInstanceOf(NullPointerException.class);
  }
}

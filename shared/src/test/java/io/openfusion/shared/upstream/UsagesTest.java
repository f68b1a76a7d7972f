package io.openfusion.shared.upstream;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UsagesTest {

  @Test
  void fromJsonKeepsOnlyIntegerCountsAndNumericCost() {
    JsonObject raw = new JsonObject()
        .put("prompt_tokens", 10).put("completion_tokens", true).put("total_tokens", 12.0)
        .put("cost", 1).put("prompt_tokens_details", new JsonObject().put("cached_tokens", 3));
    assertThat(Usages.fromJson(raw)).isEqualTo(new JsonObject().put("prompt_tokens", 10).put("cost", 1.0));
  }

  @Test
  void fromJsonOfNothingUsefulIsNull() {
    assertThat(Usages.fromJson(null)).isNull();
    assertThat(Usages.fromJson(new JsonObject())).isNull();
    assertThat(Usages.fromJson(new JsonObject().put("prompt_tokens", "5").put("cost", "0.1"))).isNull();
  }

  @Test
  void fromJsonAcceptsLongs() {
    assertThat(Usages.fromJson(new JsonObject().put("total_tokens", 5_000_000_000L)).getLong("total_tokens"))
        .isEqualTo(5_000_000_000L);
  }

  @Test
  void addSumsFieldWiseAndRecomputesTheTotal() {
    JsonObject a = new JsonObject().put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 99);
    JsonObject b = new JsonObject().put("prompt_tokens", 1).put("completion_tokens", 2).put("total_tokens", 3);
    assertThat(Usages.add(a, b)).isEqualTo(new JsonObject()
        .put("prompt_tokens", 11).put("completion_tokens", 7).put("total_tokens", 18));
  }

  @Test
  void addKeepsCostWhenEitherSideHasOne() {
    JsonObject a = new JsonObject().put("prompt_tokens", 1).put("completion_tokens", 1).put("cost", 0.25);
    JsonObject b = new JsonObject().put("prompt_tokens", 2).put("completion_tokens", 3);
    assertThat(Usages.add(a, b).getDouble("cost")).isEqualTo(0.25);
    assertThat(Usages.add(b, b).containsKey("cost")).isFalse();
    assertThat(Usages.add(a, a).getDouble("cost")).isEqualTo(0.5);
  }

  @Test
  void addIsNullSafe() {
    JsonObject a = new JsonObject().put("prompt_tokens", 4).put("completion_tokens", 6);
    assertThat(Usages.add(null, null)).isNull();
    assertThat(Usages.add(a, null)).isEqualTo(new JsonObject()
        .put("prompt_tokens", 4).put("completion_tokens", 6).put("total_tokens", 10));
    assertThat(Usages.add(null, a)).isEqualTo(Usages.add(a, null));
    assertThat(Usages.add(new JsonObject().put("foo", 1), null)).isNull();
  }

  @Test
  void addWithOnlyTotalsSumsTheTotals() {
    assertThat(Usages.add(new JsonObject().put("total_tokens", 7), new JsonObject().put("total_tokens", 5)))
        .isEqualTo(new JsonObject().put("prompt_tokens", 0).put("completion_tokens", 0).put("total_tokens", 12));
  }

  @Test
  void addDoesNotMutateItsInputs() {
    JsonObject a = new JsonObject().put("prompt_tokens", 1).put("extra", "x");
    Usages.add(a, a);
    assertThat(a).isEqualTo(new JsonObject().put("prompt_tokens", 1).put("extra", "x"));
  }
}

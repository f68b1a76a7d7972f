package io.openfusion.shared.chat;

import io.openfusion.shared.chat.Usages;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UsagesTest {

  @Test
  void fromJsonKeepsOnlyIntegerCountsNumericCostAndTheTwoDetails() {
    JsonObject raw = new JsonObject()
        .put("prompt_tokens", 10).put("completion_tokens", true).put("total_tokens", 12.0)
        .put("cost", 1).put("prompt_tokens_details", new JsonObject().put("cached_tokens", 3).put("audio_tokens", 2))
        .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", "7"));
    assertThat(Usages.fromJson(raw)).isEqualTo(new JsonObject()
        .put("prompt_tokens", 10).put("completion_tokens", 0).put("total_tokens", 10).put("cost", 1.0)
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", 3)));
  }

  @Test
  void theProvidersTotalIsKeptWhenItCountsMoreThanPromptAndCompletion() {
    // a reasoning model reporting its hidden reasoning in the total only
    JsonObject xai = new JsonObject().put("prompt_tokens", 10).put("completion_tokens", 1).put("total_tokens", 303)
        .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", 292));
    assertThat(Usages.fromJson(xai).getInteger("total_tokens")).isEqualTo(303);
    assertThat(Usages.total(xai)).isEqualTo(303);
    // a total that undercounts (or is missing) is raised to prompt + completion
    assertThat(Usages.fromJson(new JsonObject().put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 3))
        .getInteger("total_tokens")).isEqualTo(15);
    assertThat(Usages.total(new JsonObject().put("prompt_tokens", 10).put("completion_tokens", 5))).isEqualTo(15);
  }

  @Test
  void sumsCarryTheProvidersTotalsAndTheDetailCounts() {
    JsonObject reasoning = new JsonObject().put("prompt_tokens", 10).put("completion_tokens", 1).put("total_tokens", 303)
        .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", 292));
    JsonObject cached = new JsonObject().put("prompt_tokens", 100).put("completion_tokens", 20).put("total_tokens", 120)
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", 80));
    JsonObject sum = Usages.add(Usages.add(reasoning, cached), reasoning);
    assertThat(sum).isEqualTo(new JsonObject()
        .put("prompt_tokens", 120).put("completion_tokens", 22).put("total_tokens", 303 + 120 + 303)
        .put("prompt_tokens_details", new JsonObject().put("cached_tokens", 80))
        .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", 584)));
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
  void addSumsFieldWise() {
    JsonObject a = new JsonObject().put("prompt_tokens", 10).put("completion_tokens", 5).put("total_tokens", 15);
    JsonObject b = new JsonObject().put("prompt_tokens", 1).put("completion_tokens", 2);
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

package io.openfusion.shared.upstream.pricing;

import io.openfusion.shared.upstream.pricing.Pricing.Price;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PriceListTest {

  private static Map<String, Price> parse(String json) {
    return PriceList.parse(Buffer.buffer(json));
  }

  @Test
  void readsStringAndNumberPrices() {
    Map<String, Price> prices = parse("""
      {"data": [
        {"id": "a/strings", "pricing": {"prompt": "0.000001", "completion": " 0.000002 "}},
        {"id": "b/numbers", "pricing": {"prompt": 3e-6, "completion": 0.000004}},
        {"id": "c/free", "pricing": {"prompt": "0", "completion": 0}}
      ]}""");

    assertThat(prices).containsOnly(
      Map.entry("a/strings", new Price(0.000001, 0.000002)),
      Map.entry("b/numbers", new Price(0.000003, 0.000004)),
      Map.entry("c/free", new Price(0, 0)));
  }

  @Test
  void skipsMalformedEntries() {
    Map<String, Price> prices = parse("""
      {"data": [
        "not an object",
        {"id": 42, "pricing": {"prompt": "1", "completion": "1"}},
        {"id": "", "pricing": {"prompt": "1", "completion": "1"}},
        {"id": "no/pricing"},
        {"id": "pricing/not-object", "pricing": "cheap"},
        {"id": "missing/completion", "pricing": {"prompt": "0.1"}},
        {"id": "bad/number", "pricing": {"prompt": "abc", "completion": "0.1"}},
        {"id": "negative", "pricing": {"prompt": "-1", "completion": "-1"}},
        {"id": "not/finite", "pricing": {"prompt": "NaN", "completion": "Infinity"}},
        {"id": "bool", "pricing": {"prompt": true, "completion": "0.1"}},
        {"id": "ok/model", "pricing": {"prompt": "0.5", "completion": "1.5", "image": "x"}},
        {"id": "ok/model", "pricing": {"prompt": "9", "completion": "9"}}
      ]}""");

    assertThat(prices).containsOnly(Map.entry("ok/model", new Price(0.5, 1.5)));
  }

  @Test
  void rejectsSomethingThatIsNotAModelList() {
    assertThatThrownBy(() -> parse("<html>")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> parse("[1, 2]")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> parse("{\"models\": []}")).isInstanceOf(IllegalArgumentException.class);
    assertThat(parse("{\"data\": []}")).isEmpty();
  }
}

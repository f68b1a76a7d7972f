package io.openfusion.bench.bodies;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class BodiesBenchTest {

  @Test
  void theBodyIsAChatRequestWithAnInlineImageOfTheAskedSize() {
    byte[] body = BodiesBench.body("openfusion", 2.0);

    assertThat(body.length).isBetween(1_990_000, 2_010_000);
    JsonObject request = new JsonObject(new String(body, StandardCharsets.UTF_8));
    assertThat(request.getString("model")).isEqualTo("openfusion");
    String url = request.getJsonArray("messages").getJsonObject(0).getJsonArray("content").getJsonObject(1)
      .getJsonObject("image_url").getString("url");
    assertThat(url).startsWith("data:image/png;base64,");
  }
}

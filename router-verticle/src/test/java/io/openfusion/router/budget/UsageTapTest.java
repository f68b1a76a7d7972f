package io.openfusion.router.budget;

import io.openfusion.shared.upstream.StreamResult;
import io.openfusion.shared.upstream.UpstreamCall;
import io.openfusion.shared.upstream.UpstreamClient;
import io.openfusion.shared.upstream.UpstreamException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A metered pass-through is settled on what its upstream reported, or on what it received when nothing was. */
class UsageTapTest {

  private static final UpstreamCall CALL = new UpstreamCall("http://127.0.0.1:1/v1", null, new JsonObject(), 0, null, "t");

  /** Hands {@code chunks} to the caller, then ends as {@code ending} says. */
  private record Scripted(List<String> chunks, Future<StreamResult> ending) implements UpstreamClient {
    @Override
    public Future<JsonObject> complete(UpstreamCall call) {
      return Future.failedFuture("not used");
    }

    @Override
    public Future<StreamResult> stream(UpstreamCall call, Handler<String> onData, io.openfusion.shared.upstream.Pace pace) {
      chunks.forEach(onData::handle);
      return ending;
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }
  }

  @Test
  void reportedUsageIsWhatIsCharged() {
    JsonObject usage = new JsonObject().put("prompt_tokens", 7).put("completion_tokens", 3).put("total_tokens", 10);
    UsageTap tap = new UsageTap(new Scripted(List.of("{}", "{}"),
      Future.succeededFuture(new StreamResult(usage, "stop", 2))), 100);
    List<String> relayed = new ArrayList<>();

    tap.stream(CALL, relayed::add);

    assertThat(relayed).hasSize(2);
    assertThat(tap.total().getInteger("total_tokens")).isEqualTo(10);
  }

  @Test
  void aStreamCutMidwayIsChargedUpToItsCut() {
    UsageTap tap = new UsageTap(new Scripted(List.of("{}", "{}", "{}"), Future.failedFuture(
      new UpstreamException(UpstreamException.Kind.INCOMPLETE_STREAM, 0, "cut"))), 100);

    tap.stream(CALL, data -> { });

    assertThat(tap.total()).isEqualTo(new JsonObject().put("prompt_tokens", 100).put("completion_tokens", 3)
      .put("total_tokens", 103));
  }

  @Test
  void aStreamThatFailedBeforeAnyChunkAddsNothing() {
    UsageTap tap = new UsageTap(new Scripted(List.of(), Future.failedFuture("refused")), 100);

    tap.stream(CALL, data -> { });

    assertThat(tap.total()).isNull();
  }
}

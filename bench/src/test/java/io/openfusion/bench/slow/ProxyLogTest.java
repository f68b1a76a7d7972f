package io.openfusion.bench.slow;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyLogTest {

  @Test
  void readsTheDoneLineAndTheStreamedUpstreamLineOfEachRequest(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("proxy.log");
    Files.writeString(log, String.join("\n",
      "openfusion is starting",
      "  listening on http://127.0.0.1:1234",
      "{\"timestamp\":\"2026-12-05T09:22:00.542Z\",\"level\":\"INFO\",\"logger\":\"openfusion.upstream\",\"request_id\":\"r-1\","
        + "\"phase\":\"panel\",\"stream\":false,\"outcome\":\"success\",\"latency_ms\":216}",
      "{\"timestamp\":\"2026-12-05T09:22:09.182Z\",\"level\":\"INFO\",\"logger\":\"openfusion.upstream\",\"request_id\":\"r-1\","
        + "\"phase\":\"judge\",\"stream\":true,\"outcome\":\"success\",\"latency_ms\":8337}",
      "{\"timestamp\":\"2026-12-05T09:22:09.183Z\",\"level\":\"INFO\",\"logger\":\"openfusion.request\",\"request_id\":\"r-1\","
        + "\"outcome\":\"success\",\"latency_ms\":8897,\"stream\":true}",
      "{\"timestamp\":\"2026-12-05T09:22:10.000Z\",\"level\":\"ERROR\",\"logger\":\"io.vertx.core.impl.ContextImpl\",\"message\":\"x\"}",
      "{not json"));
    ProxyLog read = ProxyLog.read(log);
    ProxyLog.Line done = read.request("r-1");
    assertThat(done.atMs()).isEqualTo(Instant.parse("2026-12-05T09:22:09.183Z").toEpochMilli());
    assertThat(done.outcome()).isEqualTo("success");
    assertThat(done.latencyMs()).isEqualTo(8897);
    // the streamed call, not the panel member's
    assertThat(read.upstream("r-1").latencyMs()).isEqualTo(8337);
    assertThat(read.request("r-2")).isNull();
  }
}

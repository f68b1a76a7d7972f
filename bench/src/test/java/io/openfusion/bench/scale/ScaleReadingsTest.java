package io.openfusion.bench.scale;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The readings the scale harness takes from the cluster view, the node logs and the upstream timeline. */
class ScaleReadingsTest {

  @Test
  void countsOnlyNodesThatAnnouncedThePanelRole() {
    JsonObject view = new JsonObject("""
      {"node":"a","clustered":true,"nodes":[
        {"id":"a","address":"127.0.0.1:28001","roles":["api","router","judge"],"self":true},
        {"id":"b","address":"127.0.0.1:28002","roles":["panel"],"self":false},
        {"id":"c","address":"127.0.0.1:28003","roles":[],"self":false},
        {"id":"d","address":"127.0.0.1:28004","roles":["panel"],"self":false}]}""");
    assertThat(ClusterWatch.countPanelNodes(view)).isEqualTo(2);
    assertThat(ClusterWatch.countPanelNodes(new JsonObject())).isZero();
  }

  @Test
  void readsPanelCallLatencyFromTelemetryLines() {
    assertThat(PanelLog.panelCallLatency("{\"event\":\"upstream_call\",\"label\":\"m1\",\"latency_ms\":452,"
      + "\"phase\":\"panel\",\"status\":200}")).isEqualTo(452);
    assertThat(PanelLog.panelCallLatency("{\"event\":\"upstream_call\",\"latency_ms\":70,\"phase\":\"judge\"}")).isEqualTo(-1);
    assertThat(PanelLog.panelCallLatency("{\"event\":\"request\",\"latency_ms\":900}")).isEqualTo(-1);
    // cancelled copies count as calls but not towards the latency
    PanelLog.Tally window = new PanelLog.Tally(32, 13_650, 30, 2).minus(new PanelLog.Tally(10, 4_500, 10, 0));
    assertThat(window.calls()).isEqualTo(22);
    assertThat(window.cancelled()).isEqualTo(2);
    assertThat(window.meanLatencyMs()).isEqualTo(457.5);
  }

  @Test
  void timelineRateSpansTheReadingsAroundTheWindow() {
    List<UpstreamTimeline.Sample> samples = List.of(new UpstreamTimeline.Sample(0, 0),
      new UpstreamTimeline.Sample(1000, 24), new UpstreamTimeline.Sample(2000, 48),
      new UpstreamTimeline.Sample(3000, 120), new UpstreamTimeline.Sample(4000, 192));
    assertThat(UpstreamTimeline.rate(samples, 0, 2000)).isCloseTo(24.0, within(1e-9));
    assertThat(UpstreamTimeline.rate(samples, 2000, 4000)).isCloseTo(72.0, within(1e-9));
    // edges between readings widen to the readings around them
    assertThat(UpstreamTimeline.rate(samples, 1500, 2500)).isCloseTo(48.0, within(1e-9));
    assertThat(UpstreamTimeline.buckets(samples, 0, 4000, 2000)).hasSize(2);
    assertThat(UpstreamTimeline.rate(List.of(), 0, 1000)).isNaN();
  }
}

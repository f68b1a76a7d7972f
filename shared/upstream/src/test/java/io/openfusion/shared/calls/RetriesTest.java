package io.openfusion.shared.calls;

import io.openfusion.shared.upstream.UpstreamException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetriesTest {

  @Test
  void onlyRateLimitsAndBriefOutagesAreRetried() {
    assertThat(Retries.backoff(new UpstreamException(UpstreamException.Kind.HTTP_STATUS, 500, "x"), 0)).isEqualTo(-1);
    assertThat(Retries.backoff(new UpstreamException(UpstreamException.Kind.TIMEOUT, 0, "x"), 0)).isEqualTo(-1);
    assertThat(Retries.backoff(new IllegalStateException(), 0)).isEqualTo(-1);
    assertThat(Retries.backoff(new UpstreamException(UpstreamException.Kind.HTTP_STATUS, 503, "x"), 0)).isPositive();
  }

  @Test
  void withoutRetryAfterTheBackoffGrowsAndIsCapped() {
    UpstreamException limited = new UpstreamException(UpstreamException.Kind.HTTP_STATUS, 429, "slow down");
    assertThat(Retries.backoff(limited, 0)).isBetween(2_000L, 3_000L);
    assertThat(Retries.backoff(limited, 1)).isBetween(4_000L, 5_000L);
    assertThat(Retries.backoff(limited, 2)).isEqualTo(8_000L);
    assertThat(Retries.backoff(limited, 5)).isEqualTo(8_000L);
  }

  @Test
  void retryAfterIsHonoured() {
    UpstreamException limited = new UpstreamException(UpstreamException.Kind.HTTP_STATUS, 429, "slow down", 1_500, null);
    assertThat(Retries.backoff(limited, 0)).isEqualTo(1_500L);
  }
}

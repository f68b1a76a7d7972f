package io.openfusion.shared.limits;

import io.openfusion.shared.limits.RateLimiter.Decision;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalRateLimiterTest {

  /** 12:00:15 of some day, in epoch milliseconds: 45 s left in the window. */
  private static final long T0 = 29_000_000L * 60_000 + 15_000;

  private final AtomicLong now = new AtomicLong(T0);

  private LocalRateLimiter limiter(int limit) {
    return new LocalRateLimiter(limit, now::get, LocalRateLimiter.MAX_CALLERS);
  }

  @Test
  void admitsTheLimitInAWindowThenRefusesUntilTheWindowEnds() {
    LocalRateLimiter limiter = limiter(3);

    assertThat(limiter.decide("key:a")).isEqualTo(new Decision(true, 0, 2));
    assertThat(limiter.decide("key:a")).isEqualTo(new Decision(true, 0, 1));
    assertThat(limiter.decide("key:a")).isEqualTo(new Decision(true, 0, 0));
    assertThat(limiter.decide("key:a")).isEqualTo(new Decision(false, 45, 0));

    now.set(T0 + 44_500); // 0.5 s left: still refused, retry after rounds up to 1
    assertThat(limiter.decide("key:a")).isEqualTo(new Decision(false, 1, 0));

    now.set(T0 + 45_000); // the next minute starts: a fresh window
    assertThat(limiter.decide("key:a")).isEqualTo(new Decision(true, 0, 2));
  }

  @Test
  void windowsAreFixedToTheEpochMinuteNotToTheFirstRequest() {
    LocalRateLimiter limiter = limiter(1);
    now.set(T0 + 44_000); // 12:00:59
    assertThat(limiter.decide("key:a").allowed()).isTrue();
    now.set(T0 + 46_000); // 12:01:01, 2 s later but a new window
    assertThat(limiter.decide("key:a").allowed()).isTrue();
    assertThat(limiter.decide("key:a").allowed()).isFalse();
  }

  @Test
  void eachGatewayKeyHasItsOwnWindow() {
    LocalRateLimiter limiter = limiter(2);
    limiter.decide("key:a");
    limiter.decide("key:a");
    assertThat(limiter.decide("key:a").allowed()).isFalse();

    assertThat(limiter.decide("key:b")).isEqualTo(new Decision(true, 0, 1));
  }

  @Test
  void anonymousCallersDoNotShareOneBucket() {
    LocalRateLimiter limiter = limiter(1);
    assertThat(limiter.decide("ip:10.0.0.1").allowed()).isTrue();
    assertThat(limiter.decide("ip:10.0.0.1").allowed()).isFalse();

    assertThat(limiter.decide("ip:10.0.0.2").allowed()).isTrue();
    assertThat(limiter.decide("ip:::1").allowed()).isTrue();
    // a gateway key never shares a window with an address
    assertThat(limiter.decide("key:10.0.0.1").allowed()).isTrue();
  }

  @Test
  void tracksAtMostTheBoundForgettingTheLeastRecentlySeenCaller() {
    LocalRateLimiter limiter = new LocalRateLimiter(1, now::get, 2);
    limiter.decide("ip:a");
    limiter.decide("ip:b");
    limiter.decide("ip:a"); // refused, but a is now the most recent
    limiter.decide("ip:c"); // evicts b

    assertThat(limiter.trackedCallers()).isEqualTo(2);
    assertThat(limiter.decide("ip:a").allowed()).as("a is still tracked").isFalse();
    assertThat(limiter.decide("ip:b").allowed()).as("b was forgotten").isTrue();
  }

  @Test
  void tryAcquireCompletesImmediately() {
    LocalRateLimiter limiter = limiter(1);
    assertThat(limiter.tryAcquire("key:a").isComplete()).isTrue();
    assertThat(limiter.tryAcquire("key:a").result().allowed()).isFalse();
  }

  @Test
  void concurrentCallersAdmitExactlyTheLimit() throws InterruptedException {
    LocalRateLimiter limiter = limiter(500);
    java.util.concurrent.atomic.AtomicInteger admitted = new java.util.concurrent.atomic.AtomicInteger();
    Thread[] threads = new Thread[8];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 200; i++) {
          if (limiter.decide("key:hot").allowed()) {
            admitted.incrementAndGet();
          }
        }
      });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join(10_000);
    }
    assertThat(admitted).hasValue(500);
  }

  @Test
  void rejectsANonPositiveLimit() {
    assertThatThrownBy(() -> new LocalRateLimiter(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void windowKeysNameTheCallerAndTheEpochMinute() {
    assertThat(Windows.key("key:abc", Windows.epochMinute(T0))).isEqualTo("rl:key:abc:29000000");
    assertThat(Windows.secondsLeft(T0)).isEqualTo(45);
  }
}

package io.openfusion.router.cache;

import io.openfusion.shared.testkit.MutableClock;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalResponseCacheTest {

  private final MutableClock clock = new MutableClock();

  private static JsonObject answer(String content) {
    return new JsonObject().put("content", content).put("usage", new JsonObject().put("total_tokens", 3));
  }

  private static JsonObject get(ResponseCache cache, String key) {
    Future<JsonObject> f = cache.get(key);
    assertThat(f.succeeded()).isTrue();
    return f.result();
  }

  @Test
  void returnsWhatWasStoredUntilTheTtlHasPassed() {
    LocalResponseCache cache = new LocalResponseCache(10, Duration.ofSeconds(300), clock);
    assertThat(cache.put("k", answer("hello")).succeeded()).isTrue();

    clock.advance(Duration.ofSeconds(300));
    assertThat(get(cache, "k")).isEqualTo(answer("hello"));

    clock.advance(Duration.ofMillis(1));
    assertThat(get(cache, "k")).isNull();
    assertThat(cache.size()).isZero();
  }

  @Test
  void readsDoNotExtendTheTtl() {
    LocalResponseCache cache = new LocalResponseCache(10, Duration.ofSeconds(10), clock);
    cache.put("k", answer("a"));
    clock.advance(Duration.ofSeconds(8));
    assertThat(get(cache, "k")).isNotNull();
    clock.advance(Duration.ofSeconds(3));
    assertThat(get(cache, "k")).isNull();
  }

  @Test
  void aMissIsANullResult() {
    LocalResponseCache cache = new LocalResponseCache(10, Duration.ofSeconds(10), clock);
    assertThat(get(cache, "absent")).isNull();
    assertThat(get(cache, null)).isNull();
  }

  @Test
  void evictsTheLeastRecentlyUsedEntry() {
    LocalResponseCache cache = new LocalResponseCache(2, Duration.ofHours(1), clock);
    cache.put("a", answer("A"));
    cache.put("b", answer("B"));
    cache.put("c", answer("C"));

    assertThat(cache.size()).isEqualTo(2);
    assertThat(get(cache, "a")).isNull();
    assertThat(get(cache, "b")).isNotNull();
    assertThat(get(cache, "c")).isNotNull();
  }

  @Test
  void aReadMakesAnEntryRecentlyUsed() {
    LocalResponseCache cache = new LocalResponseCache(2, Duration.ofHours(1), clock);
    cache.put("a", answer("A"));
    cache.put("b", answer("B"));
    assertThat(get(cache, "a")).isNotNull();

    cache.put("c", answer("C"));

    assertThat(get(cache, "a")).isEqualTo(answer("A"));
    assertThat(get(cache, "b")).isNull();
    assertThat(get(cache, "c")).isEqualTo(answer("C"));
  }

  @Test
  void aRewriteRestartsTheTtl() {
    LocalResponseCache cache = new LocalResponseCache(2, Duration.ofSeconds(10), clock);
    cache.put("a", answer("old"));
    clock.advance(Duration.ofSeconds(8));
    cache.put("a", answer("new"));
    clock.advance(Duration.ofSeconds(8));
    assertThat(get(cache, "a")).isEqualTo(answer("new"));
  }

  @Test
  void keepsItsOwnCopies() {
    LocalResponseCache cache = new LocalResponseCache(2, Duration.ofHours(1), clock);
    JsonObject stored = answer("x");
    cache.put("k", stored);
    stored.put("content", "changed by the caller");
    get(cache, "k").put("content", "changed by a reader");

    assertThat(get(cache, "k")).isEqualTo(answer("x"));
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new LocalResponseCache(0, Duration.ofSeconds(1), clock))
      .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LocalResponseCache(1, Duration.ZERO, clock))
      .isInstanceOf(IllegalArgumentException.class);
    LocalResponseCache cache = new LocalResponseCache(1, Duration.ofSeconds(1), clock);
    assertThat(cache.put("k", null).failed()).isTrue();
    assertThat(cache.put(null, answer("x")).failed()).isTrue();
  }

  @Test
  void staysBoundedUnderConcurrentUse() throws Exception {
    LocalResponseCache cache = new LocalResponseCache(50, Duration.ofHours(1), clock);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        tasks.add(pool.submit(() -> {
          for (int i = 0; i < 2_000; i++) {
            cache.put(thread + ":" + i, answer("v" + i));
            cache.get(thread + ":" + (i / 2));
          }
        }));
      }
      for (var task : tasks) {
        task.get(20, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(cache.size()).isEqualTo(50);
  }
}

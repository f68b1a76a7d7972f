package io.openfusion.shared.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Time limits. YAML gives them in (possibly fractional) seconds: {@code member_seconds},
 * {@code judge_seconds}, {@code total_seconds}, {@code connect_seconds},
 * {@code first_token_seconds}, {@code idle_seconds}.
 *
 * @param member     wall-clock limit for one panel member call
 * @param judge      wall-clock limit for the judge call
 * @param total      wall-clock limit for the whole request
 * @param connect    TCP/TLS connect limit for any upstream call
 * @param firstToken limit until the first streamed byte of an upstream answer
 * @param idle       limit between two streamed chunks of an upstream answer
 */
public record TimeoutsConfig(Duration member, Duration judge, Duration total, Duration connect,
                             Duration firstToken, Duration idle) {

  public static final Duration DEFAULT_MEMBER = Duration.ofSeconds(120);
  public static final Duration DEFAULT_JUDGE = Duration.ofSeconds(180);
  public static final Duration DEFAULT_TOTAL = Duration.ofSeconds(300);
  public static final Duration DEFAULT_CONNECT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_FIRST_TOKEN = Duration.ofSeconds(60);
  public static final Duration DEFAULT_IDLE = Duration.ofSeconds(60);

  public TimeoutsConfig {
    Objects.requireNonNull(member, "member");
    Objects.requireNonNull(judge, "judge");
    Objects.requireNonNull(total, "total");
    Objects.requireNonNull(connect, "connect");
    Objects.requireNonNull(firstToken, "firstToken");
    Objects.requireNonNull(idle, "idle");
  }

  public static TimeoutsConfig defaults() {
    return new TimeoutsConfig(DEFAULT_MEMBER, DEFAULT_JUDGE, DEFAULT_TOTAL, DEFAULT_CONNECT,
        DEFAULT_FIRST_TOKEN, DEFAULT_IDLE);
  }
}

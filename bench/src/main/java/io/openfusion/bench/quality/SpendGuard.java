package io.openfusion.bench.quality;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The spending cap of a paid run ({@code --max-usd}). Every request asks for a reservation BEFORE it is sent and
 * settles it when it ends:
 * <ul>
 *   <li>the reservation is the request's worst case: the larger of the proxy's own estimate ({@code POST
 *       /v1/estimate}: every call at its token ceiling, at the upstreams' list prices) and the most an earlier request
 *       of the same kind (a mode's answer, a grading, a pairwise verdict) really cost, which covers what the estimate
 *       leaves out, such as web-search fees;</li>
 *   <li>a request waits while what was spent plus what is in flight plus its worst case would pass the cap (the
 *       requests in flight usually cost far less than their worst case), and is refused, stopping the run, when
 *       what was spent plus its worst case alone would pass it; requests already in flight finish, nothing new
 *       starts;</li>
 *   <li>when neither bound is known yet for a kind (no prices, first request), one request of that kind goes alone
 *       and the others wait for its cost;</li>
 *   <li>the spend is what the proxy reports per request in {@code usage.cost}; without it, the tokens priced at
 *       {@code --price-per-mtok}; without that, the request's reservation (its worst case). A request that failed is
 *       counted at its reservation, since an upstream may have billed it anyway. If a response can be priced by none
 *       of these the run stops, since the cap could no longer be enforced.</li>
 * </ul>
 * Without a cap nothing is refused and the spend is only tallied. Thread-safe.
 */
public final class SpendGuard {

  /** The run stopped at the cap; the message says why, with what was spent. */
  public static final class CapReached extends RuntimeException {
    CapReached(String message) {
      super(message, null, false, false);
    }
  }

  /** What one request holds until it settles. */
  public record Reservation(String kind, double amount, boolean probe) {
  }

  private record Waiter(String kind, Double worstCase, Promise<Reservation> promise) {
  }

  private final double capUsd;
  private final double promptPerToken;
  private final double completionPerToken;
  private final boolean hasPrice;
  private final Map<String, Double> maxObserved = new HashMap<>();
  private final Set<String> probing = new HashSet<>();
  private final Deque<Waiter> waiting = new ArrayDeque<>();
  private double spent;
  private double reserved;
  private int requests;
  private int unpriced;
  private String stopReason;

  /**
   * @param capUsd           the cap; {@code Double.POSITIVE_INFINITY} for none
   * @param pricePerMillion  {@code [prompt, completion]} USD per million tokens for responses without a cost, or null
   */
  public SpendGuard(double capUsd, double[] pricePerMillion) {
    if (!(capUsd >= 0)) {
      throw new IllegalArgumentException("--max-usd must be a number >= 0");
    }
    this.capUsd = capUsd;
    this.hasPrice = pricePerMillion != null;
    this.promptPerToken = hasPrice ? pricePerMillion[0] / 1e6 : 0;
    this.completionPerToken = hasPrice ? pricePerMillion[1] / 1e6 : 0;
  }

  public static SpendGuard unlimited() {
    return new SpendGuard(Double.POSITIVE_INFINITY, null);
  }

  public boolean limited() {
    return capUsd != Double.POSITIVE_INFINITY;
  }

  public double cap() {
    return capUsd;
  }

  /**
   * @param kind      what the request is for; its costs bound the next ones of the same kind
   * @param worstCase the proxy's estimate in USD, or null when it could not price the request
   * @return the reservation, or a failed future with {@link CapReached} when the run must stop
   */
  public Future<Reservation> reserve(String kind, Double worstCase) {
    Promise<Reservation> p = Promise.promise();
    synchronized (this) {
      if (!decide(new Waiter(kind, worstCase, p))) {
        waiting.add(new Waiter(kind, worstCase, p));
      }
    }
    return p.future();
  }

  /** @return false when the request has to wait for the probe of its kind */
  private boolean decide(Waiter w) {
    if (stopReason != null) {
      w.promise().tryFail(new CapReached(stopReason));
      return true;
    }
    if (!limited()) {
      w.promise().tryComplete(new Reservation(w.kind(), 0, false));
      return true;
    }
    Double seen = maxObserved.get(w.kind());
    boolean known = w.worstCase() != null || seen != null;
    if (!known && probing.contains(w.kind())) {
      return false;
    }
    double need = Math.max(w.worstCase() == null ? 0 : w.worstCase(), seen == null ? 0 : seen);
    if (spent + need > capUsd || (!known && spent >= capUsd)) {
      stopReason = String.format("spending cap reached: the next %s request could cost up to $%.6f; with $%.6f spent "
        + "that would pass --max-usd %.4f", w.kind(), need, spent, capUsd);
      w.promise().tryFail(new CapReached(stopReason));
      return true;
    }
    if (spent + reserved + need > capUsd) {
      // it fits once requests in flight have settled (they usually cost far less than their worst case): wait
      return false;
    }
    if (!known) {
      probing.add(w.kind());
    }
    reserved += need;
    w.promise().tryComplete(new Reservation(w.kind(), need, !known));
    return true;
  }

  /**
   * Books what the request cost and lets waiting requests through.
   *
   * @param usage the response's {@code usage}, or null when the request failed
   */
  public void settle(Reservation r, JsonObject usage) {
    synchronized (this) {
      reserved = Math.max(0, reserved - r.amount());
      requests++;
      Double actual = cost(usage, r);
      if (actual == null) {
        unpriced++;
        if (limited() && stopReason == null) {
          stopReason = "spending cap cannot be enforced: a response carried no usage.cost and nothing else prices it; "
            + "pass --price-per-mtok PROMPT,COMPLETION (USD per million tokens)";
        }
      } else {
        spent += actual;
        if (usage != null) {
          maxObserved.merge(r.kind(), actual, Math::max);
        }
      }
      if (r.probe()) {
        probing.remove(r.kind());
      }
      List<Waiter> retry = new ArrayList<>(waiting);
      waiting.clear();
      for (Waiter w : retry) {
        if (!decide(w)) {
          waiting.add(w);
        }
      }
    }
  }

  private Double cost(JsonObject usage, Reservation r) {
    if (usage != null && usage.getValue("cost") instanceof Number c) {
      return c.doubleValue();
    }
    if (usage != null && hasPrice && usage.getValue("prompt_tokens") instanceof Number pt
      && usage.getValue("completion_tokens") instanceof Number ct) {
      return pt.doubleValue() * promptPerToken + ct.doubleValue() * completionPerToken;
    }
    if (r.amount() > 0) {
      return r.amount();
    }
    // a failed request with no known bound: nothing to count; an answer nobody can price: a gap in the tally
    return usage == null ? 0.0 : null;
  }

  public synchronized double spent() {
    return spent;
  }

  public synchronized int requests() {
    return requests;
  }

  /** Responses that could not be priced (counted at 0; with a cap the run stops at the first). */
  public synchronized int unpriced() {
    return unpriced;
  }

  public synchronized boolean stopped() {
    return stopReason != null;
  }

  public synchronized String stopReason() {
    return stopReason;
  }

  public synchronized JsonObject toJson() {
    return new JsonObject().put("max_usd", limited() ? capUsd : null).put("spent_usd", spent).put("requests", requests)
      .put("unpriced_responses", unpriced).put("stopped", stopReason != null).put("stop_reason", stopReason);
  }
}

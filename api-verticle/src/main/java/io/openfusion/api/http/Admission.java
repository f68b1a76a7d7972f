package io.openfusion.api.http;

import io.openfusion.api.ApiOptions;
import io.openfusion.shared.config.LimitsConfig;
import io.openfusion.shared.config.OpenFusionConfig;
import io.openfusion.shared.error.ApiError;
import io.openfusion.shared.error.ErrorCode;
import io.openfusion.shared.limits.RateLimiter;
import io.openfusion.shared.limits.RateLimiters;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admission control for {@code POST /v1/chat/completions} (and {@code /v1/responses} and {@code /v1/messages}, which
 * run on the chat path, through the same instance), before the body is read:
 * <ol>
 *   <li>{@code limits.rate_limit_per_minute} per caller (gateway key, or client address when the
 *   gateway is open), cluster-wide when clustered: over it, 429 {@code rate_limit_exceeded} with
 *   {@code Retry-After} = seconds until the window ends;</li>
 *   <li>{@code limits.max_in_flight} per node: over it, 503 {@code server_overloaded} with
 *   {@code Retry-After: 1}. A slot is taken here and given back when the response ends or the
 *   connection closes.</li>
 *   <li>the node's {@link BodyBudget} for large bodies: the declared length is charged here; a chunked body, which
 *   declares none, is charged once read ({@link #chargeReadBody}, mounted after the {@code BodyHandler}). A body
 *   that does not fit waits for the ones ahead of it, then gets 503 {@code server_overloaded} with
 *   {@code Retry-After: 1}; the charge is given back when the response ends.</li>
 * </ol>
 * A request refused by the rate limit never takes an in-flight slot; a request refused for
 * in-flight has still used up one request of its window. Mount it after {@link GatewayAuth} (it needs
 * the caller) and before the {@code BodyHandler}.
 */
public final class Admission {

  /** Routing-context key: the body bytes this request holds in the node's {@link BodyBudget}. */
  private static final String CHARGED = "openfusion.admission.body-bytes";

  private final RateLimiter limiter;
  private final int ratePerMinute;
  private final AtomicInteger inFlight;
  private final int maxInFlight;
  private final BodyBudget bodies;

  public Admission(LimitsConfig limits, RateLimiter limiter, AtomicInteger inFlight, BodyBudget bodies) {
    this.limiter = limits.rateLimitPerMinute() > 0 ? limiter : RateLimiter.unlimited();
    this.ratePerMinute = limits.rateLimitPerMinute();
    this.inFlight = inFlight;
    this.maxInFlight = limits.maxInFlight();
    this.bodies = bodies;
  }

  /**
   * The node's admission from the api options, falling back to state of this api instance alone
   * when the options carry none (an api deployed outside {@code Node}).
   */
  public static Admission create(Vertx vertx, OpenFusionConfig config, ApiOptions options) {
    RateLimiter limiter = options.rateLimiter() != null ? options.rateLimiter() : RateLimiters.create(vertx, config);
    AtomicInteger inFlight = options.inFlight() != null ? options.inFlight() : new AtomicInteger();
    BodyBudget bodies = options.bodies() != null ? options.bodies() : BodyBudget.forHeap(config.server().maxBodyBytes());
    return new Admission(config.limits(), limiter, inFlight, bodies);
  }

  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    // the request's own context: a cluster-wide limiter may answer on another thread
    Context context = ctx.vertx().getOrCreateContext();
    // the decision may be asynchronous (cluster-wide window): keep the body for the BodyHandler, which resumes
    request.pause();
    limiter.tryAcquire(caller(ctx)).onComplete(decided -> {
      if (ctx.response().closed() || ctx.response().ended()) {
        return;
      }
      // a failed limiter admits (fails open); the implementations already recover their own failures
      if (decided.succeeded() && !decided.result().allowed()) {
        long retryAfter = decided.result().retryAfterSeconds();
        reject(ctx, retryAfter, ApiError.of(ErrorCode.RATE_LIMIT_EXCEEDED, "Rate limit exceeded: " + ratePerMinute
          + " requests per minute; retry after " + retryAfter + " s"));
        return;
      }
      if (!takeSlot(ctx)) {
        reject(ctx, 1, ApiError.of(ErrorCode.SERVER_OVERLOADED, "Server busy: too many concurrent requests; retry shortly"));
        return;
      }
      long declared = OversizedBodies.declaredLength(request);
      if (declared < BodyBudget.LARGE_BODY_BYTES) {
        ctx.next();
        return;
      }
      admitBody(ctx, context, declared);
    });
  }

  /**
   * After the {@code BodyHandler}: charges a large body that declared no length, now that its size is known (one
   * that did was charged at admission).
   */
  public void chargeReadBody(RoutingContext ctx) {
    long length = ctx.body().length();
    if (ctx.get(CHARGED) != null || length < BodyBudget.LARGE_BODY_BYTES) {
      ctx.next();
      return;
    }
    admitBody(ctx, ctx.vertx().getOrCreateContext(), length);
  }

  /** Goes on once the body is charged; refuses it when it waited its time in vain. */
  private void admitBody(RoutingContext ctx, Context context, long bytes) {
    chargeBody(ctx, context, bytes).onComplete(charged -> {
      if (ctx.response().closed() || ctx.response().ended()) {
        return;
      }
      if (charged.succeeded() && charged.result()) {
        ctx.next();
      } else {
        reject(ctx, 1, bodiesBusy());
      }
    });
  }

  /** Charges {@code bytes} to the node's budget until this request's response ends (or at once, if it already did). */
  private Future<Boolean> chargeBody(RoutingContext ctx, Context context, long bytes) {
    return bodies.charge(ctx.vertx(), context, bytes).map(charged -> {
      if (!charged) {
        return false;
      }
      if (ctx.response().closed() || ctx.response().ended()) {
        // the client left while its body waited: its end handlers have run already
        bodies.release(ctx.vertx(), bytes);
        return false;
      }
      ctx.put(CHARGED, bytes);
      AtomicBoolean released = new AtomicBoolean();
      ctx.addEndHandler(ended -> {
        if (released.compareAndSet(false, true)) {
          bodies.release(ctx.vertx(), bytes);
        }
      });
      return true;
    });
  }

  private ApiError bodiesBusy() {
    return ApiError.of(ErrorCode.SERVER_OVERLOADED, "Server busy: other large request bodies hold the memory this "
      + "node keeps for them (" + bodies.capacity() / (1024 * 1024) + " MB); retry shortly");
  }

  /** Requests of this node now between admission and the end of their response. */
  public int inFlight() {
    return inFlight.get();
  }

  private boolean takeSlot(RoutingContext ctx) {
    if (maxInFlight <= 0) {
      return true;
    }
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      return false;
    }
    AtomicBoolean released = new AtomicBoolean();
    ctx.addEndHandler(ended -> {
      if (released.compareAndSet(false, true)) {
        inFlight.decrementAndGet();
      }
    });
    return true;
  }

  private static void reject(RoutingContext ctx, long retryAfterSeconds, ApiError error) {
    // an unread body is discarded (a body already read makes this a no-op)
    ctx.request().resume();
    ctx.response().putHeader("Retry-After", Long.toString(retryAfterSeconds));
    ErrorResponses.send(ctx, error);
  }

  private static String caller(RoutingContext ctx) {
    String caller = GatewayAuth.caller(ctx);
    if (caller != null) {
      return caller;
    }
    var address = ctx.request().remoteAddress();
    return io.openfusion.shared.identity.CallerIds.ofAddress(address == null ? null : address.hostAddress());
  }
}

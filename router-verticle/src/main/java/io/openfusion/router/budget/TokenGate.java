package io.openfusion.router.budget;

import io.openfusion.router.RunResult;
import io.openfusion.router.estimate.TokenCount;
import io.openfusion.router.estimate.WorstCase;
import io.openfusion.router.estimate.WorstCase.Ceiling;
import io.openfusion.router.recipe.Recipe;
import io.openfusion.shared.bus.ChatCommand;
import io.openfusion.shared.bus.UpstreamRef;
import io.openfusion.shared.limits.TokenCharge;
import io.openfusion.shared.limits.TokenLedger;
import io.openfusion.shared.limits.TokenLedger.Reservation;
import io.openfusion.shared.limits.TokenLimits;
import io.openfusion.shared.limits.TokenPolicy;
import io.openfusion.shared.upstream.UpstreamClient;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Token limits and budgets around a router run: reserves the request's worst case before the run starts
 * (refusing with a 429 when a limit has no room for it) and settles on what it really spent once it
 * ends, whether it succeeded, failed or the client left. Every fused, pipeline and pass-through run goes
 * through here, so the producers themselves never see the ledger.
 *
 * <p>A caller no limit applies to runs straight through, with no ledger access and no price lookup.
 */
public final class TokenGate {

  private final TokenPolicy policy;
  private final TokenLedger ledger;
  private final WorstCase worstCase;

  public TokenGate(TokenPolicy policy, TokenLedger ledger, WorstCase worstCase) {
    this.policy = policy;
    this.ledger = ledger;
    this.worstCase = worstCase;
  }

  /** A fused or pipeline run: reserved at every planned call's ceiling, settled on the usage its reply reports. */
  public Future<RunResult> fusion(ChatCommand command, Recipe recipe, Future<Void> cancel,
                                   Supplier<Future<RunResult>> run) {
    TokenLimits limits = policy.limitsFor(command.caller());
    if (!limits.any()) {
      return run.get();
    }
    return metered(command, cancel, limits, worstCase.fusion(recipe, command.body(), limits.needsPrices()),
      ceiling -> run.get(), () -> null);
  }

  /**
   * A pass-through: reserved at its prompt plus output ceiling, settled on the usage its upstream calls
   * report.
   *
   * @param run the relay, given the upstream client to call through (a usage tap when metered)
   */
  public Future<RunResult> passThrough(ChatCommand command, Recipe recipe, UpstreamRef target, Future<Void> cancel,
                                        UpstreamClient client, Function<UpstreamClient, Future<RunResult>> run) {
    TokenLimits limits = policy.limitsFor(command.caller());
    if (!limits.any()) {
      return run.apply(client);
    }
    UsageTap tap = new UsageTap(client, TokenCount.input(command.body().getValue("messages")));
    return metered(command, cancel, limits, worstCase.passThrough(recipe, command.body(), target, limits.needsPrices()),
      ceiling -> run.apply(tap), tap::total);
  }

  private Future<RunResult> metered(ChatCommand command, Future<Void> cancel, TokenLimits limits, Future<Ceiling> ceiling,
                                     Function<Ceiling, Future<RunResult>> run, Supplier<JsonObject> tapped) {
    return ceiling.compose(worst -> ledger.reserve(command.caller(), limits, TokenCharge.reserve(worst.tokens(), worst.usd()))
      .compose(reservation -> {
        if (!reservation.admitted()) {
          return Future.failedFuture(Refusals.error(reservation.refusal(), limits));
        }
        return run.apply(worst).transform(done -> settle(reservation, done, cancel, worst, tapped.get()));
      }));
  }

  /** Settles, then hands the run's own outcome on: the ledger knows the release before the client does. */
  private Future<RunResult> settle(Reservation reservation, AsyncResult<RunResult> done, Future<Void> cancel,
                                    Ceiling worst, JsonObject tapped) {
    TokenCharge spent = Spend.of(done, cancel.isComplete(), worst, tapped);
    return ledger.settle(reservation, spent).transform(settled -> done.succeeded()
      ? Future.succeededFuture(done.result()) : Future.failedFuture(done.cause()));
  }
}

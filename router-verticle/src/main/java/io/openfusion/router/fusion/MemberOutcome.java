package io.openfusion.router.fusion;

import io.openfusion.router.recipe.PlannedMember;
import io.openfusion.shared.bus.MemberAnswer;
import io.openfusion.shared.error.ApiError;

/**
 * How one panel member's call ended: an answer, or the error that stopped it.
 *
 * @param cut true when the member was cancelled as a straggler after the quorum was reached
 */
public record MemberOutcome(PlannedMember member, MemberAnswer answer, ApiError error, boolean cut) {

  public boolean ok() {
    return answer != null;
  }

  public String label() {
    return member.ref().label();
  }

  public String model() {
    return member.ref().model();
  }

  /** The same member with a revised answer (debate). */
  public MemberOutcome withAnswer(MemberAnswer revised) {
    return new MemberOutcome(member, revised, null, false);
  }
}

package io.openfusion.router.fusion;

import io.openfusion.router.recipe.PlannedMember;
import io.openfusion.shared.bus.MemberAnswer;
import io.openfusion.shared.error.ApiError;

/** How one panel member's call ended: an answer, or the error that stopped it. */
public record MemberOutcome(PlannedMember member, MemberAnswer answer, ApiError error) {

  public boolean ok() {
    return answer != null;
  }

  public String label() {
    return member.ref().label();
  }

  public String model() {
    return member.ref().model();
  }
}

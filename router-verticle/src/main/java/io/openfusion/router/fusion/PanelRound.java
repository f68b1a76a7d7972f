package io.openfusion.router.fusion;

import java.util.List;

/**
 * What the panel produced: every member's outcome (debate revisions applied), the ones that answered, and the usage so
 * far.
 */
record PanelRound(List<MemberOutcome> outcomes, List<MemberOutcome> answered, UsageReport usage) {

  int failed() {
    return outcomes.size() - answered.size();
  }
}

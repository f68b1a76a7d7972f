package io.openfusion.router.recipe;

import io.openfusion.shared.bus.UpstreamRef;
import io.vertx.core.json.JsonObject;

/**
 * One panel call to make.
 *
 * @param bodyOverrides fields set on this member's request body (self-fusion's temperature and seed)
 */
public record PlannedMember(UpstreamRef ref, JsonObject bodyOverrides) {
}

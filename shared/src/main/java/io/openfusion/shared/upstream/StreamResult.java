package io.openfusion.shared.upstream;

import io.vertx.core.json.JsonObject;

/**
 * Outcome of a successful streaming call.
 *
 * @param usage        the last non-null {@code usage} object seen in a chunk, as sent by the upstream (normalise with
 *                     {@link Usages#fromJson}); {@code null} when none was sent
 * @param finishReason the last non-null {@code choices[].finish_reason} seen, or {@code null}
 * @param chunks       number of data payloads handed to the caller ({@code [DONE]} excluded)
 * @param sawDone      whether the stream ended with {@code data: [DONE]}
 */
public record StreamResult(JsonObject usage, String finishReason, int chunks, boolean sawDone) {
}

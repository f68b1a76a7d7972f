package io.openfusion.shared.upstream;

import io.openfusion.shared.chat.Usages;
import io.vertx.core.json.JsonObject;

/**
 * Outcome of a successful streaming call. A stream only succeeds when it ended with its terminator
 * ({@code data: [DONE]}, Anthropic's {@code message_stop}) and reported no error on the way, so the answer is whole.
 *
 * @param usage        the last non-null {@code usage} object seen in a chunk (Groq's {@code x_groq.usage} when no
 *                     top-level one came), exactly as the upstream sent it (normalise with {@link Usages#fromJson});
 *                     {@code null} when none was sent
 * @param finishReason the last non-null {@code choices[].finish_reason} seen, or {@code null}
 * @param chunks       number of data payloads handed to the caller ({@code [DONE]} excluded)
 */
public record StreamResult(JsonObject usage, String finishReason, int chunks) {
}

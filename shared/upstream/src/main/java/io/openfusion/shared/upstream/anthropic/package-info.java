/**
 * Translation between OpenAI chat-completions shapes (what the rest of the proxy speaks) and the Anthropic Messages
 * API: requests one way, responses and stream events the other. Pure functions on {@code JsonObject}s with no I/O, so
 * the HTTP client in {@code upstream.impl} stays protocol-neutral and every mapping rule is testable on its own.
 * Inputs are client-controlled, so every mapper tolerates wrong types by skipping the offending value instead of
 * throwing.
 */
package io.openfusion.shared.upstream.anthropic;

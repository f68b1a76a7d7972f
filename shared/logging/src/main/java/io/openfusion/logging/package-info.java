/**
 * The process's logging: every class logs through SLF4J, and this package sets up its one backend, Logback.
 * Without a configuration of the operator's ({@code -Dlogback.configurationFile}, or a {@code logback.xml} on the
 * class path), {@link io.openfusion.logging.BuiltInLogging} applies {@code defaults.xml}: one JSON object per
 * line when stderr is not a terminal, one human line when it is, written by a background thread so an event loop
 * never encodes or writes a log line.
 */
package io.openfusion.logging;

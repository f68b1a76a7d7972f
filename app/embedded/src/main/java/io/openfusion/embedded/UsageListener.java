package io.openfusion.embedded;

/**
 * Receives every request's {@link UsageRecord} once it ended, on success and on failure, for billing or quotas.
 *
 * <p>It runs on a Vert.x worker thread, never on an event loop, so it may block briefly (a database write); records of
 * different requests may arrive concurrently and out of order. An exception it throws is logged and dropped: it never
 * affects a request.
 */
@FunctionalInterface
public interface UsageListener {

  void onUsage(UsageRecord record);
}

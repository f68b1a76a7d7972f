package io.openfusion.embedded;

/**
 * One upstream call a request made.
 *
 * @param role      {@code panel}, {@code judge}, {@code ranker}, {@code step} (a pipeline step) or {@code pass_through}
 * @param label     the member's label, the step's name, or the role
 * @param model     the model called, or null when not known (pipeline steps)
 * @param usage     what it used
 * @param estimated whether the usage is an estimate: a panel member cut as a straggler is counted at its prompt size,
 *                  since providers may bill a cancelled call
 */
public record CallUsage(String role, String label, String model, Usage usage, boolean estimated) {
}

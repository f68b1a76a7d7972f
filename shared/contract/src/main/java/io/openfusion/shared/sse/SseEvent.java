package io.openfusion.shared.sse;

/**
 * One dispatched server-sent event.
 *
 * @param event the {@code event:} field, or {@code null} when the event had none (or an empty one)
 * @param data  the {@code data:} lines of the event joined with {@code "\n"}; never {@code null}
 * @param id    the {@code id:} field given in this event, or {@code null} when absent
 */
public record SseEvent(String event, String data, String id) {

  /** The OpenAI end-of-stream sentinel. */
  public static final String DONE = "[DONE]";

  /** @return {@code true} when the data is exactly {@code [DONE]} */
  public boolean isDone() {
    return DONE.equals(data);
  }
}

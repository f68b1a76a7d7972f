package io.openfusion.shared.upstream.impl;

import io.openfusion.shared.sse.SseEvent;

import java.util.List;

/**
 * Turns the SSE events of one upstream stream into the OpenAI chunk payloads handed to the caller. One instance per
 * stream (it may keep state); called on the response's context only.
 */
interface EventTranslator {

  /**
   * @return what this event yields
   * @throws io.openfusion.shared.upstream.UpstreamException for a bad payload or an error event
   */
  Step translate(SseEvent event);

  /** @return how the end of a whole stream is named in messages, e.g. {@code [DONE]} */
  String terminator();

  /**
   * @param payloads OpenAI chunk JSON texts to hand on, in order
   * @param progress the upstream is generating even if nothing is handed on (stops the first-token clock)
   * @param done     the stream is complete, as after {@code [DONE]}
   */
  record Step(List<String> payloads, boolean progress, boolean done) {

    static final Step NOTHING = new Step(List.of(), false, false);
    static final Step DONE = new Step(List.of(), false, true);
  }
}

// Server-sent events over fetch: an incremental parser and a reader for a Response body.

/**
 * Feed it decoded text as it arrives; it calls onEvent(name, data) for every complete event.
 * CRLF and CR line ends are normalised, multi-line data is joined with "\n", comments are skipped,
 * and events without a name are "message".
 */
export function createSseParser(onEvent) {
  let buffer = '';
  let pendingCr = false; // a "\r" at the end of a read may be half of a CRLF split across reads

  function dispatch(block) {
    let event = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (!line || line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length) onEvent(event, data.join('\n'));
  }

  function drain() {
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      dispatch(block);
    }
  }

  return {
    push(text) {
      let raw = (pendingCr ? '\r' : '') + text;
      pendingCr = raw.endsWith('\r');
      if (pendingCr) raw = raw.slice(0, -1);
      buffer += raw.replace(/\r\n?/g, '\n');
      drain();
    },
    /** A server may close without the final blank line: whatever is left is the last event. */
    end() {
      if (pendingCr) buffer += '\n';
      pendingCr = false;
      const rest = buffer.trim();
      buffer = '';
      if (rest) dispatch(rest);
    },
  };
}

/** Reads a streamed Response body to its end, calling onEvent(name, data) per event. */
export async function readEvents(body, onEvent) {
  const parser = createSseParser(onEvent);
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.push(decoder.decode(value, { stream: true }));
    }
    parser.push(decoder.decode());
    parser.end();
  } finally {
    reader.releaseLock();
  }
}
